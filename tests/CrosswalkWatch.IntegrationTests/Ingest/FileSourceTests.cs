using CrosswalkWatch.Domain.Health;
using OpenCvSharp;

namespace CrosswalkWatch.IntegrationTests.Ingest;

/// <summary>Video files and image folders as cameras, on the real sample footage.</summary>
public class FileSourceTests
{
    [Fact]
    public async Task VideoFile_FastReplay_DeliversFramesInOrderAtTheDetectionRateAndEnds()
    {
        using var temp = new TempFolder();
        var clockStart = DateTimeOffset.Parse("2026-03-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var camera = CameraHarness.Camera("file", TestAssets.CrosswalkFootage, s => s with { RealTime = false, DetectFps = 5, QueueCapacity = 64 });
        await using var harness = new CameraHarness(camera, temp.Path, replayClockStart: clockStart);

        var seen = await harness.CompletionAsync(TimeSpan.FromSeconds(60));

        // 13 s of footage at 5 fps: about 65 frames; the file is ~11 fps variable rate, so every second frame or so.
        Assert.InRange(seen.Count, 50, 70);
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), seen.Select(f => f.Sequence));
        Assert.All(seen, f => Assert.Equal((640, 352), (f.Width, f.Height)));
        Assert.Equal(clockStart, seen[0].CapturedAt);
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.CapturedAt > p.First.CapturedAt), "capture times increase");
        Assert.InRange((seen[^1].CapturedAt - clockStart).TotalSeconds, 12, 13.5);
        Assert.True(seen.Select(f => f.Checksum).Distinct().Count() > 10, "the frames hold real, changing pictures");
        Assert.Equal(CameraState.Ended, harness.Runner.Health.State);
        Assert.Equal(0, harness.Pool.Outstanding);
    }

    [Fact]
    public async Task VideoFile_FastReplaySlowConsumer_WaitsInsteadOfDropping()
    {
        using var temp = new TempFolder();
        var camera = CameraHarness.Camera("replay", TestAssets.CrosswalkFootage, s => s with { RealTime = false, DetectFps = 2, QueueCapacity = 1 });
        await using var harness = new CameraHarness(camera, temp.Path, consumerDelay: TimeSpan.FromMilliseconds(20));

        var seen = await harness.CompletionAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, harness.Runner.Health.Drops);
        Assert.Equal(harness.Runner.Health.Frames, seen.Count);
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), seen.Select(f => f.Sequence));
        Assert.Equal(0, harness.Pool.Outstanding);
    }

    [Fact]
    public async Task VideoFile_RealTimeSlowConsumer_DropsOldestCountsDropsAndLeaksNothing()
    {
        using var temp = new TempFolder();
        var camera = CameraHarness.Camera("slow", TestAssets.CrosswalkFootage, s => s with { RealTime = true, DetectFps = 30, QueueCapacity = 2 });
        await using var harness = new CameraHarness(camera, temp.Path, consumerDelay: TimeSpan.FromMilliseconds(300));

        await harness.Runner.WaitForAsync(h => h.Drops >= 3, TimeSpan.FromSeconds(30));
        var seen = await harness.StopAsync();
        var health = harness.Runner.Health;

        Assert.Equal(health.Frames, seen.Count + health.Drops);
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.Sequence > p.First.Sequence), "kept frames stay in order");
        // Dropped frames are missing from what the consumer saw: a gap, or (on a loaded box, where the consumer takes its
        // first frame late) the first frames themselves.
        Assert.True(seen[0].Sequence > 1 || seen.Zip(seen.Skip(1)).Any(p => p.Second.Sequence > p.First.Sequence + 1), "the dropped frames are missing from what the consumer saw: " + string.Join(", ", seen.Select(f => f.Sequence)));
        Assert.Equal(0, harness.Pool.Outstanding);
    }

    [Fact]
    public async Task VideoFile_CorruptFramesInTheMiddle_SkipsOrConcealsThemAndDeliversTheRest()
    {
        using var temp = new TempFolder();
        var damaged = temp.File("damaged.mp4");
        var bytes = await File.ReadAllBytesAsync(TestAssets.CrosswalkFootage);
        new Random(11).NextBytes(bytes.AsSpan(400_000, 60_000)); // garbage over about a second of the picture data
        await File.WriteAllBytesAsync(damaged, bytes);
        var camera = CameraHarness.Camera("damaged", damaged, s => s with { RealTime = false, DetectFps = 5, QueueCapacity = 8 });
        await using var harness = new CameraHarness(camera, temp.Path);

        var seen = await harness.CompletionAsync(TimeSpan.FromSeconds(60));

        Assert.InRange(seen.Count, 40, 70); // an intact replay gives about 65
        Assert.Contains(seen, f => f.CapturedAt - seen[0].CapturedAt > TimeSpan.FromSeconds(10)); // frames after the damage still come
        Assert.Contains("could not be decoded (damaged file?); skipped", harness.Runner.Health.LastError, StringComparison.Ordinal);
        Assert.Equal(CameraState.Ended, harness.Runner.Health.State);
        Assert.Equal(0, harness.Pool.Outstanding);
    }

    [Fact]
    public async Task VideoFile_Missing_FailsWithoutRetryNamingTheFile()
    {
        using var temp = new TempFolder();
        var camera = CameraHarness.Camera("gone", temp.File("no-such.mp4"));
        await using var harness = new CameraHarness(camera, temp.Path);

        var health = await harness.Runner.WaitForAsync(h => h.State == CameraState.Failed, TimeSpan.FromSeconds(30));

        Assert.Contains("no-such.mp4", health.LastError, StringComparison.Ordinal);
        Assert.Equal(0, health.Reconnects);
    }

    [Fact]
    public async Task VideoFile_NotAVideo_FailsSayingSo()
    {
        using var temp = new TempFolder();
        var path = temp.File("notes.mp4");
        await File.WriteAllTextAsync(path, "this is not a video");
        await using var harness = new CameraHarness(CameraHarness.Camera("bad", path), temp.Path);

        var health = await harness.Runner.WaitForAsync(h => h.State == CameraState.Failed, TimeSpan.FromSeconds(30));

        Assert.Contains("notes.mp4", health.LastError, StringComparison.Ordinal);
        Assert.Contains("not a video", health.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageFolder_WithCorruptImage_SkipsItReportsItAndDeliversTheRest()
    {
        using var temp = new TempFolder();
        using (var capture = new VideoCapture(TestAssets.CrosswalkFootage))
        using (var image = new Mat())
        {
            for (var i = 0; i < 4; i++)
            {
                capture.Read(image);
                Cv2.ImWrite(temp.File($"frame{i}.jpg"), image);
            }
        }

        await File.WriteAllBytesAsync(temp.File("frame2.jpg"), [0xFF, 0xD8, 0xFF, 0x00, 0x13]); // a torn JPEG
        var camera = CameraHarness.Camera("stills", temp.Path, s => s with { RealTime = false, QueueCapacity = 1 });
        await using var harness = new CameraHarness(camera, Path.GetTempPath());

        var seen = await harness.CompletionAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, seen.Count);
        Assert.Contains("frame2.jpg", harness.Runner.Health.LastError, StringComparison.Ordinal);
        Assert.Equal(CameraState.Ended, harness.Runner.Health.State);
        Assert.Equal(0, harness.Pool.Outstanding);
    }

    [Fact]
    public async Task ImageFolder_Empty_FailsSayingWhatItWanted()
    {
        using var temp = new TempFolder();
        await using var harness = new CameraHarness(CameraHarness.Camera("empty", temp.Path), temp.Path);

        var health = await harness.Runner.WaitForAsync(h => h.State == CameraState.Failed, TimeSpan.FromSeconds(30));

        Assert.Contains("no .jpg, .png or .bmp images", health.LastError, StringComparison.Ordinal);
    }
}
