using System.Collections.Concurrent;

namespace CrosswalkWatch.Web.Operators;

/// <summary>
/// One snapshot per camera at most every <see cref="Interval"/>, shared by every viewer: a request while a grab is
/// under way waits for that grab, and a request within <see cref="Interval"/> of the last grab's end gets its picture
/// (or its failure) instead of starting another ffmpeg. So however many operators keep a camera page open, or however
/// often a script asks, a camera costs at most one decode every few seconds. The grab is not cancelled when the
/// viewer who started it goes away (others may be waiting for it); its own timeout bounds it.
/// </summary>
public sealed class SnapshotCache(TimeProvider clock)
{
    /// <summary>The least time from the end of one grab of a camera to the start of the next.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, Grab> _latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>
    /// The picture of <paramref name="camera"/> and when it was taken: the last one when it is recent enough (or still
    /// being taken), else a new one by <paramref name="grab"/>. A failed grab's exception is shared the same way.
    /// </summary>
    public async Task<(byte[] Jpeg, DateTimeOffset TakenAt)> GetAsync(string camera, Func<Task<byte[]>> grab, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grab);
        Grab current;
        lock (_gate)
        {
            if (!_latest.TryGetValue(camera, out current!) || (current.FinishedAt is { } finished && clock.GetUtcNow() - finished >= Interval))
            {
                current = new Grab();
                current.Start(grab, clock);
                _latest[camera] = current;
            }
        }

        var jpeg = await current.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return (jpeg, current.FinishedAt ?? clock.GetUtcNow());
    }

    /// <summary>One grab: its task, and when it ended (set before the task completes).</summary>
    private sealed class Grab
    {
        private long _finishedMs = -1;

        public Task<byte[]> Task { get; private set; } = null!;

        public DateTimeOffset? FinishedAt => Volatile.Read(ref _finishedMs) is var ms and >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

        public void Start(Func<Task<byte[]>> grab, TimeProvider clock) => Task = RunAsync(grab, clock);

        private async Task<byte[]> RunAsync(Func<Task<byte[]>> grab, TimeProvider clock)
        {
            try
            {
                return await System.Threading.Tasks.Task.Run(grab, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _finishedMs, clock.GetUtcNow().ToUnixTimeMilliseconds());
            }
        }
    }
}
