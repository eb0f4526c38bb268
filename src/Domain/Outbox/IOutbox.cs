namespace CrosswalkWatch.Domain.Outbox;

/// <summary>A message waiting in an outbox: its id (the case id for a candidate), topic and payload (UTF-8 JSON).</summary>
public sealed record OutboxMessage(string Id, string Topic, string Payload);

/// <summary>
/// A durable outbox (store-and-forward): messages are written with the data they describe, in the same store and
/// transaction, and marked sent only after the broker acknowledged them; the publisher never holds the only copy.
/// </summary>
public interface IOutbox
{
    /// <summary>The oldest messages not yet marked sent, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken cancellationToken = default);

    Task MarkSentAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>How many messages wait.</summary>
    Task<int> PendingCountAsync(CancellationToken cancellationToken = default);
}
