using System.Threading.Channels;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Violations;

namespace CrosswalkWatch.Edge.Pipeline;

/// <summary>One camera's share of the detector, for health.</summary>
/// <param name="Detected">Frames taken from the camera and judged (the motion gate's among them).</param>
/// <param name="Gated">Of those, the frames the motion gate kept from the model.</param>
/// <param name="Idle">The motion gate holds the camera at its keep-alive rate now.</param>
public sealed record DetectionShare(string CameraId, double ConfiguredFps, double AchievedFps, long Detected, long Skipped, long Gated = 0, bool Idle = false);

/// <summary>A camera as the scheduler sees it: its frames as ingest hands them on, and its decision chain.</summary>
public sealed record ScheduledCamera(string CameraId, ChannelReader<Frame> Frames, CameraPipeline Pipeline, double ConfiguredFps);

/// <summary>
/// Shares the box's one detector fairly between its cameras: round robin over the cameras, each turn on the newest
/// frame the camera has (older queued frames are skipped and counted), so a box with more cameras than it can
/// detect lowers every camera's rate evenly instead of falling behind; the health says when that happens.
/// </summary>
public sealed class DetectionScheduler
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly List<Lane> _lanes;
    private readonly Action<ViolationCandidate> _onCandidate;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _detecting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DetectionScheduler(IEnumerable<ScheduledCamera> cameras, Action<ViolationCandidate> onCandidate, TimeProvider? time = null)
    {
        _lanes = cameras.Select(c => new Lane(c)).ToList();
        _onCandidate = onCandidate;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// True when, over the last few seconds, more than a fifth of some camera's frames were skipped because the
    /// detector was busy with the others.
    /// </summary>
    public bool Overloaded
    {
        get
        {
            var now = _time.GetUtcNow();
            return _lanes.Any(l => l.RecentSkippedShare(now) > 0.2);
        }
    }

    public IReadOnlyList<DetectionShare> Shares()
    {
        var now = _time.GetUtcNow();
        return _lanes.Select(l => l.Share(now)).ToList();
    }

    /// <summary>
    /// Runs until every camera's frames are completed (the cameras stopped). When <paramref name="stopDetecting"/> is
    /// cancelled first, it stops detecting at once and completes the candidates of vehicles still on the crosswalk
    /// (<see cref="CameraPipeline.Flush"/>) while the cameras go on recording, so that their packages get the seconds
    /// after the event; <see cref="Detecting"/> then completes, and the frames still coming are only released until the
    /// cameras stop.
    /// </summary>
    public async Task RunAsync(CancellationToken stopDetecting)
    {
        try
        {
            await DetectAsync(stopDetecting).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopDetecting.IsCancellationRequested)
        {
            // Stopped by the box: the candidates are completed below, the cameras are still recording.
        }

        foreach (var lane in _lanes)
        {
            foreach (var candidate in lane.Pipeline.Flush())
            {
                _onCandidate(candidate);
            }
        }

        _detecting.TrySetResult();
        await ReleaseUntilStoppedAsync().ConfigureAwait(false);
    }

    /// <summary>Completes once detection has ended and the last candidates were handed on.</summary>
    public Task Detecting => _detecting.Task;

    private async Task DetectAsync(CancellationToken cancellationToken)
    {
        var start = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var worked = false;
            for (var i = 0; i < _lanes.Count; i++)
            {
                var lane = _lanes[(start + i) % _lanes.Count];
                if (!lane.TryTakeNewest(_time.GetUtcNow(), out var frame))
                {
                    continue;
                }

                worked = true;
                using (frame)
                {
                    foreach (var candidate in lane.Pipeline.Process(frame))
                    {
                        _onCandidate(candidate);
                    }
                }

                lane.Detected(_time.GetUtcNow());
            }

            start = (start + 1) % Math.Max(1, _lanes.Count);
            if (worked)
            {
                continue;
            }

            // Nothing queued: wait for any camera's next frame, or stop when all cameras have stopped. Each lane keeps
            // one wait until it completes, so a camera that stays down for hours holds one waiter, not one per turn.
            var open = _lanes.Where(l => !l.Completed).ToList();
            if (open.Count == 0)
            {
                return;
            }

            await Task.WhenAny(open.Select(l => l.WaitAsync(cancellationToken))).ConfigureAwait(false);
        }
    }

    /// <summary>After detection stopped: every frame the cameras still hand on goes back to the pool, until they stop.</summary>
    private async Task ReleaseUntilStoppedAsync()
    {
        while (_lanes.Where(l => !l.Completed).ToList() is { Count: > 0 } open)
        {
            foreach (var lane in open)
            {
                lane.Release();
            }

            await Task.WhenAny(open.Select(l => l.WaitAsync(CancellationToken.None))).ConfigureAwait(false);
        }
    }

    private sealed class Lane(ScheduledCamera camera)
    {
        private readonly Queue<DateTimeOffset> _recent = new();
        private readonly Queue<DateTimeOffset> _recentSkips = new();
        private long _detected;
        private long _skipped;
        private Task? _waiting;

        public CameraPipeline Pipeline { get; } = camera.Pipeline;


        public bool Completed { get; private set; }

        public bool TryTakeNewest(DateTimeOffset now, out Frame frame)
        {
            frame = null!;
            Frame? newest = null;
            while (camera.Frames.TryRead(out var next))
            {
                if (newest is not null)
                {
                    newest.Dispose();
                    Interlocked.Increment(ref _skipped);
                    lock (_recent)
                    {
                        _recentSkips.Enqueue(now);
                    }
                }

                newest = next;
            }

            if (newest is null)
            {
                return false;
            }

            frame = newest;
            return true;
        }

        /// <summary>Gives back every queued frame unseen.</summary>
        public void Release()
        {
            while (camera.Frames.TryRead(out var frame))
            {
                frame.Dispose();
            }
        }

        /// <summary>Completes when the camera has a frame or has stopped; the same wait until it completes.</summary>
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            if (_waiting is null || _waiting.IsCompleted)
            {
                _waiting = WaitOnceAsync(cancellationToken);
            }

            return _waiting;
        }

        private async Task WaitOnceAsync(CancellationToken cancellationToken)
        {
            try
            {
                Completed = !await camera.Frames.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Completed = true; // a camera that failed for good completes its frames with the error: nothing more comes
            }
        }

        public void Detected(DateTimeOffset at)
        {
            lock (_recent)
            {
                _recent.Enqueue(at);
                _detected++;
                Trim(at);
            }
        }

        private void Trim(DateTimeOffset now)
        {
            while (_recent.Count > 0 && now - _recent.Peek() > Window)
            {
                _recent.Dequeue();
            }

            while (_recentSkips.Count > 0 && now - _recentSkips.Peek() > Window)
            {
                _recentSkips.Dequeue();
            }
        }

        public double RecentSkippedShare(DateTimeOffset now)
        {
            lock (_recent)
            {
                Trim(now);
                var total = _recent.Count + _recentSkips.Count;
                return total == 0 ? 0 : (double)_recentSkips.Count / total;
            }
        }

        public DetectionShare Share(DateTimeOffset now)
        {
            lock (_recent)
            {
                Trim(now);

                var achieved = _recent.Count < 2 ? 0 : (_recent.Count - 1) / Math.Max((now - _recent.Peek()).TotalSeconds, 1e-3);
                return new DetectionShare(camera.CameraId, camera.ConfiguredFps, Math.Round(achieved, 2), _detected, Interlocked.Read(ref _skipped), Pipeline.Gated, Pipeline.Idle);
            }
        }
    }
}
