using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Ingest.Cameras;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Ingest;

/// <summary>The tests that start real RTSP servers run one at a time: the box has two cores.</summary>
[CollectionDefinition("rtsp", DisableParallelization = true)]
public sealed class RtspServers;

/// <summary>
/// Camera ingest against a real RTSP server (GStreamer's, through the camera simulator) on 127.0.0.1 serving the
/// real sample footage, with the faults real cameras have: killed, frozen, wrong path, nothing listening.
/// </summary>
[Collection("rtsp")]
public class RtspIngestTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Theory]
    [InlineData(5, true, 3.5, 6.5)]
    [InlineData(25, false, 17, 30)]
    public async Task Frames_FromRealServer_ArriveAtTheDetectionRateWithIncreasingTimestamps(double fps, bool useSub, double low, double high)
    {
        using var simulator = await TestCameras.StartSimulatorAsync();
        using var temp = new TempFolder();
        var camera = CameraHarness.Camera("cam1", simulator.MainUrl("cam1"), s => s with { DetectFps = fps, QueueCapacity = 8 }, useSub ? simulator.SubUrl("cam1") : null);
        await using var harness = new CameraHarness(camera, temp.Path);

        await harness.Runner.WaitForAsync(h => h.Frames >= 3 * fps + 5, Patience);
        var seen = await harness.StopAsync();

        Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), seen.Select(f => f.Sequence));
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.CapturedAt > p.First.CapturedAt), "capture times increase: " + string.Join(", ", seen.Take(12).Select(f => $"{f.CapturedAt:HH:mm:ss.fff}")));
        var steady = seen.Skip(5).ToList(); // the first frames may come while the stream settles
        var rate = (steady.Count - 1) / (steady[^1].CapturedAt - steady[0].CapturedAt).TotalSeconds;
        Assert.InRange(rate, low, high);
        Assert.All(seen, f => Assert.Equal(useSub ? (640, 360) : (640, 352), (f.Width, f.Height)));
        Assert.True(seen.Select(f => f.Checksum).Distinct().Count() > 3, "the frames hold real, changing pictures");
        Assert.Equal(0, harness.Pool.Outstanding);
    }

    [Fact]
    public async Task ServerKilledAndRestarted_ReaderReconnectsByItselfAndFramesResume()
    {
        using var simulator = await TestCameras.StartSimulatorAsync();
        using var temp = new TempFolder();
        await using var harness = new CameraHarness(CameraHarness.Camera("cam1", simulator.SubUrl("cam1")), temp.Path);
        await harness.Runner.WaitForAsync(h => h.Frames >= 5, Patience);

        simulator.Kill();
        var down = await harness.Runner.WaitForAsync(h => h.State is CameraState.Reconnecting or CameraState.Stalled, Patience);
        await simulator.RestartAsync();
        var back = await harness.Runner.WaitForAsync(h => h.State == CameraState.Streaming && h.Frames >= down.Frames + 10, Patience);

        Assert.True(back.Reconnects >= 1);
        Assert.NotNull(down.LastError);
        var seen = await harness.StopAsync();
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.Sequence == p.First.Sequence + 1), "sequence numbers continue across the reconnect");
        Assert.Equal(0, harness.Pool.Outstanding);
    }

    [Fact]
    public async Task ServerFrozen_WatchdogReportsStall_AfterResumeFramesFlowWithoutBacklogBurst()
    {
        const double fps = 5;
        const int capacity = 2;
        using var simulator = await TestCameras.StartSimulatorAsync();
        using var temp = new TempFolder();
        var camera = CameraHarness.Camera("cam1", simulator.SubUrl("cam1"), s => s with { DetectFps = fps, QueueCapacity = capacity, StallTimeoutSeconds = 2 });
        await using var harness = new CameraHarness(camera, temp.Path);
        await harness.Runner.WaitForAsync(h => h.Frames >= 5, Patience);

        var frozenAt = DateTimeOffset.UtcNow;
        simulator.Freeze();
        var stalled = await harness.Runner.WaitForAsync(h => h.State == CameraState.Stalled, TimeSpan.FromSeconds(15));
        Assert.Contains("no frame for 2 s", stalled.LastError, StringComparison.Ordinal);
        Assert.InRange((stalled.StateSince - frozenAt).TotalSeconds, 1.5, 6); // the stall timeout plus the frame in flight

        var resumedAt = DateTimeOffset.UtcNow;
        simulator.Resume();
        await harness.Runner.WaitForAsync(h => h.State == CameraState.Streaming && h.Frames >= stalled.Frames + 15, Patience);
        var seen = await harness.StopAsync();

        var after = seen.Where(f => f.ReadAt > resumedAt).ToList();
        Assert.NotEmpty(after);
        foreach (var (first, second) in after.Zip(after.Skip(1)))
        {
            // In capture time, frames are never closer than half the detection interval: nothing held back is replayed.
            Assert.True(second.CapturedAt - first.CapturedAt >= TimeSpan.FromSeconds(0.5 / fps), $"frames captured {first.CapturedAt:O} and {second.CapturedAt:O} both reached the detector");
        }

        foreach (var frame in after)
        {
            // In arrival time, at most what ffmpeg reads while it opens the stream (half a second) comes at once.
            var burst = after.Count(f => f.ReadAt >= frame.ReadAt && f.ReadAt < frame.ReadAt.AddSeconds(1));
            Assert.True(burst <= (1.5 * fps) + capacity, $"{burst} frames reached the detector within one second after the resume");
        }

        Assert.Equal(0, harness.Pool.Outstanding);
    }

    [Fact]
    public async Task WrongPathAndRefusedPort_GiveClearErrors_OtherCameraUnaffected()
    {
        using var simulator = await TestCameras.StartSimulatorAsync();
        using var temp = new TempFolder();
        var config = new CwwConfig
        {
            Paths = new PathsConfig { Data = temp.Path },
            Cameras =
            [
                CameraHarness.Camera("good", simulator.SubUrl("cam1")),
                CameraHarness.Camera("wrongpath", $"rtsp://127.0.0.1:{simulator.Options.Port}/no-such-camera"),
                CameraHarness.Camera("refused", $"rtsp://127.0.0.1:{CameraSimulator.FreePort()}/cam1"),
            ],
        };
        var pool = new FramePool();
        using var ingest = new IngestService(config, pool, NullLoggerFactory.Instance);
        await ingest.StartAsync(CancellationToken.None);
        var drains = ingest.Cameras.Select(c => Task.Run(async () =>
        {
            await foreach (var frame in c.Frames.ReadAllAsync())
            {
                frame.Dispose();
            }
        })).ToList();

        var wrongPath = await ingest.Camera("wrongpath").WaitForAsync(h => h.Reconnects >= 2, Patience);
        var refused = await ingest.Camera("refused").WaitForAsync(h => h.Reconnects >= 2, Patience);
        var good = await ingest.Camera("good").WaitForAsync(h => h.Frames >= 15, Patience);
        await ingest.StopAsync(CancellationToken.None);
        await Task.WhenAll(drains);

        Assert.Contains("404", wrongPath.LastError, StringComparison.Ordinal);
        Assert.Contains("no stream at that path", wrongPath.LastError, StringComparison.Ordinal);
        Assert.Contains("connection refused", refused.LastError, StringComparison.Ordinal);
        Assert.Equal(CameraState.Streaming, good.State);
        Assert.Equal(0, good.Reconnects);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Recording_ClipCut_CoversTheRequestedWindowWithinOneGopAndFfprobeReadsIt()
    {
        using var simulator = await TestCameras.StartSimulatorAsync();
        using var temp = new TempFolder();
        var camera = CameraHarness.Camera("cam1", simulator.MainUrl("cam1"), s => s with { Record = true, SegmentSeconds = 1, DetectFps = 5 }, simulator.SubUrl("cam1"));
        await using var harness = new CameraHarness(camera, temp.Path);
        await harness.Runner.WaitForAsync(h => h.Frames >= 45, Patience); // about 9 s of recording
        var ring = harness.Runner.Ring!;

        var now = DateTimeOffset.UtcNow;
        var from = now.AddSeconds(-7);
        var to = now.AddSeconds(-3);
        var clip = await ring.CutClipAsync(from, to, temp.File("case.mp4"));

        Assert.True(clip.CoversWindow, $"segments cover {clip.Start:O} to {clip.End:O}");
        var probe = await FfprobeAsync(clip.Path);
        Assert.Contains("codec_name=h264", probe, StringComparison.Ordinal);
        Assert.Contains("format_name=mov,mp4", probe, StringComparison.Ordinal);
        var duration = double.Parse(probe.Split("duration=")[1].Split('\n')[0], CultureInfo.InvariantCulture);
        const double gop = 1.0; // the simulator sends a keyframe every second
        // Frames carry the wall-clock time they arrived: on a loaded box a few arrive late, so the last ones of the
        // window may fall just outside it (seen: 3.67 s of a 4 s window with the machine at load 10).
        Assert.InRange(duration, (to - from).TotalSeconds - 0.5, (to - from).TotalSeconds + gop + 0.3);
        var bytes = await File.ReadAllBytesAsync(clip.Path);
        Assert.True(IndexOf(bytes, "moov") < IndexOf(bytes, "mdat"), "faststart: the index comes before the media, so a browser plays at once");
        Assert.Empty(Directory.GetFiles(temp.Path, ".case.mp4*")); // no half-written leftovers
    }

    /// <summary>
    /// The first seconds of a recording session: ffmpeg reads the camera's first packet without a time, and before the
    /// ring mended it a clip cut from the session's first segment held that one packet and no picture (an H.265 clip
    /// with an empty H.264 rendition), and every photo taken in that segment was its second frame.
    /// </summary>
    [Theory]
    [InlineData(StreamCodec.H264)]
    [InlineData(StreamCodec.H265)]
    public async Task Recording_ClipAndPhotosFromTheSessionsFirstSegment_EveryFrameDecodesAtItsTime(StreamCodec codec)
    {
        using var simulator = await CameraSimulator.StartAsync(new SimulatorOptions
        {
            Cameras = [("cam1", TestAssets.CrosswalkFootage)],
            Port = CameraSimulator.FreePort(),
            Fps = 10,
            Codec = codec,
        });
        using var temp = new TempFolder();
        var camera = CameraHarness.Camera("cam1", simulator.MainUrl("cam1"), s => s with { Record = true, SegmentSeconds = 2, DetectFps = 5 }, simulator.SubUrl("cam1"));
        await using var harness = new CameraHarness(camera, temp.Path);
        var ring = harness.Runner.Ring!;
        await Eventually.WaitForAsync(() => Task.FromResult(ring.Segments().Count >= 3), "three recorded segments", TimeSpan.FromMinutes(1));

        var first = ring.Segments()[0];
        Assert.EndsWith("_000000.ts", first.Path, StringComparison.Ordinal); // the session's first segment is there
        var clip = await ring.CutClipAsync(first.Start.AddSeconds(0.3), first.Start.AddSeconds(3.5), temp.File("case.mp4"));
        var (packets, frames) = await CountAsync(clip.Path);
        Assert.True(packets >= 15, $"{packets} packets in a clip of 3.2 s at 10 fps");
        Assert.True(frames >= packets - 1, $"{frames} of {packets} packets decode");

        // Photos at two moments of the first segment are two different frames (before: both its second frame).
        var pictures = CrosswalkWatch.Media.Clips.FrameGrabber.Grab(first.Path, [0.1, 0.9]);
        try
        {
            using var difference = new OpenCvSharp.Mat();
            OpenCvSharp.Cv2.Absdiff(pictures[0], pictures[1], difference);
            Assert.True(OpenCvSharp.Cv2.Sum(difference).Val0 > 0, "the photos at 0.1 s and 0.9 s are the same frame");
        }
        finally
        {
            pictures.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task H265MainStream_ServedByCopyAcrossTheFilesLoop_IsRecordedAsH265AndDetectedOnTheH264Sub()
    {
        // The footage as an H.265 camera's main stream (GOP 25, no B-frames), served without re-encoding: the file is
        // about 5 s long, so 12 s of streaming crosses its loop twice.
        using var temp = new TempFolder();
        var hevc = temp.File("main-h265.mp4");
        var encode = Process.Start(new ProcessStartInfo("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", TestAssets.CrosswalkFootage, "-an", "-vf", "fps=25", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "keyint=25:min-keyint=25:bframes=0:scenecut=0:log-level=error", "-tag:v", "hvc1", hevc]))!;
        await encode.WaitForExitAsync();
        Assert.Equal(0, encode.ExitCode);
        using var simulator = await CameraSimulator.StartAsync(new SimulatorOptions
        {
            Cameras = [("cam1", hevc)],
            Port = CameraSimulator.FreePort(),
            Fps = 25,
            Copy = true,
            SubCodec = StreamCodec.H264,
        });
        var camera = CameraHarness.Camera("cam1", simulator.MainUrl("cam1"), s => s with { Record = true, SegmentSeconds = 1, DetectFps = 5 }, simulator.SubUrl("cam1"));
        await using var harness = new CameraHarness(camera, temp.Path);
        await harness.Runner.WaitForAsync(h => h.Frames >= 60, Patience);

        var health = harness.Runner.Health;
        Assert.Equal("H.265 main, H.264 sub", health.Codec);
        Assert.True(health.Reconnects == 0, $"the stream ran across the file's loop without a reconnect: {health.LastError}");
        var now = DateTimeOffset.UtcNow;
        var clip = await harness.Runner.Ring!.CutClipAsync(now.AddSeconds(-10), now.AddSeconds(-2), temp.File("case.mp4"));
        Assert.True(clip.CoversWindow, $"segments cover {clip.Start:O} to {clip.End:O}");
        var probe = await FfprobeAsync(clip.Path);
        Assert.Contains("codec_name=hevc", probe, StringComparison.Ordinal);
        using var frame = Assert.Single(CrosswalkWatch.Media.Clips.FrameGrabber.Grab(clip.Path, [4.0])); // the evidence photos are grabbed from it
        Assert.Equal(640, frame.Width);
    }

    [Fact]
    public async Task RecordingDiskFull_KeepsWhatWasRecordedPausesRecordingDetectionGoesOn_ThenResumes()
    {
        using var simulator = await TestCameras.StartSimulatorAsync();
        using var temp = new TempFolder();
        using var disk = SmallDisk.Mount(temp.File("disk"), megabytes: 8);
        var filler = disk.Fill(leaveFreeBytes: 700_000);
        var camera = CameraHarness.Camera("cam1", simulator.MainUrl("cam1"), s => s with { Record = true, SegmentSeconds = 1, MinFreeMegabytes = 0 }, simulator.SubUrl("cam1"));
        await using var harness = new CameraHarness(camera, disk.Path);

        var full = await harness.Runner.WaitForAsync(h => h.Recording.StartsWith("paused", StringComparison.Ordinal), Patience);
        Assert.Contains("disk is full", full.LastError, StringComparison.Ordinal);
        var kept = harness.Runner.Ring!.Segments();
        Assert.NotEmpty(kept);

        var going = await harness.Runner.WaitForAsync(h => h.State == CameraState.Streaming && h.Frames >= full.Frames + 10, Patience);
        Assert.StartsWith("paused", going.Recording, StringComparison.Ordinal);

        File.Delete(filler);
        var resumed = await harness.Runner.WaitForAsync(h => h.Recording == "on" && h.State == CameraState.Streaming, Patience);
        await harness.Runner.WaitForAsync(h => h.Frames >= resumed.Frames + 20, Patience);
        var after = harness.Runner.Ring!.Segments();

        Assert.All(kept, s => Assert.Contains(after, a => a.Path == s.Path)); // nothing recorded before the fault was lost
        Assert.Contains(after, a => a.Start > resumed.StateSince.AddSeconds(-1));
        await harness.StopAsync();
        Assert.Equal(0, harness.Pool.Outstanding);
    }

    private static async Task<string> FfprobeAsync(string path)
    {
        var info = new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "format=format_name,duration:stream=codec_name", "-of", "default=nw=1", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffprobe could not read {path}: {errors}");
        return output;
    }

    /// <summary>The packets of a file's video and the frames of them that decode.</summary>
    private static async Task<(int Packets, int Frames)> CountAsync(string path)
    {
        var info = new ProcessStartInfo("ffprobe", ["-v", "error", "-count_packets", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_packets,nb_read_frames", "-of", "csv=p=0", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffprobe could not read {path}: {errors}");
        var counts = output.Split(',');
        return (int.Parse(counts[1], CultureInfo.InvariantCulture), counts[0] == "N/A" ? 0 : int.Parse(counts[0], CultureInfo.InvariantCulture));
    }

    private static int IndexOf(byte[] bytes, string atom) => bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(atom));
}
