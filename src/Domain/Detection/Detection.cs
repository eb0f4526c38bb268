using CrosswalkWatch.Domain.Officials;

namespace CrosswalkWatch.Domain.Detection;

/// <summary>
/// One detected object: its box (normalised), score 0–1, class, the model's own label index, and for a motor vehicle
/// the kind its label names (car, bus, truck, motorcycle), null when the label names none.
/// </summary>
public readonly record struct DetectedObject(Box Box, float Score, ObjectClass Class, int Label, VehicleKind? Kind = null);

/// <summary>Everything the detector found in one frame of one camera.</summary>
public sealed record FrameDetections(
    string CameraId,
    long Sequence,
    DateTimeOffset CapturedAt,
    int FrameWidth,
    int FrameHeight,
    IReadOnlyList<DetectedObject> Items);
