using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CrosswalkWatch.Domain.Config;

/// <summary>
/// The whole configuration file (cww.yaml). Keys are camelCase in YAML; every value has a default and bounds,
/// documented by the attributes here and printed by <c>cww config defaults</c>.
/// </summary>
public sealed record CwwConfig
{
    [Description("Where this box stands: ids and names burned into evidence.")]
    public SiteConfig Site { get; init; } = new();

    [Description("Folders for recordings, evidence, models and the database.")]
    public PathsConfig Paths { get; init; } = new();

    [Description("Ingest settings for every camera; a camera's own `ingest:` block overrides any of them.")]
    public IngestSettings Ingest { get; init; } = new();

    [Description("The yield decision's thresholds for every camera; a camera's own `rule:` block overrides any of them.")]
    public YieldRuleSettings Rule { get; init; } = new();

    [Description("The cameras of this box.")]
    public IReadOnlyList<CameraConfig> Cameras { get; init; } = [];

    [Description("Object detector.")]
    public DetectorConfig Detector { get; init; } = new();

    [Description("Plate reading: which plate detector, and when a read is sure enough to name an official without a reviewer confirming the plate.")]
    public PlateSettings Plates { get; init; } = new();

    [Description("Evidence packages (DATA/evidence): the free space kept on their disk.")]
    public EvidenceConfig Evidence { get; init; } = new();

    [Description("Where cases, tallies and audit records are kept.")]
    public StorageConfig Storage { get; init; } = new();

    [Description("How confirmed violations are counted per official, and when the accountability notice goes out.")]
    public TallyConfig Tally { get; init; } = new();

    [Description("Police review: how many reviewers must confirm a case that names an official, and what the office sees of them.")]
    public ReviewConfig Review { get; init; } = new();

    [Description("How long evidence is kept.")]
    public RetentionConfig Retention { get; init; } = new();

    [Description("MQTT messaging between edge boxes and the central site.")]
    public MessagingConfig Messaging { get; init; } = new();

    [Description("The web console.")]
    public WebConfig Web { get; init; } = new();

    [Description("/metrics for Prometheus on the edge box (`cww run`, `cww demo`) and the central consumer (`cww central`).")]
    public MetricsConfig Metrics { get; init; } = new();

    [Description("Pushes each confirmed case to the police's traffic-management platform over HTTP.")]
    public PushConfig Push { get; init; } = new();

    [Description("The box's clock, measured against NTP servers: evidence is void when the device clock is off by more than 1 s (GA/T 832).")]
    public ClockConfig Clock { get; init; } = new();
}

public sealed record SiteConfig
{
    [Description("Site (device) id burned into evidence, e.g. the police device number.")]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string Id { get; init; } = "site-01";

    [Description("Human-readable place name, e.g. the intersection.")]
    [StringLength(200, MinimumLength = 1)]
    public string Name { get; init; } = "Demo intersection";

    [Description("IANA time zone used for calendar years and overlays.")]
    [StringLength(64, MinimumLength = 1)]
    public string TimeZone { get; init; } = "Asia/Shanghai";
}

public sealed record PathsConfig
{
    [Description("Root folder for everything this box writes; relative paths are taken from the config file's folder.")]
    [StringLength(4096, MinimumLength = 1)]
    public string Data { get; init; } = "var";

    [Description("Folder holding the model weights installed from models/manifest.json.")]
    [StringLength(4096, MinimumLength = 1)]
    public string Models { get; init; } = "var/models";
}

/// <summary>Per-camera ingest tunables. Global under <c>ingest:</c>, overridable under each camera.</summary>
public sealed record IngestSettings
{
    [Description("Frames per second handed to the detector (an upper bound: never more than the stream gives; 60 passes every frame).")]
    [Range(0.1, 60.0)]
    public double DetectFps { get; init; } = 5;

    [Description("Motion first: run the detector at detectFps only while something moves in the detect region or it found something on or near the crosswalk in the last 2 s; otherwise at idleFps. A still camera then costs a fifth of its detection; the health says when a camera is idle.")]
    public bool MotionGate { get; init; } = true;

