using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Edge.Pipeline;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>
/// The scheduler's idle wait with a camera that stays down: every idle turn waits for any camera's next frame, and a
/// dead camera must hold one waiter however many turns go by (before the fix it gained one per turn, for hours).
/// </summary>
public class DetectionSchedulerIdleTests
{
    /// <summary>A camera's frames that counts the waits still pending on them.</summary>
    private sealed class CountingReader(ChannelReader<Frame> inner) : ChannelReader<Frame>
    {
        private int _pending;
        private int _most;

        public int Pending => Volatile.Read(ref _pending);

        public int Most => Volatile.Read(ref _most);

        public override Task Completion => inner.Completion;

        public override bool TryRead([MaybeNullWhen(false)] out Frame item) => inner.TryRead(out item);

        public override async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _pending);
            InterlockedMax(ref _most, now);
            try
            {
                return await inner.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    [Fact]
    public async Task Run_ManyIdleTurnsWithADeadCamera_KeepsOneWaiterOnIt()
    {
        const int Frames = 500;
        var pool = new FramePool();
        var detector = new NoCostDetector();
        var deadCamera = Channel.CreateUnbounded<Frame>();
        var dead = new CountingReader(deadCamera.Reader);
        var live = Channel.CreateBounded<Frame>(1);
        var scheduler = new DetectionScheduler(
            [
                new ScheduledCamera("dead", dead, new CameraPipeline("dead", detector, ScriptedScene.Model(), new YieldRuleSettings()), 5),
                new ScheduledCamera("live", live.Reader, new CameraPipeline("live", detector, ScriptedScene.Model(), new YieldRuleSettings()), 5),
            ],
            _ => { });
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => scheduler.RunAsync(stop.Token));

        // One frame at a time: the scheduler detects it and goes idle again before the next can be written, so each
        // frame is at least one idle turn that waits on both cameras.
        for (var i = 0; i < Frames; i++)
        {
            var frame = pool.Rent("live", 4, 4);
            await live.Writer.WriteAsync(frame);
            Assert.True(dead.Pending <= 1, $"{dead.Pending} waits pending on the dead camera after {i} frames");
        }

        while (scheduler.Shares().Single(s => s.CameraId == "live").Detected + scheduler.Shares().Single(s => s.CameraId == "live").Skipped < Frames)
        {
            await Task.Delay(10);
        }

        var detected = scheduler.Shares().Single(s => s.CameraId == "live").Detected;
        await stop.CancelAsync();
        await scheduler.Detecting;
        deadCamera.Writer.Complete();
        live.Writer.Complete();
        await running;

        Assert.True(detected > Frames / 10, $"only {detected} of {Frames} frames were detected: too few idle turns to show anything");
        Assert.Equal(1, dead.Most);
        Assert.Equal(0, pool.Outstanding);
    }
}
