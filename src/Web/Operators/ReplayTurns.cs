using System.Threading.RateLimiting;

namespace CrosswalkWatch.Web.Operators;

/// <summary>
/// Clip replays take the detector for seconds at a time on the box's cores: one runs at a time, <see cref="Waiting"/>
/// more may wait their turn (oldest first), and beyond that a replay is refused with 429 and Retry-After rather than
/// queued without end. A waiting replay whose operator goes away leaves the queue.
/// </summary>
public sealed class ReplayTurns : IDisposable
{
    /// <summary>Replays that may wait while one runs.</summary>
    public const int Waiting = 2;

    /// <summary>The Retry-After of a refused replay: about one replay's time.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(15);

    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = Waiting, QueueProcessingOrder = QueueProcessingOrder.OldestFirst });

    /// <summary>This replay's turn (dispose it when done), or a lease not acquired when the queue is full.</summary>
    public ValueTask<RateLimitLease> TurnAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
