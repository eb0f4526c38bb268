namespace CrosswalkWatch.Domain.Health;

public enum CameraState
{
    /// <summary>Not started yet.</summary>
    Idle,

    /// <summary>Opening the stream; no frame yet in this session.</summary>
    Connecting,

    /// <summary>Frames are arriving.</summary>
    Streaming,

    /// <summary>The watchdog saw no frame within the stall timeout; a reconnect follows.</summary>
    Stalled,

    /// <summary>Waiting (backoff) before the next connection attempt.</summary>
    Reconnecting,

    /// <summary>A file or folder source reached its end.</summary>
    Ended,

    /// <summary>Cannot work as configured (for example a missing file); not retried.</summary>
    Failed,

    /// <summary>Stopped on request.</summary>
    Stopped,
}

/// <summary>A snapshot of one camera's ingest health, for logs, <c>/health</c> and the operators' page.</summary>
public sealed record CameraHealth
{
    public required string CameraId { get; init; }

    public CameraState State { get; init; }

    /// <summary>Frames per second handed to the detector, measured over the last few seconds.</summary>
    public double Fps { get; init; }

    public long Frames { get; init; }

    /// <summary>Frames dropped because the detector was slower than the camera.</summary>
    public long Drops { get; init; }

    public int Reconnects { get; init; }

    public DateTimeOffset? LastFrameAt { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>The stream's own size, as the camera sends it.</summary>
    public string? SourceSize { get; init; }

    /// <summary>The stream's codec: "H.265", or "H.265 main, H.264 sub" when the recorded main stream and the detected sub-stream differ.</summary>
    public string? Codec { get; init; }

    /// <summary>The size of frames handed to the detector.</summary>
    public string? FrameSize { get; init; }

    /// <summary>Recording into the ring: "on", "off" (not configured or not a live camera) or "paused: …" with the reason.</summary>
    public string Recording { get; init; } = "off";

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset StateSince { get; init; }

    /// <summary>
    /// The pedestrian signal as the rule took it at the camera's last judged frame ("red, read from the picture",
    /// "green, from the signal controller"); null where the camera has no signal head and no feed.
    /// </summary>
    public string? Signal { get; init; }

    /// <summary><see cref="Signal"/> as a phrase (<see cref="Phrase.ToJson"/>), for the console to word in its reader's language.</summary>
    public string? SignalPhrase { get; init; }

    /// <summary>
    /// The detector's pace (<see cref="DetectorPace"/>): "paused: camera moved" while the view check stops the camera's
    /// candidates, else set by the motion gate: "full rate" while something moves or is near the crosswalk, "idle"
    /// (the keep-alive rate) while the picture is still, with the frames kept from the detector so far; null where the
    /// camera is not judged or its gate is off.
    /// </summary>
    public string? Detection { get; init; }

    /// <summary><see cref="Detection"/> as a phrase (<see cref="Phrase.ToJson"/>), for the console to word in its reader's language.</summary>
    public string? DetectionPhrase { get; init; }

    /// <summary>What the view check says of the camera's picture against its reference (<see cref="ViewState.Unchecked"/> where it is off or the camera is not judged).</summary>
    public ViewState View { get; init; }

    /// <summary>Since when <see cref="View"/> holds.</summary>
    public DateTimeOffset? ViewSince { get; init; }

    /// <summary>What the last view check found, in English ("shifted 4.1 % right and 0.2 % down, turned 0.3° clockwise").</summary>
    public string? ViewDetail { get; init; }

    /// <summary><see cref="ViewDetail"/> as a phrase (<see cref="Phrase.ToJson"/>), for the console to word in its reader's language.</summary>
    public string? ViewPhrase { get; init; }

    /// <summary>The move and turn the last view check measured: what the console offers to apply to the scene.</summary>
    public ViewShift? ViewShift { get; init; }

    /// <summary>When the camera's reference picture was taken.</summary>
    public DateTimeOffset? ViewReferenceAt { get; init; }

    /// <summary>
    /// What the camera streamed today (the site's day) as the box's store holds it, at most a minute old (the
    /// streaming recorder's last write); null where nothing is recorded yet. Sent to the central site with the health.
    /// </summary>
    public StreamedDay? StreamedToday { get; init; }

    /// <summary>The camera's clock against the box's, from its RTCP sender reports (measured every clock.cameraCheckMinutes).</summary>
    public CameraClockState ClockState { get; init; }

    /// <summary>The camera's clock minus the box's at the last measurement, milliseconds; null until measured.</summary>
    public double? ClockOffsetMs { get; init; }

    /// <summary>The camera's clock in English ("+3002 ms ahead of the box, more than 1000 ms (clock.maxOffsetMs)", "no sender reports").</summary>
    public string? ClockDetail { get; init; }
}

/// <summary>The detector's pace as a camera's health says it (<see cref="CameraHealth.Detection"/>), as phrases.</summary>
public static class DetectorPace
{
    /// <summary>Paused: the view check found the camera moved or blocked, so it produces no candidates.</summary>
    public static Phrase Paused(ViewState view) =>
        Phrase.Of("detection.paused", "paused: camera {view}", ("view", "@viewState." + view.ToString().ToLowerInvariant()));

    /// <summary>The motion gate's rate, idle (the keep-alive rate) or full, with the frames it kept from the detector so far.</summary>
    public static Phrase Gated(bool idle, long gated) => idle
        ? Phrase.Of("detection.idle", "idle, {gated} frames gated", ("gated", gated))
        : Phrase.Of("detection.fullRate", "full rate, {gated} frames gated", ("gated", gated));
}
