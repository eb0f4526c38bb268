using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Edge.Pipeline;
using CrosswalkWatch.Ingest.Cameras;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// The detector shared by a box's cameras. A detector with a fixed cost stands in for the model here (the real one
/// runs in the replay and demo tests), so that demand and capacity are known: three real file cameras at their own
/// rate (about 11 fps each) against a detector that manages about 20 frames a second.
/// </summary>
public class DetectionSchedulerTests
{
    private sealed class FixedCostDetector(TimeSpan cost) : IObjectDetector
    {
        public string ModelKey => "fixed-cost";

        public FrameDetections Detect(Frame frame, Box? region = null)
        {
            Thread.Sleep(cost); // the cost of a model run, without the model
            return new FrameDetections(frame.CameraId, frame.Sequence, frame.CapturedAt, frame.Width, frame.Height, []);
        }

        public void Dispose()
        {
        }
    }

    private static async Task<IReadOnlyList<DetectionShare>> RunAsync(int cameras, TimeSpan cost, double fps, int perCamera = 20)
    {
        using var temp = new TempFolder();
        var pool = new FramePool();
        using var detector = new FixedCostDetector(cost);
        var runners = Enumerable.Range(1, cameras).Select(i => CameraFactory.Create(
            CameraHarness.Camera($"cam{i}", TestAssets.CrosswalkFootage, s => s with { RealTime = true, DetectFps = fps }),
            temp.Path, pool, NullLoggerFactory.Instance)).ToList();
        var scheduler = new DetectionScheduler(
            runners.Select(r => new ScheduledCamera(r.CameraId, r.Frames, new CameraPipeline(r.CameraId, detector, ScriptedScene.Model(), new YieldRuleSettings()), fps)),
            _ => { });
        using var stop = new CancellationTokenSource();
        var runs = runners.Select(r => Task.Run(() => r.RunAsync(stop.Token))).ToList();
        var scheduling = Task.Run(() => scheduler.RunAsync(CancellationToken.None));

        // Let the cameras run for a while, measured by frames detected (no sleeping on the clock).
        while (scheduler.Shares().Sum(s => s.Detected) < perCamera * cameras)
        {
            await Task.WhenAny(scheduling, Task.Delay(100));
        }

        var shares = scheduler.Shares();
        var overloaded = scheduler.Overloaded;
        await stop.CancelAsync();
        await Task.WhenAll(runs);
        await scheduling.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var runner in runners)
        {
            await runner.DisposeAsync();
        }

        Assert.Equal(0, pool.Outstanding);
        return overloaded ? shares : [];
    }

    [Fact]
    public async Task Run_MoreDemandThanTheDetectorCanServe_LowersEveryCamerasRateEvenlyAndSaysSo()
    {
        // 50 detections a camera (about 7.5 s): over 20, a loaded machine's uneven decoding alone swung the shares by a third.
        var shares = await RunAsync(cameras: 3, cost: TimeSpan.FromMilliseconds(50), fps: 30, perCamera: 50);

        Assert.Equal(3, shares.Count); // overloaded (else the list is empty)
        var detected = shares.Select(s => s.Detected).ToList();
        Assert.True(detected.Max() <= 1.3 * detected.Min(), $"detections per camera {string.Join(", ", detected)} are not even");
        Assert.All(shares, s => Assert.True(s.Skipped > 0, $"{s.CameraId} skipped no frame although the detector was behind"));
    }

    [Fact]
    public async Task Run_DetectorWithRoomToSpare_IsNotOverloaded()
    {
        Assert.Empty(await RunAsync(cameras: 1, cost: TimeSpan.FromMilliseconds(2), fps: 5));
    }
}
