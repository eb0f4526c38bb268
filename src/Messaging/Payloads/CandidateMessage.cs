namespace CrosswalkWatch.Messaging.Payloads;

/// <summary>
/// Schema <c>cww.candidate</c> version 1: a violation candidate whose evidence package is complete on its edge box.
/// Metadata and evidence references only, no images: the package stays on the box (or its evidence share) and is
/// identified by its folder and the signature of its manifest. <see cref="Id"/> (the case id) makes a repeated
/// delivery recognisable. <see cref="PlateRead"/> and <see cref="PlateReadJson"/> (the plate step's normalised read
/// and its reads with per-character confidence) are optional: a case without a plate read is valid.
/// </summary>
public sealed record CandidateMessage(
    string CaseId,
    string SiteId,
    string CameraId,
    DateTimeOffset EventAt,
    string Lane,
    string Approach,
    int VehicleTrackId,
    string EvidenceFolder,
    string ManifestSignature,
    string CandidateJson,
    DateTimeOffset CreatedAt,
    string? PlateRead = null,
    string? PlateReadJson = null)
{
    public const string Schema = "cww.candidate";
    public const int Version = 1;
}

/// <summary>
/// Schema <c>cww.health</c> version 1: one camera's health, retained per camera. <see cref="StreamedDay"/> ("yyyy-MM-dd",
/// the site's day) and <see cref="StreamedMs"/>: what the camera streamed that day as the box's store holds it, kept
/// by the central site as its hours streaming (added fields, absent from older boxes and before the first write).
/// </summary>
public sealed record HealthMessage(
    string SiteId,
    string CameraId,
    string State,
    double Fps,
    long Frames,
    long Drops,
    int Reconnects,
    DateTimeOffset? LastFrameAt,
    string? LastError,
    string Recording,
    string? View = null,
    string? ViewDetail = null,
    string? ViewPhrase = null,
    string? StreamedDay = null,
    long? StreamedMs = null)
{
    public const string Schema = "cww.health";
    public const int Version = 1;

    /// <summary>How <see cref="StreamedDay"/> writes the day.</summary>
    public const string DayFormat = "yyyy-MM-dd";
}

/// <summary>
/// Schema <c>cww.box-health</c> version 1: the edge box's own health, retained on <c>cww/v1/sites/{site}/health</c>.
/// Its evidence writer: state <c>writing</c>, <c>diskFull</c> (no new package is started; new candidates are held,
/// parked, and built once there is room again) or <c>clockHeld</c> (the same while the clock is off by more than
/// clock.holdOffsetMs); and its clock (<see cref="ClockHealthBody"/>).
/// </summary>
/// <summary>A box silent beyond messaging.silentSeconds (<see cref="Kind"/> "silent") or heard again ("back"), <see cref="LastHeard"/> its last message before.</summary>
public sealed record BoxAlertMessage(string SiteId, string Kind, DateTimeOffset LastHeard, DateTimeOffset At)
{
    public const string Schema = "cww.box-alert";
    public const int Version = 1;
}

/// <summary>
/// The box's own health: its evidence disk, the version of cww it runs and its clock against its NTP servers (each
/// absent from boxes before it was sent).
/// </summary>
public sealed record BoxHealthMessage(string SiteId, EvidenceHealthBody Evidence, string? CwwVersion = null, ClockHealthBody? Clock = null, DetectorHealthBody? Detector = null)
{
    public const string Schema = "cww.box-health";
    public const int Version = 1;
}

/// <summary>The evidence writer's part of <see cref="BoxHealthMessage"/>.</summary>
public sealed record EvidenceHealthBody(
    string Directory,
    string State,
    DateTimeOffset StateSince,
    long FreeBytes,
    long ReserveBytes,
    long Written,
    long Failed,
    int Held,
    int HeldInMemoryOnly,
    string? ParkedIn,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int Pending = 0);

/// <summary>The box's detector: its judged cameras, the detection fps achieved over all of them against the configured, overloaded or not.</summary>
public sealed record DetectorHealthBody(int Cameras, double AchievedFps, double ConfiguredFps, bool Overloaded);

/// <summary>
/// The clock's part of <see cref="BoxHealthMessage"/>: state <c>notChecked</c>, <c>unknown</c>, <c>ok</c>, <c>off</c>
/// (above clock.maxOffsetMs: an error) or <c>holding</c> (above clock.holdOffsetMs: candidates held); the offset in
/// milliseconds (the servers' time minus the box's), from which server and when, the limits, and why it is unknown.
/// </summary>
public sealed record ClockHealthBody(
    string State,
    DateTimeOffset StateSince,
    double? OffsetMs,
    double? DelayMs,
    string? Server,
    DateTimeOffset? MeasuredAt,
    int MaxOffsetMs,
    int HoldOffsetMs,
    string? Reason);
