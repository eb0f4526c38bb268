using System.Data.Common;
using CrosswalkWatch.Domain;
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
                    ?? throw ReviewException.NoCase(decision.CaseId);
                var after = before.Decide(decision, rules.OfficialConfirmations);
                if (ReviewState.Of(after) == ReviewState.Of(before))
                {
                    return new DecisionOutcome(false, before, before, null, []);
                }

                await connection.ExecuteAsync(
                    """
                    UPDATE cases SET status = @Status, plate = @Plate, match_kind = @MatchKind, official_id = @OfficialId, match_json = @MatchJson,
                                     decided_by = @DecidedBy, decided_at_ms = @DecidedAtMs, reject_reason = @RejectReason, reject_note = @RejectNote,
                                     confirmations_json = @ConfirmationsJson, reopen_reason = @ReopenReason
                    WHERE case_id = @CaseId
                    """,
                    Row.From(after),
                    transaction).ConfigureAwait(false);
                var auditId = await AuditLog.AppendAsync(connection, transaction, decision.At, decision.Actor, decision.CaseId, decision.Action.ToString().ToLowerInvariant(), ReviewState.Of(before), ReviewState.Of(after)).ConfigureAwait(false);
                var notices = new List<NoticeRecord>();
                var withdrawn = new List<NoticeRecord>();
                var why = decision.Action == ReviewAction.Reopen
                    ? Phrase.Of("notice.caseReopened", "case {id} reopened by {actor}: {reason}", ("id", decision.CaseId), ("actor", decision.Actor), ("reason", after.ReopenReason ?? ""))
                    : Phrase.Of("notice.caseDecided", "case {id} {done} by {actor}", ("id", decision.CaseId), ("done", "@decision." + Done(decision.Action)), ("actor", decision.Actor));
                foreach (var official in new[] { before, after }.Where(c => c is { Counts: true }).Select(c => c.OfficialId!).Distinct())
                {
                    var (created, taken) = await RecountAsync(connection, transaction, official, before, after, auditId, rules, announce, why).ConfigureAwait(false);
                    notices.AddRange(created);
                    withdrawn.AddRange(taken);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new DecisionOutcome(true, before, after, auditId, notices) { Withdrawn = withdrawn };
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

    public Task<IReadOnlyList<CaseRecord>> CountingAsync(TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Database.RunAsync<IReadOnlyList<CaseRecord>>(
            async connection =>
            {
                var confirmed = (await connection.QueryAsync<Row>(
                        Row.Select + " WHERE status = 'confirmed' AND official_id IS NOT NULL ORDER BY event_at_ms, case_id").ConfigureAwait(false))
                    .Select(r => r.ToRecord());
                var registered = await RegisteredAsync(connection, null, null).ConfigureAwait(false);
                return confirmed.Where(c => StillRegistered(c, registered, zone)).ToList();
            },
            "read the counted cases",
            cancellationToken);
    }

    public Task<IReadOnlyList<NoticeRecord>> RecheckRegistryAsync(TallyRules rules, string actor, Func<OfficeEvent, OutboxMessage>? announce = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return Database.RunAsync<IReadOnlyList<NoticeRecord>>(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync("UPDATE review_turn SET decisions = decisions + 1 WHERE id = 1", transaction: transaction).ConfigureAwait(false);
                var withdrawn = new List<NoticeRecord>();
                var standing = (await NoticesAsync(connection, transaction, null).ConfigureAwait(false)).Where(n => n.WithdrawnAt is null);
                foreach (var officialId in standing.Select(n => n.OfficialId).Distinct(StringComparer.Ordinal).ToList())
                {
                    var counted = await CountedCasesAsync(connection, transaction, officialId, rules).ConfigureAwait(false);
                    var official = await OfficialAsync(connection, transaction, officialId).ConfigureAwait(false);
                    withdrawn.AddRange(await WithdrawAsync(connection, transaction, official, counted, rules, announce, actor, Phrase.Of("notice.registryDropped", "the registry no longer lists the vehicle of a counted case for this official")).ConfigureAwait(false));
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return withdrawn;
            },
            "re-check the notices against the registry",
            cancellationToken);
    }

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
    /// it changed, a notice for each ordinal from the rules' threshold on that it reaches and that has none standing
    /// (issued again when it had been withdrawn), and the withdrawal of each standing notice whose count fell below
    /// its ordinal. Counted: confirmed, an exact match, and the vehicle still the official's in today's registry on
    /// the event's date.
    /// </summary>
    private static async Task<(IReadOnlyList<NoticeRecord> Created, IReadOnlyList<NoticeRecord> Withdrawn)> RecountAsync(
        DbConnection connection, DbTransaction transaction, string officialId, CaseRecord before, CaseRecord after, long auditId, TallyRules rules, Func<OfficeEvent, OutboxMessage>? announce, Phrase why)
    {
        var registered = await RegisteredAsync(connection, transaction, officialId).ConfigureAwait(false);
        var confirmed = await CountedCasesAsync(connection, transaction, officialId, rules, registered).ConfigureAwait(false);
        var previously = confirmed.Where(c => c.CaseId != before.CaseId).ToList();
        if (before is { Status: CaseStatus.Confirmed } && before.OfficialId == officialId && StillRegistered(before, registered, rules.Zone))
        {
            previously.Add(before);
        }

        var at = after.EventAt;
        var window = rules.Label(at);
        var counted = rules.CountedInWindow(confirmed, at);
        var official = await OfficialAsync(connection, transaction, officialId).ConfigureAwait(false);
        if (counted.Count != rules.CountedInWindow(previously, at).Count && announce is not null)
        {
            await EnqueueAsync(connection, transaction, announce(new TallyEvent(official, window, counted.Count, auditId, counted))).ConfigureAwait(false);
        }

        var withdrawn = await WithdrawAsync(connection, transaction, official, confirmed, rules, announce, after.DecidedBy ?? "review", why).ConfigureAwait(false);
        var created = new List<NoticeRecord>();
        if (!rules.Reaches(counted.Count))
        {
            return (created, withdrawn);
        }

        var existing = (await NoticesAsync(connection, transaction, officialId).ConfigureAwait(false)).Where(n => n.WithdrawnAt is null).ToList();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        // Calendar: every ordinal threshold…N of the year once. Rolling: ordinal N once per 365 days (the window moves with each violation).
        var due = rules.Window == Domain.Config.TallyWindow.Calendar
            ? rules.NoticeOrdinals(counted.Count).Where(n => !existing.Any(e => e.Window == window && e.Ordinal == n))
            : existing.Any(e => e.Ordinal == counted.Count && (e.ReachedAt - at).Duration() < TallyRules.Rolling) ? [] : [counted.Count];
        foreach (var ordinal in due)
        {
            var fields = new { OfficialId = officialId, Window = window, Ordinal = ordinal, after.CaseId, reachedMs = at.ToUnixTimeMilliseconds(), createdMs = now.ToUnixTimeMilliseconds() };
            var inserted = await connection.ExecuteAsync(
                "INSERT INTO notices (official_id, window_label, ordinal, case_id, reached_at_ms, created_at_ms) VALUES (@OfficialId, @Window, @Ordinal, @CaseId, @reachedMs, @createdMs) ON CONFLICT DO NOTHING",
                fields,
                transaction).ConfigureAwait(false);

            // A notice withdrawn before and reached again is issued again, as a new issue of the same ordinal.
            var issue = inserted == 1 ? 1 : await connection.QuerySingleOrDefaultAsync<int?>(
                """
                UPDATE notices SET issue = issue + 1, case_id = @CaseId, reached_at_ms = @reachedMs, created_at_ms = @createdMs, withdrawn_at_ms = NULL, withdrawn_reason = NULL, withdrawn_phrase = NULL
                WHERE official_id = @OfficialId AND window_label = @Window AND ordinal = @Ordinal AND withdrawn_at_ms IS NOT NULL
                RETURNING issue
                """,
                fields,
                transaction).ConfigureAwait(false);
            if (issue is { } number)
            {
                var notice = new NoticeRecord(officialId, window, ordinal, after.CaseId, at, now) { Issue = number };
                created.Add(notice);
                if (announce is not null)
                {
                    await EnqueueAsync(connection, transaction, announce(new NoticeEvent(official, notice, counted))).ConfigureAwait(false);
                }
            }
        }

        return (created, withdrawn);
    }

    /// <summary>
    /// Withdraws each standing notice of <paramref name="official"/> whose window now counts fewer than its ordinal
    /// (from <paramref name="confirmed"/>, the official's counted cases), each once: its row marked with the reason,
    /// an audit row, and one <c>cww.notice.withdrawn</c> message in the same transaction.
    /// </summary>
    private static async Task<IReadOnlyList<NoticeRecord>> WithdrawAsync(
        DbConnection connection, DbTransaction transaction, Official official, IReadOnlyList<CaseRecord> confirmed, TallyRules rules, Func<OfficeEvent, OutboxMessage>? announce, string actor, Phrase why)
    {
        var withdrawn = new List<NoticeRecord>();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        foreach (var notice in (await NoticesAsync(connection, transaction, official.Id).ConfigureAwait(false)).Where(n => n.WithdrawnAt is null))
        {
            var counted = rules.CountedInWindow(confirmed, notice.ReachedAt);
            if (counted.Count >= notice.Ordinal)
            {
                continue;
            }

            var reason = Phrase.Of("notice.countFell", "the count fell to {count}: {why}", ("count", counted.Count), ("why", why));
            var rows = await connection.ExecuteAsync(
                "UPDATE notices SET withdrawn_at_ms = @now, withdrawn_reason = @reason, withdrawn_phrase = @phrase WHERE official_id = @OfficialId AND window_label = @Window AND ordinal = @Ordinal AND issue = @Issue AND withdrawn_at_ms IS NULL",
                new { now = now.ToUnixTimeMilliseconds(), reason = reason.English, phrase = reason.ToJson(), notice.OfficialId, notice.Window, notice.Ordinal, notice.Issue },
                transaction).ConfigureAwait(false);
            if (rows != 1)
            {
                continue;
            }

            var taken = notice with { WithdrawnAt = now, WithdrawnReason = reason.English, WithdrawnWhy = reason };
            withdrawn.Add(taken);
            await AuditLog.AppendAsync(connection, transaction, now, actor, notice.CaseId, "notice-withdrawn", NoticeState.Of(notice), NoticeState.Of(taken)).ConfigureAwait(false);
            if (announce is not null)
            {
                await EnqueueAsync(connection, transaction, announce(new NoticeWithdrawnEvent(official, taken, counted.Count, counted))).ConfigureAwait(false);
            }
        }

        return withdrawn;
    }

    /// <summary>The official's confirmed cases that still count: an exact match whose vehicle the registry still gives them on the event's local date.</summary>
    private static async Task<IReadOnlyList<CaseRecord>> CountedCasesAsync(
        DbConnection connection, DbTransaction transaction, string officialId, TallyRules rules, IReadOnlyList<RegisteredPeriod>? registered = null)
    {
        registered ??= await RegisteredAsync(connection, transaction, officialId).ConfigureAwait(false);
        return (await connection.QueryAsync<Row>(
                Row.Select + " WHERE official_id = @officialId AND status = 'confirmed'", new { officialId }, transaction).ConfigureAwait(false))
            .Select(r => r.ToRecord())
            .Where(c => StillRegistered(c, registered, rules.Zone))
            .ToList();
    }

    private static async Task<Official> OfficialAsync(DbConnection connection, DbTransaction transaction, string officialId) =>
        await connection.QuerySingleOrDefaultAsync<Official>(
            "SELECT official_id AS Id, name AS Name, department AS Department, authority AS Authority, notes AS Notes FROM officials WHERE official_id = @officialId",
            new { officialId },
            transaction).ConfigureAwait(false)
        ?? new Official(officialId, "", "", "", "(no longer in the registry)");

    /// <summary>The registry's periods of the official's vehicles (every official's when <paramref name="officialId"/> is null).</summary>
    private static async Task<IReadOnlyList<RegisteredPeriod>> RegisteredAsync(DbConnection connection, DbTransaction? transaction, string? officialId) =>
        (await connection.QueryAsync<RegisteredPeriod>(
            "SELECT official_id AS OfficialId, plate AS Plate, valid_from AS ValidFrom, valid_to AS ValidTo FROM registered_vehicles WHERE (@officialId IS NULL OR official_id = @officialId)",
            new { officialId },
            transaction).ConfigureAwait(false)).ToList();

    /// <summary>Whether the case is an exact match of a vehicle the registry gives its official on the event's local date.</summary>
    private static bool StillRegistered(CaseRecord c, IReadOnlyList<RegisteredPeriod> registered, TimeZoneInfo zone)
    {
        if (c.MatchKind != MatchKind.Exact || c.Plate is not { } plate || c.OfficialId is not { } officialId)
        {
            return false;
        }

        var day = TimeZoneInfo.ConvertTime(c.EventAt, zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return registered.Any(v => v.OfficialId == officialId && v.Plate == plate
            && string.CompareOrdinal(v.ValidFrom, day) <= 0 && (v.ValidTo is null || string.CompareOrdinal(day, v.ValidTo) <= 0));
    }

    private static string Done(ReviewAction action) => action switch
    {
        ReviewAction.Confirm => "confirmed",
        ReviewAction.Reject => "rejected",
        ReviewAction.Correct => "corrected",
        ReviewAction.Reopen => "reopened",
        _ => action.ToString().ToLowerInvariant(),
    };

    /// <summary>A notice as the audit log records its withdrawal.</summary>
    private sealed record NoticeState(string OfficialId, string Window, int Ordinal, int Issue, bool Withdrawn, string? Reason)
    {
        public static NoticeState Of(NoticeRecord n) => new(n.OfficialId, n.Window, n.Ordinal, n.Issue, n.WithdrawnAt is not null, n.WithdrawnReason);
    }

    /// <summary>A period of a registered vehicle: dates as the registry keeps them (yyyy-MM-dd, inclusive; no end when open).</summary>
    private sealed record RegisteredPeriod(string OfficialId, string Plate, string ValidFrom, string? ValidTo);

    private static async Task<IReadOnlyList<NoticeRecord>> NoticesAsync(DbConnection connection, DbTransaction? transaction, string? officialId) =>
        (await connection.QueryAsync<(string OfficialId, string Window, long Ordinal, string CaseId, long ReachedMs, long CreatedMs, long Issue, long? WithdrawnMs, string? WithdrawnReason, string? WithdrawnPhrase)>(
                "SELECT official_id, window_label, ordinal, case_id, reached_at_ms, created_at_ms, issue, withdrawn_at_ms, withdrawn_reason, withdrawn_phrase FROM notices " +
                "WHERE (@officialId IS NULL OR official_id = @officialId) ORDER BY created_at_ms, official_id, window_label, ordinal",
                new { officialId },
                transaction).ConfigureAwait(false))
            .Select(n => new NoticeRecord(n.OfficialId, n.Window, (int)n.Ordinal, n.CaseId, DateTimeOffset.FromUnixTimeMilliseconds(n.ReachedMs), DateTimeOffset.FromUnixTimeMilliseconds(n.CreatedMs))
            {
                Issue = (int)n.Issue,
                WithdrawnAt = n.WithdrawnMs is { } withdrawn ? DateTimeOffset.FromUnixTimeMilliseconds(withdrawn) : null,
                WithdrawnReason = n.WithdrawnReason,
                WithdrawnWhy = Phrase.FromJson(n.WithdrawnPhrase),
            })
            .ToList();

    private static Task<int> EnqueueAsync(DbConnection connection, DbTransaction transaction, OutboxMessage message) =>
        connection.ExecuteAsync(
            "INSERT INTO outbox (id, topic, payload, created_at_ms) VALUES (@Id, @Topic, @Payload, @now) ON CONFLICT (id) DO NOTHING",
            new { message.Id, message.Topic, message.Payload, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            transaction);

    /// <summary>The fields a decision may change, as the audit log records them.</summary>
    private sealed record ReviewState(
        string Status, string? Plate, string MatchKind, string? OfficialId, string? DecidedBy, DateTimeOffset? DecidedAt, string? RejectReason, string? RejectNote,
        IReadOnlyList<Confirmation> Confirmations, string? ReopenReason)
    {
        public static ReviewState Of(CaseRecord c) =>
            new(CaseStatuses.Name(c.Status), c.Plate, Row.KindName(c.MatchKind), c.OfficialId, c.DecidedBy, c.DecidedAt, c.RejectReason, c.RejectNote, c.Confirmations, c.ReopenReason);

        private string Confirmers => string.Join('\n', Confirmations.Select(c => c.Actor));

        /// <summary>Equal when the decision leaves the case as it was (who and when aside: a replay changes nothing).</summary>
        public bool Equals(ReviewState? other) =>
            other is not null && (Status, Plate, MatchKind, OfficialId, RejectReason, RejectNote, Confirmers, ReopenReason)
                == (other.Status, other.Plate, other.MatchKind, other.OfficialId, other.RejectReason, other.RejectNote, other.Confirmers, other.ReopenReason);

        public override int GetHashCode() => HashCode.Combine(Status, Plate, MatchKind, OfficialId, RejectReason, RejectNote, Confirmers, ReopenReason);
    }
}
