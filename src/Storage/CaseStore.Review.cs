using System.Data.Common;
using CrosswalkWatch.Domain.Accountability;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Outbox;
using CrosswalkWatch.Storage.Review;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>Reviews, the audit log, tallies and notices: the same statements on SQLite and PostgreSQL.</summary>
public abstract partial class CaseStore
{
    /// <summary>Readable in the database: plates and names as they are, not as \u escapes.</summary>
    public Task<DecisionOutcome> DecideAsync(ReviewDecision decision, TallyRules rules, Func<OfficeEvent, OutboxMessage>? announce = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(rules);
        return Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

                // Decisions take turns: this row is the lock (SQLite's writer lock, PostgreSQL's row lock until commit).
                await connection.ExecuteAsync("UPDATE review_turn SET decisions = decisions + 1 WHERE id = 1", transaction: transaction).ConfigureAwait(false);
                var before = (await connection.QuerySingleOrDefaultAsync<Row>(Row.Select + " WHERE case_id = @CaseId", new { decision.CaseId }, transaction).ConfigureAwait(false))?.ToRecord()
                    ?? throw new ReviewException($"no case {decision.CaseId}");
                var after = before.Decide(decision);
                if (ReviewState.Of(after) == ReviewState.Of(before))
                {
                    return new DecisionOutcome(false, before, before, null, []);
                }

                await connection.ExecuteAsync(
                    """
                    UPDATE cases SET status = @Status, plate = @Plate, match_kind = @MatchKind, official_id = @OfficialId, match_json = @MatchJson,
                                     decided_by = @DecidedBy, decided_at_ms = @DecidedAtMs, reject_reason = @RejectReason, reject_note = @RejectNote
                    WHERE case_id = @CaseId
                    """,
                    Row.From(after),
                    transaction).ConfigureAwait(false);
                var auditId = await AuditLog.AppendAsync(connection, transaction, decision.At, decision.Actor, decision.CaseId, decision.Action.ToString().ToLowerInvariant(), ReviewState.Of(before), ReviewState.Of(after)).ConfigureAwait(false);
                var notices = new List<NoticeRecord>();
                foreach (var official in new[] { before, after }.Where(c => c is { Counts: true }).Select(c => c.OfficialId!).Distinct())
                {
                    notices.AddRange(await RecountAsync(connection, transaction, official, before, after, auditId, rules, announce).ConfigureAwait(false));
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new DecisionOutcome(true, before, after, auditId, notices);
            },
            $"{decision.Action.ToString().ToLowerInvariant()} case {decision.CaseId}",
            cancellationToken);
    }

    public Task<IReadOnlyList<CaseRecord>> QueryAsync(CaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Database.RunAsync<IReadOnlyList<CaseRecord>>(
            async connection => (await connection.QueryAsync<Row>(
                    Row.Select + " WHERE (@Status IS NULL OR status = @Status) AND (@Camera IS NULL OR camera_id = @Camera)" +
                    " AND (@FromMs IS NULL OR event_at_ms >= @FromMs) AND (@ToMs IS NULL OR event_at_ms < @ToMs) ORDER BY event_at_ms, case_id LIMIT @Limit",
                    new { query.Status, query.Camera, FromMs = query.From?.ToUnixTimeMilliseconds(), ToMs = query.To?.ToUnixTimeMilliseconds(), query.Limit }).ConfigureAwait(false))
                .Select(r => r.ToRecord()).ToList(),
            "list the cases",
            cancellationToken);
    }

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(string? caseId = null, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<AuditEntry>>(
            async connection => (await connection.QueryAsync<(long Id, long AtMs, string Actor, string CaseId, string Action, string Before, string After)>(
                    "SELECT id, at_ms, actor, case_id, action, before_json, after_json FROM audit_log WHERE (@caseId IS NULL OR case_id = @caseId) ORDER BY id",
                    new { caseId }).ConfigureAwait(false))
                .Select(a => new AuditEntry(a.Id, DateTimeOffset.FromUnixTimeMilliseconds(a.AtMs), a.Actor, a.CaseId, a.Action, a.Before, a.After)).ToList(),
            "read the audit log",
            cancellationToken);

    public Task<IReadOnlyList<NoticeRecord>> NoticesAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync(connection => NoticesAsync(connection, null, null), "read the notices", cancellationToken);

    public Task<IReadOnlyList<CaseRecord>> ConfirmedAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<CaseRecord>>(
            async connection => (await connection.QueryAsync<Row>(
                    Row.Select + " WHERE status = 'confirmed' AND official_id IS NOT NULL ORDER BY event_at_ms, case_id").ConfigureAwait(false))
                .Select(r => r.ToRecord()).ToList(),
            "read the confirmed cases",
            cancellationToken);

    public Task<IReadOnlyList<CaseRecord>> UnmatchedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<CaseRecord>>(
            async connection => (await connection.QueryAsync<Row>(
                    Row.Select + " WHERE official_id IS NULL AND status <> 'confirmed' AND (match_kind <> 'suggested' OR status = 'rejected')" +
                    " AND evidence_deleted_at_ms IS NULL AND event_at_ms < @beforeMs ORDER BY event_at_ms, case_id",
                    new { beforeMs = before.ToUnixTimeMilliseconds() }).ConfigureAwait(false))
                .Select(r => r.ToRecord()).ToList(),
            "find unmatched cases for retention",
            cancellationToken);

    public Task MarkEvidenceDeletedAsync(string caseId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var rows = await connection.ExecuteAsync(
                    "UPDATE cases SET evidence_deleted_at_ms = @atMs WHERE case_id = @caseId AND evidence_deleted_at_ms IS NULL",
                    new { caseId, atMs = at.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                if (rows == 1)
                {
                    var folder = new { deleted = false };
                    await AuditLog.AppendAsync(connection, transaction, at, actor, caseId, "evidence-deleted", folder, folder with { deleted = true }).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return rows;
            },
            $"record the deletion of the evidence of case {caseId}",
            cancellationToken);

    /// <summary>
    /// The official's counted total in the decided case's window, before and after the decision: a tally message when
    /// it changed, and a notice for each ordinal from the rules' threshold on that it reaches and that has none yet.
    /// </summary>
    private static async Task<IReadOnlyList<NoticeRecord>> RecountAsync(
        DbConnection connection, DbTransaction transaction, string officialId, CaseRecord before, CaseRecord after, long auditId, TallyRules rules, Func<OfficeEvent, OutboxMessage>? announce)
    {
        var confirmed = (await connection.QueryAsync<Row>(
                Row.Select + " WHERE official_id = @officialId AND status = 'confirmed'", new { officialId }, transaction).ConfigureAwait(false))
            .Select(r => r.ToRecord()).ToList();
        var previously = confirmed.Where(c => c.CaseId != before.CaseId).ToList();
        if (before is { Status: CaseStatus.Confirmed } && before.OfficialId == officialId)
        {
            previously.Add(before);
        }

        var at = after.EventAt;
        var window = rules.Label(at);
        var counted = rules.CountedInWindow(confirmed, at);
        var official = await connection.QuerySingleOrDefaultAsync<Official>(
                "SELECT official_id AS Id, name AS Name, department AS Department, authority AS Authority, notes AS Notes FROM officials WHERE official_id = @officialId",
                new { officialId },
                transaction).ConfigureAwait(false)
            ?? new Official(officialId, "", "", "", "(no longer in the registry)");
        if (counted.Count != rules.CountedInWindow(previously, at).Count && announce is not null)
        {
            await EnqueueAsync(connection, transaction, announce(new TallyEvent(official, window, counted.Count, auditId, counted))).ConfigureAwait(false);
        }

        var created = new List<NoticeRecord>();
        if (!rules.Reaches(counted.Count))
        {
            return created;
        }

        var existing = await NoticesAsync(connection, transaction, officialId).ConfigureAwait(false);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        // Calendar: every ordinal threshold…N of the year once. Rolling: ordinal N once per 365 days (the window moves with each violation).
        var due = rules.Window == Domain.Config.TallyWindow.Calendar
            ? rules.NoticeOrdinals(counted.Count).Where(n => !existing.Any(e => e.Window == window && e.Ordinal == n))
            : existing.Any(e => e.Ordinal == counted.Count && (e.ReachedAt - at).Duration() < TallyRules.Rolling) ? [] : [counted.Count];
        foreach (var ordinal in due)
        {
            var notice = new NoticeRecord(officialId, window, ordinal, after.CaseId, at, now);
            var inserted = await connection.ExecuteAsync(
                "INSERT INTO notices (official_id, window_label, ordinal, case_id, reached_at_ms, created_at_ms) VALUES (@OfficialId, @Window, @Ordinal, @CaseId, @reachedMs, @createdMs) ON CONFLICT DO NOTHING",
                new { notice.OfficialId, notice.Window, notice.Ordinal, notice.CaseId, reachedMs = at.ToUnixTimeMilliseconds(), createdMs = now.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            if (inserted == 1)
            {
                created.Add(notice);
                if (announce is not null)
                {
                    await EnqueueAsync(connection, transaction, announce(new NoticeEvent(official, notice, counted))).ConfigureAwait(false);
                }
            }
        }

        return created;
    }

    private static async Task<IReadOnlyList<NoticeRecord>> NoticesAsync(DbConnection connection, DbTransaction? transaction, string? officialId) =>
        (await connection.QueryAsync<(string OfficialId, string Window, long Ordinal, string CaseId, long ReachedMs, long CreatedMs)>(
                "SELECT official_id, window_label, ordinal, case_id, reached_at_ms, created_at_ms FROM notices WHERE (@officialId IS NULL OR official_id = @officialId) ORDER BY created_at_ms, official_id, window_label, ordinal",
                new { officialId },
                transaction).ConfigureAwait(false))
            .Select(n => new NoticeRecord(n.OfficialId, n.Window, (int)n.Ordinal, n.CaseId, DateTimeOffset.FromUnixTimeMilliseconds(n.ReachedMs), DateTimeOffset.FromUnixTimeMilliseconds(n.CreatedMs)))
            .ToList();

    private static Task<int> EnqueueAsync(DbConnection connection, DbTransaction transaction, OutboxMessage message) =>
        connection.ExecuteAsync(
            "INSERT INTO outbox (id, topic, payload, created_at_ms) VALUES (@Id, @Topic, @Payload, @now) ON CONFLICT (id) DO NOTHING",
            new { message.Id, message.Topic, message.Payload, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            transaction);

    /// <summary>The fields a decision may change, as the audit log records them.</summary>
    private sealed record ReviewState(string Status, string? Plate, string MatchKind, string? OfficialId, string? DecidedBy, DateTimeOffset? DecidedAt, string? RejectReason, string? RejectNote)
    {
        public static ReviewState Of(CaseRecord c) => new(CaseStatuses.Name(c.Status), c.Plate, Row.KindName(c.MatchKind), c.OfficialId, c.DecidedBy, c.DecidedAt, c.RejectReason, c.RejectNote);

        /// <summary>Equal when the decision leaves the case as it was (who and when aside: a replay changes nothing).</summary>
        public bool Equals(ReviewState? other) =>
            other is not null && (Status, Plate, MatchKind, OfficialId, RejectReason, RejectNote) == (other.Status, other.Plate, other.MatchKind, other.OfficialId, other.RejectReason, other.RejectNote);

        public override int GetHashCode() => HashCode.Combine(Status, Plate, MatchKind, OfficialId, RejectReason, RejectNote);
    }
}
