using CrosswalkWatch.Domain.Cases;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>The push of confirmed cases to the platform's HTTP endpoint (<c>case_push</c>): the same statements on SQLite and PostgreSQL.</summary>
public abstract partial class CaseStore
{
    /// <summary>A confirmation with no push row yet, or whose row is neither delivered nor dead.</summary>
    private const string Undelivered =
        " WHERE status = 'confirmed' AND decided_at_ms IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_push p WHERE p.case_id = cases.case_id" +
        " AND p.decided_at_ms = cases.decided_at_ms AND (p.delivered_at_ms IS NOT NULL OR p.dead_at_ms IS NOT NULL";

    public Task<IReadOnlyList<(CaseRecord Case, int Attempts)>> DuePushesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<(CaseRecord, int)>>(
            async connection =>
            {
                var due = (await connection.QueryAsync<Row>(
                        Row.Select + Undelivered + " OR p.next_at_ms > @now)) ORDER BY decided_at_ms, case_id LIMIT @max",
                        new { now = now.ToUnixTimeMilliseconds(), max }).ConfigureAwait(false))
                    .Select(r => r.ToRecord()).ToList();
                var result = new List<(CaseRecord, int)>(due.Count);
                foreach (var c in due)
                {
                    var attempts = await connection.ExecuteScalarAsync<int?>("SELECT attempts FROM case_push WHERE push_key = @key", new { key = CasePush.KeyOf(c) }).ConfigureAwait(false);
                    result.Add((c, attempts ?? 0));
                }

                return result;
            },
            "read the cases due for the push",
            cancellationToken);

    public Task RecordPushAsync(CasePush push, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(push);
        return Database.RunAsync(
            connection => connection.ExecuteAsync(
                """
                INSERT INTO case_push (push_key, case_id, decided_at_ms, attempts, next_at_ms, last_error, delivered_at_ms, dead_at_ms)
                VALUES (@Key, @CaseId, @DecidedAtMs, @Attempts, @NextAtMs, @LastError, @DeliveredAtMs, @DeadAtMs)
                ON CONFLICT (push_key) DO UPDATE SET attempts = excluded.attempts, next_at_ms = excluded.next_at_ms, last_error = excluded.last_error,
                                                     delivered_at_ms = excluded.delivered_at_ms, dead_at_ms = excluded.dead_at_ms
                """,
                new
                {
                    push.Key,
                    push.CaseId,
                    DecidedAtMs = push.DecidedAt.ToUnixTimeMilliseconds(),
                    push.Attempts,
                    NextAtMs = push.NextAt.ToUnixTimeMilliseconds(),
                    push.LastError,
                    DeliveredAtMs = push.DeliveredAt?.ToUnixTimeMilliseconds(),
                    DeadAtMs = push.DeadAt?.ToUnixTimeMilliseconds(),
                }),
            $"record the push of case {push.CaseId}",
            cancellationToken);
    }

    public Task<CasePushSummary> PushSummaryAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection =>
            {
                var delivered = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM case_push WHERE delivered_at_ms IS NOT NULL").ConfigureAwait(false);
                var waiting = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM cases" + Undelivered + "))").ConfigureAwait(false);
                var dead = (await connection.QueryAsync<(string Key, string CaseId, long DecidedAtMs, long Attempts, long NextAtMs, string? LastError, long DeadAtMs)>(
                        "SELECT push_key, case_id, decided_at_ms, attempts, next_at_ms, last_error, dead_at_ms FROM case_push WHERE dead_at_ms IS NOT NULL ORDER BY dead_at_ms, push_key").ConfigureAwait(false))
                    .Select(d => new CasePush(d.Key, d.CaseId, DateTimeOffset.FromUnixTimeMilliseconds(d.DecidedAtMs), (int)d.Attempts, DateTimeOffset.FromUnixTimeMilliseconds(d.NextAtMs))
                    {
                        LastError = d.LastError,
                        DeadAt = DateTimeOffset.FromUnixTimeMilliseconds(d.DeadAtMs),
                    })
                    .ToList();
                return new CasePushSummary(delivered, waiting, dead);
            },
            "read the push's state",
            cancellationToken);

    public Task<int> RetryPushesAsync(string? caseId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            connection => connection.ExecuteAsync(
                "UPDATE case_push SET dead_at_ms = NULL, attempts = 0, next_at_ms = @now WHERE dead_at_ms IS NOT NULL AND (@caseId IS NULL OR case_id = @caseId)",
                new { caseId, now = now.ToUnixTimeMilliseconds() }),
            "retry the dead pushes",
            cancellationToken);
}