    [Description("Detection frames per second while the picture is still (motionGate): often enough that the tracker keeps the ids of parked and waiting objects (it drops a track unseen for 1.5 s), hence at least 0.7.")]
    [Range(0.7, 60.0)]
    public double IdleFps { get; init; } = 1;

    [Description("Width of frames handed to the detector, pixels.")]
    [Range(64, 3840)]
    public int DetectWidth { get; init; } = 640;

    [Description("Height of frames handed to the detector, pixels.")]
    [Range(64, 2160)]
    public int DetectHeight { get; init; } = 360;

    [Description("Frames queued between the camera and the detector; the oldest is dropped when full.")]
    [Range(1, 64)]
    public int QueueCapacity { get; init; } = 2;

    [Description("Record the main stream into the evidence ring (stream copy, no re-encoding).")]
    public bool Record { get; init; } = true;

    [Description("Length of one recorded segment, seconds.")]
    [Range(1.0, 60.0)]
    public double SegmentSeconds { get; init; } = 2;

    [Description("Minutes of recording kept in the ring.")]
    [Range(1.0, 1440.0)]
    public double KeepMinutes { get; init; } = 30;

    [Description("Disk the ring may use per camera, megabytes; the oldest segments go first.")]
    [Range(16, 1_000_000)]
    public int MaxRecordingMegabytes { get; init; } = 4096;

    [Description("Free space kept on the recording disk, megabytes: the oldest segments go first; when the ring is empty and space is still short, recording pauses (detection goes on) until there is room again.")]
    [Range(0, 1_000_000)]
    public int MinFreeMegabytes { get; init; } = 512;

    [Description("Seconds without a frame before the watchdog declares the camera stalled and reconnects.")]
    [Range(1.0, 300.0)]
    public double StallTimeoutSeconds { get; init; } = 5;

    [Description("First wait before reconnecting, seconds; doubles on each failure.")]
    [Range(0.1, 60.0)]
    public double ReconnectMinSeconds { get; init; } = 1;

    [Description("Longest wait between reconnects, seconds.")]
    [Range(1.0, 3600.0)]
    public double ReconnectMaxSeconds { get; init; } = 30;

    [Description("RTSP transport: tcp (reliable through NAT and lossy links) or udp.")]
    public RtspTransport Transport { get; init; } = RtspTransport.Tcp;

    [Description("Video files: play at the file's own rate (true) or as fast as possible (false, for replay).")]
    public bool RealTime { get; init; } = true;

    [Description("Video files and image folders: start again from the beginning at the end.")]
    public bool Loop { get; init; }

    [Description("Check the camera's view against the reference picture taken when its scene was last saved: a camera moved (shifted or turned beyond viewMovePercent / viewTurnDegrees) or blocked produces no candidates until it is put right or its scene is saved again; blurred or badly exposed is shown in the health. Live (RTSP) cameras with a scene only; with it on, a scene saved while the box runs is taken up at the next check.")]
    public bool ViewCheck { get; init; } = true;

    [Description("Seconds between view checks; a fault is found within two to three checks (10–15 s at the default).")]
    [Range(1.0, 600.0)]
    public double ViewCheckSeconds { get; init; } = 5;

    [Description("A camera is moved when its view shifted by more than this, in percent of the picture's width (a camera high on a pole sways in the wind: raise it there).")]
    [Range(0.2, 20.0)]
    public double ViewMovePercent { get; init; } = 2;

    [Description("A camera is moved when its view turned by more than this many degrees.")]
    [Range(0.2, 20.0)]
    public double ViewTurnDegrees { get; init; } = 1.5;
}

public enum RtspTransport
{
    Tcp,
    Udp,
}

