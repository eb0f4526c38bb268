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

    /// <summary>The audit log, oldest first; one case's rows when <paramref name="caseId"/> is given.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditAsync(string? caseId = null, CancellationToken cancellationToken = default);

    /// <summary>Every notice, oldest first.</summary>
    Task<IReadOnlyList<NoticeRecord>> NoticesAsync(CancellationToken cancellationToken = default);

    /// <summary>Confirmed cases with an official, oldest first (what tallies are computed from).</summary>
    Task<IReadOnlyList<CaseRecord>> ConfirmedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Cases whose evidence retention may delete: no official matched, not confirmed, not awaiting review with
    /// suggestions, event before <paramref name="before"/>, evidence not yet deleted.
    /// </summary>
    Task<IReadOnlyList<CaseRecord>> UnmatchedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Records that the evidence of a case was deleted, with an audit row.</summary>
    Task MarkEvidenceDeletedAsync(string caseId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default);
}
