using System.Threading.Channels;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Edge.Pipeline;
using static CrosswalkWatch.Testing.Script;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>
/// How detection stops: the box stops detecting before it stops its cameras, so the candidate of a vehicle still on
/// the crosswalk is handed on while the recording goes on (its package needs the 5 s after the event); and a camera
/// that failed for good ends its share instead of being waited on for ever.
/// </summary>
public class DetectionSchedulerStopTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StopDetecting_VehicleOnTheCrosswalk_HandsItsCandidateOnWhileTheCameraStillRuns()
    {
        var pool = new FramePool();
        var camera = Channel.CreateBounded<Frame>(4);
        var candidates = new List<ViolationCandidate>();
        var walker = Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61)); // standing in the car's lane
        var pipeline = new CameraPipeline("cam1", new ScriptedDetector(Southbound(1), walker), ScriptedScene.Model(), new YieldRuleSettings());
        var scheduler = new DetectionScheduler([new ScheduledCamera("cam1", camera.Reader, pipeline, 5)], c =>
        {
            lock (candidates)
            {
                candidates.Add(c);
            }
        });
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => scheduler.RunAsync(stop.Token));

        // Two seconds at 5 fps: the car is past its line and on the crosswalk (its front at y 0.625), not gone.
        const int Frames = 11;
        for (var n = 0; n < Frames; n++)
        {
            await camera.Writer.WriteAsync(Next(pool, n));
            while (scheduler.Shares().Single().Detected < n + 1)
            {
                await Task.Delay(5);
            }
        }

        Assert.Empty(candidates);
        await stop.CancelAsync();
        await scheduler.Detecting.WaitAsync(HangGuard);

        var candidate = Assert.Single(candidates);
        Assert.Equal(1, candidate.VehicleTrackId);
        Assert.False(running.IsCompleted, "the camera still runs: the scheduler goes on releasing its frames until it stops");

        // Frames after the stop go back to the pool undetected, until the camera stops.
        for (var n = Frames; n < Frames + 6; n++)
        {
            await camera.Writer.WriteAsync(Next(pool, n));
        }

        camera.Writer.Complete();
        await running.WaitAsync(HangGuard);
        Assert.Equal(Frames, scheduler.Shares().Single().Detected);
        Assert.Single(candidates);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Run_CameraFailedForGood_EndsWhenTheOthersStop()
    {
        var pool = new FramePool();
        var failed = Channel.CreateBounded<Frame>(4);
        var live = Channel.CreateBounded<Frame>(4);
        var detector = new NoCostDetector();
        var scheduler = new DetectionScheduler(
            [
                new ScheduledCamera("failed", failed.Reader, new CameraPipeline("failed", detector, ScriptedScene.Model(), new YieldRuleSettings()), 5),
                new ScheduledCamera("live", live.Reader, new CameraPipeline("live", detector, ScriptedScene.Model(), new YieldRuleSettings()), 5),
            ],
            _ => { });
        var running = Task.Run(() => scheduler.RunAsync(CancellationToken.None));

        // A camera that fails for good completes its frames with the error (CameraRunner), after its last frame.
        await failed.Writer.WriteAsync(pool.Rent("failed", 4, 4));
        failed.Writer.Complete(new IOException("rtsp://10.0.0.9/main: 401 Unauthorized"));
        await live.Writer.WriteAsync(pool.Rent("live", 4, 4));
        live.Writer.Complete();

        await running.WaitAsync(HangGuard);
        Assert.Equal(1, scheduler.Shares().Single(s => s.CameraId == "failed").Detected);
        Assert.Equal(0, pool.Outstanding);
    }

    private static Frame Next(FramePool pool, int n)
    {
        var frame = pool.Rent("cam1", 4, 4);
        frame.Sequence = n + 1;
        frame.CapturedAt = Start.AddSeconds(n / 5.0);
        return frame;
    }
}