public sealed record CameraConfig
{
    [Description("Camera id, unique on this box; used in topics, folders and evidence (device number).")]
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,32}$")]
    public string Id { get; init; } = "";

    [Description("Where the camera stands, burned into evidence.")]
    [StringLength(200)]
    public string Place { get; init; } = "";

    [Description("Direction of traffic the camera watches, burned into evidence (e.g. 'northbound').")]
    [StringLength(64)]
    public string Direction { get; init; } = "";

    [Description("Main stream: rtsp://… URL, a video file, or a folder of images.")]
    [Required]
    [StringLength(4096, MinimumLength = 1)]
    public string Url { get; init; } = "";

    [Description("Optional sub-stream (rtsp://) used for detection; the main stream is then only recorded.")]
    [StringLength(4096)]
    public string? SubUrl { get; init; }

    [Description("Scene file (crosswalk, stop line, lanes), relative to the config file.")]
    [StringLength(4096)]
    public string? Scene { get; init; }

    [Description("Detect only inside this box [x1, y1, x2, y2] (0–1 of the picture), e.g. around the crosswalk and its approaches, to save compute; boxes found are reported in whole-picture coordinates. Leave out for the whole picture.")]
    [Range(0.0, 1.0)]
    public IReadOnlyList<double>? DetectRegion { get; init; }

    [Description("A disabled camera is validated but not started.")]
    public bool Enabled { get; init; } = true;

    [Description("This camera's ingest settings: the global `ingest:` block with this camera's overrides applied.")]
    public IngestSettings Ingest { get; init; } = new();

    [Description("This camera's yield-rule thresholds: the global `rule:` block with this camera's overrides applied.")]
    public YieldRuleSettings Rule { get; init; } = new();
}

public sealed record DetectorConfig
{
    [Description("Detector model, a key of models/manifest.json: yolox-nano or fastestdet.")]
    [RegularExpression("^[a-z0-9-]{1,64}$")]
    public string Type { get; init; } = "yolox-nano";

    [Description("ONNX Runtime intra-op threads.")]
    [Range(1, 64)]
    public int Threads { get; init; } = 2;

    [Description("Minimum detection score kept.")]
    [Range(0.01, 1.0)]
    public double ScoreThreshold { get; init; } = 0.35;

    [Description("Run YOLOX-Nano on the letterboxed picture without its padding (416 x 256 for a 16:9 camera instead of 416 x 416): about a third less detector time per frame, but the boxes move a little and `cww eval` found one more false candidate in 126 clips on one suite of two (bench/README.md), so it is off until the rule is tuned on it.")]
    public bool TrimInput { get; init; }
}

public sealed record PlateSettings
{
    [Description("Plate detector: plate-detector-320 (fast) or plate-detector-640 (small or far plates).")]
    [RegularExpression("^plate-detector-(320|640)$")]
    public string Detector { get; init; } = "plate-detector-320";

    [Description("Minimum per-character confidence of the voted plate (its weakest character, never a mean): below it, a registry match is only a suggestion until a reviewer confirms the plate.")]
    [Range(0.0, 1.0)]
    public double MinCharConfidence { get; init; } = 0.6;

    [Description("The plate reads of the evidence set must agree (at least two photos read, all the same text); otherwise a registry match is only a suggestion until a reviewer confirms the plate.")]
    public bool RequireAgreement { get; init; } = true;
}

public sealed record EvidenceConfig
{
    [Description("Free space kept on the evidence disk, megabytes: below it no new package is started (the box says 'disk full' in its health, and each new candidate is kept parked and built once there is room again), so the packages and cases already stored, the parked candidates and the database keep room. Keep it below ingest.minFreeMegabytes when recordings share the disk, so the recording ring gives way first.")]
    [Range(0, 1_000_000)]
    public int MinFreeMegabytes { get; init; } = 128;

    [Description("Evidence packages built at once: 0 (default) is one for each core but one (at least one), leaving a core to detection. A package waits for the 5 s of recording after its event without taking a builder; each camera's cases are stored in the order of its events whatever the number.")]
    [Range(0, 64)]
    public int Builders { get; init; }

    /// <summary>The builders on a machine of <paramref name="cores"/> cores: <see cref="Builders"/>, or for 0 one per core but one.</summary>
    public int BuildersOn(int cores) => Builders > 0 ? Builders : Math.Max(1, cores - 1);
}

