using CrosswalkWatch.Domain.Officials;

namespace CrosswalkWatch.Domain.Detection;

/// <summary>
/// One tracked object in one frame, as the tracker reports it: a stable id across frames and short occlusions,
/// its box (normalised), its velocity in normalised units per second (from the motion model), and for a motor
/// vehicle the kind most of its detections named (null when none did).
/// </summary>
public sealed record TrackedObject(
    int TrackId,
    ObjectClass Class,
    Box Box,
    float Score,
    float VelocityX,
    float VelocityY,
    int Hits,
    DateTimeOffset FirstSeen,
    VehicleKind? Kind = null);

/// <summary>
/// The tracker's output for one frame: the tracks seen in it, and the ids retired in it (their per-track state
/// elsewhere must be freed, so memory stays flat on a 24/7 stream).
/// </summary>
public sealed record TrackFrame(
    string CameraId,
    long Sequence,
    DateTimeOffset CapturedAt,
    IReadOnlyList<TrackedObject> Tracks,
    IReadOnlyList<int> Retired)
{
    /// <summary>The crossing's pedestrian signal at this frame (heads read from it, or the controller's feed); null when the camera has none.</summary>
    public Signals.SignalReading? Signal { get; init; }

    /// <summary>
    /// Width over height of the picture the boxes are normalised to (16:9 is 1.78; 1 when unknown): a normalised x
    /// is that many times a normalised y in pixels, which speeds measured in box heights must allow for.
    /// </summary>
    public float Aspect { get; init; } = 1f;
}
