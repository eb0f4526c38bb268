using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Ingest.Cameras;
using CrosswalkWatch.Ingest.Sources;

namespace CrosswalkWatch.UnitTests.Ingest;

public class IngestPiecesTests
{
    [Theory]
    [InlineData(1920, 1080, 640, 360, 640, 360)]
    [InlineData(640, 352, 640, 360, 640, 352)]   // the sample footage: kept, never stretched
    [InlineData(1280, 960, 640, 360, 480, 360)]  // 4:3 camera in a 16:9 box
    [InlineData(320, 180, 640, 360, 320, 180)]   // never upscaled
    [InlineData(1921, 1081, 640, 360, 640, 360)] // odd sizes come out even
    public void FitWithin_SourceAndBox_KeepsAspectEvenAndNoUpscale(int sw, int sh, int bw, int bh, int ew, int eh)
    {
        Assert.Equal((ew, eh), FrameGeometry.FitWithin(sw, sh, bw, bh));
    }

    [Fact]
    public void FitWithin_EmptySource_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameGeometry.FitWithin(0, 0, 640, 360));
    }

    [Theory]
    [InlineData(5, new double[0], new double[0])]
    [InlineData(5, new[] { 0.0, 0.04, 0.08, 0.12, 0.16, 0.20, 0.24, 0.28, 0.32, 0.36, 0.40 }, new[] { 0.0, 0.12, 0.32 })] // 25 fps stream
    [InlineData(5, new[] { 0.0, 0.5, 1.0 }, new[] { 0.0, 0.5, 1.0 })]                          // slower stream: every frame, never duplicated
    [InlineData(5, new[] { 0.0, 0.05, 5.0, 5.05, 5.3 }, new[] { 0.0, 5.0, 5.3 })]               // after a gap the next frame passes at once
    [InlineData(5, new[] { 0.0, 5.0, 5.001, 5.002, 5.003 }, new[] { 0.0, 5.0 })]               // a backlog arriving at once is not passed on
    [InlineData(10, new[] { 0.0, 0.033, 0.067, 0.1, 0.133, 0.167, 0.2 }, new[] { 0.0, 0.067, 0.167 })] // 30 fps stream to 10 fps
    [InlineData(25, new[] { 0.0, 0.039, 0.081, 0.119, 0.161 }, new[] { 0.0, 0.039, 0.081, 0.119, 0.161 })] // jitter at the stream's own rate costs nothing
    public void RateGate_FrameTimes_PassesAtMostTheRate(double fps, double[] times, double[] expected)
    {
        var gate = new RateGate(fps);
        Assert.Equal(expected, times.Where(gate.Pass).ToArray());
    }

    [Fact]
    public void RateGate_EveryFrameRate_PassesBurstsToo()
    {
        var gate = new RateGate(RateGate.EveryFrame);
        Assert.All(BurstyArrivals, t => Assert.True(gate.Pass(t)));
    }

    private static readonly double[] BurstyArrivals = [0.0, 0.001, 0.002, 0.08, 0.081];

    [Fact]
    public void RateGate_LongRun_AveragesExactlyTheRate()
    {
        var gate = new RateGate(5);
        var jitter = new Random(3);
        var passed = Enumerable.Range(0, 2500).Select(i => (i * 0.04) + (jitter.NextDouble() * 0.01)).Count(gate.Pass); // 100 s at 25 fps
        Assert.InRange(passed, 499, 501);
    }

    [Fact]
    public void RateGate_TimeGoesBack_PassesAndRestarts()
    {
        var gate = new RateGate(5);
        Assert.True(gate.Pass(10.0));
        Assert.True(gate.Pass(0.0)); // a looped file starts again
        Assert.False(gate.Pass(0.05));
    }

    [Fact]
    public void Backoff_RepeatedFailures_GrowsWithJitterUpToMaximumAndResets()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), new Random(7));
        var waits = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToList();
        for (var i = 0; i < waits.Count; i++)
        {
            var ceiling = Math.Min(8, Math.Pow(2, i));
            Assert.InRange(waits[i], ceiling / 2, ceiling);
        }

        Assert.True(waits.Distinct().Count() > 4, "jitter makes the waits differ");
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.5, 1.0);
    }

    [Theory]
    [InlineData("[tcp @ 0x5599] [error] Connection to tcp://127.0.0.1:9?timeout=0 failed: Connection refused", "connection refused")]
    [InlineData("[rtsp @ 0x55] [error] method DESCRIBE failed: 404 Not Found", "404 Not Found: no stream at that path")]
    [InlineData("[rtsp @ 0x55] [error] method DESCRIBE failed: 401 Unauthorized", "wrong user name or password")]
    [InlineData("[error] rtsp://127.0.0.1:8554/x: Connection timed out", "no answer from the camera in time")]
    [InlineData("[tcp @ 0x1] [error] Failed to resolve hostname nosuchcamera: Name or service not known", "could not be resolved")]
    [InlineData("[segment @ 0x1] [error] Failed to open segment 'x.ts': No space left on device", "recording disk is full")]
    [InlineData("[error] something new went wrong", "something new went wrong")]
    public void Explain_FfmpegErrorLine_SaysCauseAndHint(string line, string expected)
    {
        Assert.Contains(expected, FfmpegLog.Explain(line), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_CorruptFrameNoise_IsNotAnError()
    {
        Assert.Null(FfmpegLog.Explain("[h264 @ 0x55] [error] error while decoding MB 12 7, bytestream -5"));
    }

    [Fact]
    public void Take_HeaderLines_ReadsSizesAndInputStarts()
    {
        var log = new FfmpegLog();
        string[] lines =
        [
            "[info] Input #0, rtsp, from 'rtsp://127.0.0.1:8554/cam1/sub':",
            "[info]   Duration: N/A, start: 1795829240.233767, bitrate: N/A",
            "[info]   Stream #0:0: Video: h264 (Constrained Baseline), yuv420p(tv, smpte170m, progressive), 640x360 [SAR 1:1 DAR 16:9], 25 fps, 25 tbr, 90k tbn",
            "[info] Input #1, rtsp, from 'rtsp://127.0.0.1:8554/cam1':",
            "[info]   Duration: N/A, start: 1795829241.817511, bitrate: N/A",
            "[info]   Stream #1:0: Video: h264 (Constrained Baseline), yuv420p(tv, smpte170m, progressive), 1920x1080, 25 fps, 25 tbr, 90k tbn",
            "[info] Output #0, rawvideo, to 'pipe:1':",
            "[info]   Stream #0:0: Video: rawvideo (BGR[24] / 0x18524742), bgr24(pc, progressive), 640x360 [SAR 1:1 DAR 16:9], q=2-31, 25 fps",
        ];
        foreach (var line in lines)
        {
            Assert.False(log.Take(line));
        }

        Assert.Equal("640x360", log.InputSize);
        Assert.Equal((640, 360), log.OutputSize);
        Assert.Equal(1795829240.233767, log.InputStart(0));
        Assert.Equal(1795829241.817511, log.InputStart(1));
        Assert.Null(log.InputStart(2));
        Assert.Equal("H.264", log.InputCodec(0));
        Assert.Equal("H.264", log.InputCodec(1));
        Assert.Null(log.InputCodec(2));
    }

    [Fact]
    public void Take_H265MainAndH264Sub_NamesEachInputsCodecAsOperatorsDo()
    {
        var log = new FfmpegLog();
        string[] lines =
        [
            "[info] Input #0, rtsp, from 'rtsp://127.0.0.1:8554/cam1/sub':",
            "[info]   Stream #0:0: Video: h264 (Constrained Baseline), yuv420p(tv, smpte170m, progressive), 640x360 [SAR 1:1 DAR 16:9], 25 fps, 25 tbr, 90k tbn",
            "[info] Input #1, rtsp, from 'rtsp://127.0.0.1:8554/cam1':",
            "[info]   Stream #1:0: Video: hevc (Main), yuv420p(tv), 1920x1080, 25 fps, 25 tbr, 90k tbn",
            "[info] Output #0, rawvideo, to 'pipe:1':",
            "[info]   Stream #0:0: Video: rawvideo (BGR[24] / 0x18524742), bgr24(pc, progressive), 640x360 [SAR 1:1 DAR 16:9], q=2-31, 25 fps",
            "[info] Output #1, segment, to '/r/s_%06d.ts':",
            "[info]   Stream #1:0: Video: hevc (Main), yuv420p(tv), 1920x1080, q=2-31, 25 fps",
        ];
        foreach (var line in lines)
        {
            log.Take(line);
        }

        Assert.Equal("H.264", log.InputCodec(0));
        Assert.Equal("H.265", log.InputCodec(1)); // outputs (the raw frames, the segments) are not inputs
        Assert.Equal("vp9", CrosswalkWatch.Media.FfmpegFile.CodecName("vp9"));
    }

    [Fact]
    public void ForRtsp_SubStreamAndRecording_DetectsFromSubRecordsMainWithWallClock()
    {
        var settings = new IngestSettings { DetectFps = 5, DetectWidth = 640, DetectHeight = 360 };
        var args = FfmpegArguments.ForRtsp("rtsp://cam/sub", "rtsp://cam/main", settings, new FfmpegArguments.RecordingTarget("/r/s_%06d.ts", "/r/s.csv", 2)).ToList();
        var joined = string.Join(' ', args);

        Assert.Equal(2, args.Count(a => a == "-i"));
        Assert.Equal("rtsp://cam/sub", args[args.IndexOf("-i") + 1]);
        Assert.Equal(2, args.Count(a => a == "-use_wallclock_as_timestamps"));
        Assert.Contains("-map 1:v:0 -c:v copy", joined, StringComparison.Ordinal);
        Assert.Contains("select='if(gte(t\\,ld(0)-0.1)\\,st(0\\,max(ld(0)\\,t)+0.2)*0+1\\,0)'", joined, StringComparison.Ordinal);
        Assert.Contains("-fps_mode passthrough", joined, StringComparison.Ordinal);
        Assert.Equal(1, FfmpegArguments.RecordInput("rtsp://cam/sub", "rtsp://cam/main"));
    }

    [Fact]
    public void ForRtsp_OneUrl_RecordsAndDetectsFromTheSameConnection()
    {
        var args = FfmpegArguments.ForRtsp("rtsp://cam/main", "rtsp://cam/main", new IngestSettings(), new FfmpegArguments.RecordingTarget("s_%06d.ts", "s.csv", 2));
        Assert.Equal(1, args.Count(a => a == "-i"));
        Assert.Contains("-map 0:v:0 -c:v copy", string.Join(' ', args), StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_Disposed_ReturnsBufferOnceAndRefusesAccess()
    {
        var pool = new FramePool();
        var frame = pool.Rent("cam1", 64, 32);
        Assert.Equal(1, pool.Outstanding);
        Assert.Equal(64 * 32 * 3, frame.Pixels.Length);

        frame.Dispose();
        frame.Dispose();

        Assert.Equal(0, pool.Outstanding);
        Assert.True(frame.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => frame.Pixels.Length);
    }
}