public sealed record StorageConfig
{
    [Description("sqlite (embedded default) or postgres (central site).")]
    public StorageKind Type { get; init; } = StorageKind.Sqlite;

    [Description("SQLite database file, relative to paths.data.")]
    [StringLength(4096, MinimumLength = 1)]
    public string SqlitePath { get; init; } = "cww.db";

    [Description("PostgreSQL connection string (Npgsql form), used when type is postgres.")]
    [StringLength(4096)]
    public string? ConnectionString { get; init; }
}

public enum StorageKind
{
    Sqlite,
    Postgres,
}

public sealed record MessagingConfig
{
    public const int DefaultMaxPayloadBytes = 256 * 1024;

    [Description("embedded (in-process broker on loopback), external (mosquitto or a clustered broker) or none (no messages: the box keeps its cases to itself).")]
    public BrokerKind Broker { get; init; } = BrokerKind.Embedded;

    [Description("Broker host name.")]
    [StringLength(255, MinimumLength = 1)]
    public string Host { get; init; } = "127.0.0.1";

    [Description("Broker port.")]
    [Range(1, 65535)]
    public int Port { get; init; } = 1883;

    [Description("User name on an external broker: site-<site id> for an edge box, central for `cww central` (the accounts `cww broker acl` makes). With the embedded broker the accounts are made and used by themselves (DATA/keys/broker/).")]
    [StringLength(255)]
    public string? Username { get; init; }

    [Description("File holding the password for an external broker (kept out of the config file).")]
    [StringLength(4096)]
    public string? PasswordFile { get; init; }

    [Description("Use TLS to the broker (usually port 8883). The broker's certificate is always checked: it must chain to a trusted CA (caFile, or the system's) and name the host.")]
    public bool Tls { get; init; }

    [Description("With tls: PEM file of the CA (or CAs) that signed the broker's certificate, e.g. a private CA; it is then the only CA trusted for the broker, and the system's store is left alone. Relative to the config file's folder.")]
    [StringLength(4096)]
    public string? CaFile { get; init; }

    [Description("MQTT client id of this process; empty: cww-<site id>-<role>.")]
    [StringLength(128)]
    public string? ClientId { get; init; }

    [Description("Largest message payload the brokers and the central consumer accept, in bytes (256 KiB by default; a candidate is a few KB). The embedded broker refuses a larger one, `cww broker acl` gives mosquitto the same cap (max_packet_size), and a consumer parks one that still arrives by reference (topic, size, SHA-256, first bytes), never whole.")]
    [Range(4096, 16777216)]
    public int MaxPayloadBytes { get; init; } = DefaultMaxPayloadBytes;

    [Description("Seconds without any health from a box after which the central site shows it silent and sends an alert (cww/v1/alerts/boxes); boxes send their health every 5 s.")]
    [Range(10, 86400)]
    public int SilentSeconds { get; init; } = 60;

    [Description("Shared-subscription group of the central consumers ($share/GROUP/...): each candidate goes to one consumer of the group. Not used with the embedded broker, which has no shared subscriptions.")]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string SharedGroup { get; init; } = "cww-central";
}

public enum BrokerKind
{
    Embedded,
    External,
    None,
}

public sealed record TallyConfig
{
    /// <summary>The campaign's "three or more in one year".</summary>
    public const int DefaultThreshold = 3;

    [Description("calendar: the calendar year in site.timeZone; rolling365: the 365 days (365 × 24 h) ending at each violation.")]
    public TallyWindow Window { get; init; } = TallyWindow.Calendar;

    [Description("Two confirmed cases of the same plate this close in time count once (the same vehicle seen by two cameras); the yield rule's dedupSeconds by default.")]
    [Range(0.0, 3600.0)]
    public double DedupSeconds { get; init; } = 30;

    [Description("Confirmed violations in one window at which an official is named to the campaign office (a notice for this one and each one after); one fewer is flagged \"one away\".")]
    [Range(2, 100)]
    public int Threshold { get; init; } = DefaultThreshold;
}

