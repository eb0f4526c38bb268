using CrosswalkWatch.Domain.Officials;

namespace CrosswalkWatch.Domain.Cases;

public enum ReviewAction
{
    /// <summary>The reviewer says it is a violation: it counts against the exactly matched official.</summary>
    Confirm,

    /// <summary>Not counted, with a reason of <see cref="RejectReasons.All"/> and free text.</summary>
    Reject,

    /// <summary>The plate was misread: the case takes the reviewer's plate and its new match, and waits for a confirmation again.</summary>
    Correct,

    /// <summary>An official's objection reopens a confirmed case: it stops counting and waits for its confirmations again.</summary>
    Reopen,
}

/// <summary>A plate and what the registry says about it on the case's date.</summary>
public sealed record PlateMatch(string? Plate, MatchKind Kind, string? OfficialId, string? MatchJson);

/// <summary>
/// One reviewer decision. <see cref="Match"/> is the corrected plate's match (for <see cref="ReviewAction.Correct"/>);
/// <see cref="Note"/> a confirmation's note or a reopening's reason; <see cref="NoteRequired"/>, when set, why a
/// confirmation must carry a note (the vehicle does not match the registry).
/// </summary>
public sealed record ReviewDecision(
    string CaseId,
    ReviewAction Action,
    string Actor,
    DateTimeOffset At,
    string? RejectReason = null,
    string? RejectNote = null,
    PlateMatch? Match = null,
    string? Note = null,
    Phrase? NoteRequired = null);

/// <summary>
/// What a decision did: <see cref="Changed"/> false when the case already was so (a replayed decision: nothing
/// written, no audit row, no notice); the audit row's id; the notices it created.
/// </summary>
public sealed record DecisionOutcome(bool Changed, CaseRecord Before, CaseRecord After, long? AuditId, IReadOnlyList<NoticeRecord> Notices)
{
    /// <summary>The notices the decision withdrew (the official's count fell below their ordinal).</summary>
    public IReadOnlyList<NoticeRecord> Withdrawn { get; init; } = [];
}

/// <summary>A row of the append-only audit log: who did what to which case, and the case's review fields before and after (JSON).</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string CaseId, string Action, string BeforeJson, string AfterJson);

/// <summary>
/// An accountability notice: the official's <see cref="Ordinal"/>-th counted violation (3, 4, …) in <see cref="Window"/>,
/// reached by the confirmation of <see cref="CaseId"/> (event time <see cref="ReachedAt"/>). Exists once by construction.
/// </summary>
public sealed record NoticeRecord(string OfficialId, string Window, int Ordinal, string CaseId, DateTimeOffset ReachedAt, DateTimeOffset CreatedAt)
{
    /// <summary>1 for the first issue; 2, 3, … when the ordinal was reached again after a withdrawal.</summary>
    public int Issue { get; init; } = 1;

    /// <summary>When the notice was withdrawn (its count fell below <see cref="Ordinal"/>), or null while it stands.</summary>
    public DateTimeOffset? WithdrawnAt { get; init; }

    /// <summary>Why it was withdrawn, in English.</summary>
    public string? WithdrawnReason { get; init; }

    /// <summary>Why it was withdrawn, as a phrase the console words in its reader's language; null for a notice withdrawn before phrases were kept.</summary>
    public Phrase? WithdrawnWhy { get; init; }
}

/// <summary>What the campaign office is told, built into outbox messages by the caller (officials' data only).</summary>
public abstract record OfficeEvent(Official Official, string Window, IReadOnlyList<CaseRecord> Counted);

/// <summary>A new notice, with the counted cases of its window.</summary>
public sealed record NoticeEvent(Official Official, NoticeRecord Notice, IReadOnlyList<CaseRecord> Counted) : OfficeEvent(Official, Notice.Window, Counted);

/// <summary>A notice withdrawn: the official's count in its window (<see cref="Count"/>, cases <see cref="OfficeEvent.Counted"/>) fell below its ordinal.</summary>
public sealed record NoticeWithdrawnEvent(Official Official, NoticeRecord Notice, int Count, IReadOnlyList<CaseRecord> Counted) : OfficeEvent(Official, Notice.Window, Counted);

/// <summary>An official's count in a window changed (<see cref="Sequence"/>: the audit row of the decision that changed it).</summary>
public sealed record TallyEvent(Official Official, string Window, int Count, long Sequence, IReadOnlyList<CaseRecord> Counted) : OfficeEvent(Official, Window, Counted);

/// <summary>Which cases to list, oldest first; null fields do not filter.</summary>
public sealed record CaseQuery(string? Status = null, string? Camera = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 1000);

/// <summary>
/// A decision that cannot be made (no such case, an unknown reason): says why — <see cref="Reason"/>, a phrase the
/// console words in its reader's language, its English the message; nothing was changed.
/// </summary>
public sealed class ReviewException : Exception
{
    public ReviewException()
    {
    }

    public ReviewException(Phrase reason)
        : base(reason?.English)
    {
        Reason = reason;
    }

    /// <summary>Why, as a phrase; null when the refusal was made from English alone.</summary>
    public Phrase? Reason { get; }

    /// <summary>The refusal of a decision on case <paramref name="caseId"/>, which does not exist.</summary>
    public static ReviewException NoCase(string caseId) => new(Phrase.Of("review.noCase", "no case {id}", ("id", caseId)));

    public ReviewException(string message)
        : base(message)
    {
    }

    public ReviewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
