using System.Globalization;
using System.Text;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Outbox;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Payloads;

namespace CrosswalkWatch.Review;

/// <summary>
/// What the campaign office receives, as outbox messages written with the decision that caused them: officials'
/// data only. Each counted case is an exact match of the official's own vehicle, so its plate may go; a case
/// without an official never reaches these messages.
/// </summary>
public static class OfficeAnnouncements
{
    public static OutboxMessage Of(OfficeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var official = new OfficialRef(e.Official.Id, e.Official.Name, e.Official.Department, e.Official.Authority);
        var violations = e.Counted.Select(Violation).ToList();
        return e switch
        {
            NoticeEvent n => Message(
                Topics.OfficeNotices,
                string.Create(CultureInfo.InvariantCulture, $"notice/{official.Id}/{n.Window}/{n.Notice.Ordinal}{(n.Notice.Issue > 1 ? $"/{n.Notice.Issue}" : "")}"),
                NoticeMessage.Schema,
                NoticeMessage.Version,
                new NoticeMessage(official, n.Window, n.Notice.Ordinal, n.Notice.CaseId, violations, n.Notice.CreatedAt, n.Notice.Issue)),
            NoticeWithdrawnEvent w => Message(
                Topics.OfficeNotices,
                string.Create(CultureInfo.InvariantCulture, $"notice-withdrawn/{official.Id}/{w.Window}/{w.Notice.Ordinal}/{w.Notice.Issue}"),
                NoticeWithdrawnMessage.Schema,
                NoticeWithdrawnMessage.Version,
                new NoticeWithdrawnMessage(official, w.Window, w.Notice.Ordinal, w.Notice.Issue, w.Count, w.Notice.WithdrawnReason ?? "", violations, w.Notice.WithdrawnAt ?? DateTimeOffset.UtcNow)),
            TallyEvent t => Message(
                Topics.OfficeTallies,
                string.Create(CultureInfo.InvariantCulture, $"tally/{official.Id}/{t.Window}/{t.Sequence}"),
                TallyMessage.Schema,
                TallyMessage.Version,
                new TallyMessage(official, t.Window, t.Count, violations)),
            _ => throw new ArgumentException($"no office message for {e.GetType().Name}", nameof(e)),
        };
    }

    private static CountedViolation Violation(CaseRecord c) =>
        c.OfficialId is not null && c.MatchKind == Domain.Officials.MatchKind.Exact && c.Plate is { } plate
            ? new CountedViolation(c.CaseId, c.EventAt, c.SiteId, c.CameraId, plate)
            : throw new InvalidOperationException($"case {c.CaseId} has no exact official match: it must not reach the office");

    private static OutboxMessage Message<T>(string topic, string id, string schema, int version, T body) =>
        new(id, topic, Encoding.UTF8.GetString(MessageCodec.Encode(schema, version, id, body)));
}