public sealed record ReviewConfig
{
    /// <summary>Two police accounts: no single reviewer names an official.</summary>
    public const int DefaultOfficialConfirmations = 2;

    [Description("Different police accounts that must confirm a case naming an official before it counts (a plate correction that makes a case an official's needs them all again); a case that names nobody needs one.")]
    [Range(1, 5)]
    public int OfficialConfirmations { get; init; } = DefaultOfficialConfirmations;

    [Description("Whether the campaign office sees the names of the reviewers who confirmed a case (by default it sees that it was confirmed, not by whom).")]
    public bool OfficeSeesReviewers { get; init; }

    [Description("A camera whose share of confirmed cases among those decided over the last 7 days falls below this (with at least 5 decided) is flagged for re-tuning by `cww stats`, with its most common rejection reasons.")]
    [Range(0.0, 1.0)]
    public double MinValidity { get; init; } = 0.7;
}

public enum TallyWindow
{
    Calendar,
    Rolling365,
}

public sealed record RetentionConfig
{
    [Description("Days the evidence of a case that matches no official (and is not confirmed) is kept; `cww retention run` deletes it after that. Confirmed cases are kept.")]
    [Range(1, 3650)]
    public int UnmatchedEvidenceDays { get; init; } = 30;
}

public sealed record PushConfig
{
    [Description("The traffic-management platform's endpoint each confirmed case is POSTed to (JSON: the export's record, the signed manifest and every signed file in base64), with an Idempotency-Key header; https://, or http:// to this machine only. Empty (default): no push. Runs in the web console (cww serve).")]
    [StringLength(2048)]
    public string Url { get; init; } = "";

    [Description("File holding the bearer token sent as Authorization: Bearer …, relative to the config file. Empty: no Authorization header.")]
    [StringLength(4096)]
    public string TokenFile { get; init; } = "";

    [Description("Attempts of one case before it becomes a dead letter (shown in the operator console and `cww push status`, retried with `cww push retry`); waits double from 5 s up to 10 min between them. A 4xx answer other than 408, 409 and 429 makes it a dead letter at once.")]
    [Range(1, 1000)]
    public int MaxAttempts { get; init; } = 20;

    [Description("Seconds to wait for the endpoint's answer to one push.")]
    [Range(1.0, 600.0)]
    public double TimeoutSeconds { get; init; } = 30;
}

public sealed record ClockConfig
{
    [Description("NTP servers the edge box measures its clock against (SNTP, RFC 4330), each `host` or `host:port` (port 123 by default), asked in turn until one answers. Empty (default): the clock is not checked.")]
    [StringLength(261, MinimumLength = 1)]
    [MaxLength(8)]
    public IReadOnlyList<string> Servers { get; init; } = [];

    [Description("Seconds between two measurements of the clock.")]
    [Range(4, 3600)]
    public int CheckSeconds { get; init; } = 64;

    [Description("Offset from the servers' time, milliseconds, above which the clock is an error in the box's health and is written into each evidence package made meanwhile, which the police's case page then warns of (GA/T 832: within 1 s).")]
    [Range(1, 60000)]
    public int MaxOffsetMs { get; init; } = 1000;

    [Description("Offset, milliseconds, above which new candidates are held (kept parked, not built) until the clock is within it again; then they are built with the offset measured at their event in the package. At least maxOffsetMs.")]
    [Range(1, 3600000)]
    public int HoldOffsetMs { get; init; } = 3000;

    [Description("Minutes between two measurements of each live camera's own clock from the RTCP sender reports it sends (a short extra RTSP session, up to 20 s, on the camera's sub-stream where it has one: cameras limit their sessions and a main stream is heavy). Cameras' clocks drift slowly; 0: not measured.")]
    [Range(0, 1440)]
    public int CameraCheckMinutes { get; init; } = 15;

    /// <summary>The clock's state for a measured offset under these limits.</summary>
    public Health.ClockState StateOf(double offsetMs) => Health.ClockHealth.StateOf(offsetMs, MaxOffsetMs, HoldOffsetMs);
}

