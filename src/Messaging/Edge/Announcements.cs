using System.Text;
using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Outbox;
using CrosswalkWatch.Messaging.Payloads;

namespace CrosswalkWatch.Messaging.Edge;

/// <summary>What an edge box says on the broker: its stored cases (through the outbox) and its cameras' health.</summary>
public static class Announcements
{
    /// <summary>The outbox message announcing a stored case (schema cww.candidate v1, id = case id).</summary>
    public static OutboxMessage Candidate(CaseRecord stored) => new(
        stored.CaseId,
        Topics.Candidates(stored.SiteId),
        Encoding.UTF8.GetString(MessageCodec.Encode(CandidateMessage.Schema, CandidateMessage.Version, stored.CaseId, ToMessage(stored))));

    public static CandidateMessage ToMessage(CaseRecord r) => new(
        r.CaseId, r.SiteId, r.CameraId, r.EventAt, r.Lane, r.Approach, r.VehicleTrackId, r.EvidenceFolder, r.ManifestSignature, r.CandidateJson, r.CreatedAt, r.PlateRead, r.PlateReadJson);

    /// <summary>The case a central consumer stores for a received candidate.</summary>
    public static CaseRecord ToCase(CandidateMessage m) => new(
        m.CaseId, m.SiteId, m.CameraId, m.EventAt, m.Lane, m.Approach, m.VehicleTrackId, CaseStatus.Candidate, m.EvidenceFolder, m.CandidateJson, m.ManifestSignature, m.CreatedAt)
    {
        PlateRead = m.PlateRead,
        PlateReadJson = m.PlateReadJson,
    };

    /// <summary>
    /// The box's own health (schema cww.box-health v1, retained): its evidence writer, e.g. a full evidence disk, with
    /// the candidates waiting for their package (<paramref name="pending"/>), its clock and its detector's load.
    /// </summary>
    public static (string Topic, byte[] Payload) BoxHealth(string site, EvidenceHealth e, ClockHealth? clock = null, DetectorLoad? detector = null, int pending = 0) => (
        Topics.BoxHealth(site),
        MessageCodec.Encode(
            BoxHealthMessage.Schema,
            BoxHealthMessage.Version,
            site,
            new BoxHealthMessage(
                site,
                new EvidenceHealthBody(e.Directory, StateName(e.State), e.StateSince, e.FreeBytes, e.ReserveBytes, e.Written, e.Failed, e.Held, e.HeldInMemoryOnly, e.ParkedIn, e.LastError, e.LastErrorAt, pending),
                CwwVersion,
                clock is null ? null : ClockBody(clock),
                detector is null ? null : new DetectorHealthBody(detector.Cameras, Math.Round(detector.AchievedFps, 1), Math.Round(detector.ConfiguredFps, 1), detector.Overloaded))));

    /// <summary>The evidence writer's state as the box-health message names it: writing, diskFull, clockHeld.</summary>
    public static string StateName(EvidenceState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    private static ClockHealthBody ClockBody(ClockHealth c) => new(
        JsonNamingPolicy.CamelCase.ConvertName(c.State.ToString()), c.StateSince, c.OffsetMs, c.DelayMs, c.Server, c.MeasuredAt, c.MaxOffsetMs, c.HoldOffsetMs, c.Reason);

    /// <summary>The version of cww this box runs, as <c>cww --version</c> prints it.</summary>
    private static readonly string? CwwVersion = typeof(Announcements).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;

    public static (string Topic, byte[] Payload) Health(string site, CameraHealth h) => (
        Topics.Health(site, h.CameraId),
        MessageCodec.Encode(
            HealthMessage.Schema,
            HealthMessage.Version,
            $"{site}/{h.CameraId}",
            new HealthMessage(site, h.CameraId, h.State.ToString(), h.Fps, h.Frames, h.Drops, h.Reconnects, h.LastFrameAt, h.LastError, h.Recording,
                // The view check's state ("moved", "blocked", …) and why, where the camera is checked (added fields: older consumers skip them).
                h.View == ViewState.Unchecked ? null : ViewName(h.View),
                h.View == ViewState.Unchecked ? null : h.ViewDetail,
                h.View == ViewState.Unchecked ? null : h.ViewPhrase,
                // Its time streaming today as the box's store holds it: the central site's hours streaming.
                h.StreamedToday?.Day.ToString(HealthMessage.DayFormat, System.Globalization.CultureInfo.InvariantCulture),
                h.StreamedToday is { } streamed ? (long)streamed.Streamed.TotalMilliseconds : null)));

    /// <summary>A view state as the health message names it: "ok", "moved", "blocked", "blurred", "exposure", "learning".</summary>
    public static string ViewName(ViewState state) => state.ToString().ToLowerInvariant();
}
