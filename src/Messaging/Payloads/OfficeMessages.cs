namespace CrosswalkWatch.Messaging.Payloads;

/// <summary>An official as the campaign office knows them; <see cref="Authority"/> is where the office forwards the case.</summary>
public sealed record OfficialRef(string Id, string Name, string Department, string Authority);

/// <summary>
/// One counted violation as the office sees it: the case id, when and where (site, camera), and the plate, which is
/// always the official's own registered vehicle on that date (an unmatched plate never gets here).
/// </summary>
public sealed record CountedViolation(string CaseId, DateTimeOffset EventAt, string SiteId, string CameraId, string Plate);

/// <summary>
/// Schema <c>cww.notice</c> version 1 on <c>cww/v1/office/notices</c>: an official's <see cref="Ordinal"/>-th confirmed
/// violation (3, 4, …) within <see cref="Window"/>; id <c>notice/OFFICIAL/WINDOW/ORDINAL</c>, sent exactly once (a
/// notice withdrawn and reached again is issue 2, 3, …: id <c>notice/OFFICIAL/WINDOW/ORDINAL/ISSUE</c>).
/// </summary>
public sealed record NoticeMessage(OfficialRef Official, string Window, int Ordinal, string ReachedByCaseId, IReadOnlyList<CountedViolation> Violations, DateTimeOffset CreatedAt, int Issue = 1)
{
    public const string Schema = "cww.notice";
    public const int Version = 1;
}

/// <summary>
/// Schema <c>cww.notice.withdrawn</c> version 1 on <c>cww/v1/office/notices</c>: the notice (<see cref="Ordinal"/>,
/// issue <see cref="Issue"/>) no longer stands, because the official's count in <see cref="Window"/> fell to
/// <see cref="Count"/> (a case rejected, reopened on objection, corrected away, or its vehicle removed from the
/// registry); id <c>notice-withdrawn/OFFICIAL/WINDOW/ORDINAL/ISSUE</c>, sent exactly once. <see cref="Violations"/>
/// are the cases that still count.
/// </summary>
public sealed record NoticeWithdrawnMessage(OfficialRef Official, string Window, int Ordinal, int Issue, int Count, string Reason, IReadOnlyList<CountedViolation> Violations, DateTimeOffset WithdrawnAt)
{
    public const string Schema = "cww.notice.withdrawn";
    public const int Version = 1;
}

/// <summary>
/// Schema <c>cww.tally</c> version 1 on <c>cww/v1/office/tallies</c>: an official's counted confirmed violations in
/// <see cref="Window"/> after a decision changed it (a rejection can take it down).
/// </summary>
public sealed record TallyMessage(OfficialRef Official, string Window, int Count, IReadOnlyList<CountedViolation> Violations)
{
    public const string Schema = "cww.tally";
    public const int Version = 1;
}