public sealed record MetricsConfig
{
    [Description("Port of /metrics for Prometheus: on the edge box its cameras, detector and motion gate, evidence and outbox; on the central consumer what it stored, parked and its lag. 0 (default): none. Two consumers on one machine need a configuration each.")]
    [Range(0, 65535)]
    public int Port { get; init; }

    [Description("Address /metrics listens on: 127.0.0.1 (this machine only) or the box's address for a Prometheus elsewhere.")]
    [StringLength(255, MinimumLength = 1)]
    public string Host { get; init; } = "127.0.0.1";
}

public sealed record WebConfig
{
    [Description("The console's language for accounts that have not chosen one: zh-CN (Simplified Chinese, default) or en. Each account can switch in the console's header; the choice is kept across sessions.")]
    [RegularExpression("^(zh-CN|en)$")]
    public string Language { get; init; } = "zh-CN";

    [Description("Address the web console listens on: http://127.0.0.1:PORT (this machine only), or https://ADDRESS:PORT for the network.")]
    [StringLength(255, MinimumLength = 1)]
    public string Bind { get; init; } = "http://127.0.0.1:8080";

    [Description("Failed sign-ins in a row that lock an account.")]
    [Range(1, 100)]
    public int LockoutFailures { get; init; } = 5;

    [Description("Minutes an account stays locked after too many failed sign-ins (an admin can unlock it sooner).")]
    [Range(1, 10080)]
    public int LockoutMinutes { get; init; } = 15;

    [Description("Hours a session lasts without use before signing in again.")]
    [Range(0.1, 168.0)]
    public double SessionHours { get; init; } = 8;

    [Description("Hours a session lasts at most from its sign-in, in use or not; then its user signs in again. Checked on the server at every request, so lowering it ends older sessions at once. Not shorter than web.sessionHours.")]
    [Range(0.1, 720.0)]
    public double SessionAbsoluteHours { get; init; } = 12;

    [Description("Sign-in attempts one client address may make per minute; beyond them the console answers 429 with Retry-After, before any password is hashed. Behind a TLS proxy every client has the proxy's address.")]
    [Range(1, 10000)]
    public int SignInsPerAddressPerMinute { get; init; } = 20;

    [Description("Sign-in attempts per minute for one user name, from any address (names that do not exist included); beyond them 429 with Retry-After, before any password is hashed.")]
    [Range(1, 10000)]
    public int SignInsPerAccountPerMinute { get; init; } = 10;

    [Description("HTTPS certificate for an https:// bind: a PFX file or a PEM file holding the certificate and its key, relative to the config file. Empty: a self-signed certificate is made once in DATA/keys/web/console.pfx.")]
    [StringLength(4096)]
    public string? CertificateFile { get; init; }

    [Description("Allow plain http:// on an address other than loopback. Off: a console reachable from the network must use https:// (session cookies are then Secure).")]
    public bool AllowPlainHttp { get; init; }

    /// <summary>
    /// Why the console's address will not do, or null: an http:// or https:// URL with a host and a port; plain
    /// http only on loopback unless web.allowPlainHttp (session cookies are Secure only over https).
    /// </summary>
    public string? BindProblem()
    {
        // Kestrel's "any address" forms (http://*:8080, http://+:80) are read as 0.0.0.0.
        var bind = Bind.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(bind, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/")
        {
            return $"'{Bind}' is not an address to listen on: expected http://127.0.0.1:8080 or https://HOST:PORT";
        }

        return PlainHttpProblem();
    }

    /// <summary>Why a plain http:// address will not do (it is not loopback and web.allowPlainHttp is off), or null.</summary>
    public string? PlainHttpProblem()
    {
        var bind = Bind.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(bind, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.IsLoopback || uri.Host == "localhost" || AllowPlainHttp)
        {
            return null;
        }

        return $"'{Bind}': plain http is allowed on 127.0.0.1 only, because session cookies and passwords would cross the network unencrypted; use https://{uri.Authority} (web.certificateFile, or a self-signed certificate made for you), or set web.allowPlainHttp behind a TLS proxy";
    }
}
