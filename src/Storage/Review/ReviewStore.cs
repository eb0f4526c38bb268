using CrosswalkWatch.Domain.Accountability;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Outbox;

namespace CrosswalkWatch.Storage.Review;

/// <summary>Reviews, tallies and notices: every decision in one transaction with its audit row, notices and office messages.</summary>
public interface IReviewStore
{
    /// <summary>
    /// Applies <paramref name="decision"/> with its audit row; then, for each official whose counted total in the
    /// case's window changed, a tally message, and for each ordinal from the rules' threshold on reached that has no notice yet, the
    /// notice and its message: all in one transaction, decisions taking turns across processes.
    /// </summary>
    Task<DecisionOutcome> DecideAsync(ReviewDecision decision, TallyRules rules, Func<OfficeEvent, OutboxMessage>? announce = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CaseRecord>> QueryAsync(CaseQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Confirmed cases whose confirmation the platform has not taken and whose next push attempt is due by
    /// <paramref name="now"/> (never tried, or backing off past its time), oldest decision first, with the attempts so far.
    /// </summary>
    Task<IReadOnlyList<(CaseRecord Case, int Attempts)>> DuePushesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>Writes where a push stands after an attempt (delivered, waiting for its next one, or dead).</summary>
    Task RecordPushAsync(CasePush push, CancellationToken cancellationToken = default);

    Task<CasePushSummary> PushSummaryAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes the dead pushes (of <paramref name="caseId"/>, or all) due again with fresh attempts; returns how many.</summary>
    Task<int> RetryPushesAsync(string? caseId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The audit log, oldest first; one case's rows when <paramref name="caseId"/> is given.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditAsync(string? caseId = null, CancellationToken cancellationToken = default);

    /// <summary>Every notice, oldest first.</summary>
    Task<IReadOnlyList<NoticeRecord>> NoticesAsync(CancellationToken cancellationToken = default);

    /// <summary>Confirmed cases with an official, oldest first, as stored (whatever the registry says now).</summary>
    Task<IReadOnlyList<CaseRecord>> ConfirmedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The confirmed cases that count, oldest first (what tallies are computed from): an exact match whose vehicle the
    /// registry as it is now still gives the official on the event's local date in <paramref name="zone"/>. A vehicle
    /// removed from the registry (wrongly listed) stops its cases counting.
    /// </summary>
    Task<IReadOnlyList<CaseRecord>> CountingAsync(TimeZoneInfo zone, CancellationToken cancellationToken = default);

    /// <summary>
    /// After the registry changed: withdraws each standing notice whose official's count (as <see cref="CountingAsync"/>
    /// counts) fell below its ordinal, once each, with its audit row and message; returns them.
    /// </summary>
    Task<IReadOnlyList<NoticeRecord>> RecheckRegistryAsync(TallyRules rules, string actor, Func<OfficeEvent, OutboxMessage>? announce = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cases whose evidence retention may delete: no official matched, not confirmed, not awaiting review with
    /// suggestions, event before <paramref name="before"/>, evidence not yet deleted.
    /// </summary>
    Task<IReadOnlyList<CaseRecord>> UnmatchedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Records that the evidence of a case was deleted, with an audit row.</summary>
    Task MarkEvidenceDeletedAsync(string caseId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default);
}
