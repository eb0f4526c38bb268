namespace CrosswalkWatch.Domain.Cases;

/// <summary>
/// Where a confirmed case's push to the platform's HTTP endpoint stands. <see cref="Key"/> is the idempotency key the
/// receiver gets (<c>CASE/DECIDED_AT_MS</c>: one per confirmation, so a case reopened and confirmed again is pushed again).
/// </summary>
public sealed record CasePush(string Key, string CaseId, DateTimeOffset DecidedAt, int Attempts, DateTimeOffset NextAt)
{
    public string? LastError { get; init; }

    /// <summary>When the receiver took it (answered 2xx, or 409: it had it already).</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>A dead letter: refused for good or out of attempts; waits for an operator's retry.</summary>
    public DateTimeOffset? DeadAt { get; init; }

    /// <summary>The key of a case's current confirmation.</summary>
    public static string KeyOf(CaseRecord record) =>
        record.DecidedAt is { } decided
            ? $"{record.CaseId}/{decided.ToUnixTimeMilliseconds()}"
            : throw new ArgumentException($"case {record.CaseId} has no decision to push", nameof(record));
}

/// <summary>The push at a glance, for the health: delivered, waiting (due or backing off), and the dead letters.</summary>
public sealed record CasePushSummary(int Delivered, int Waiting, IReadOnlyList<CasePush> Dead);
