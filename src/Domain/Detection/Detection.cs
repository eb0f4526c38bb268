namespace CrosswalkWatch.Domain.Detection;

/// <summary>One detected object: its box (normalised), score 0–1, class, and the model's own label index.</summary>
public readonly record struct DetectedObject(Box Box, float Score, ObjectClass Class, int Label);

/// <summary>Everything the detector found in one frame of one camera.</summary>
public sealed record FrameDetections(
    string CameraId,
    long Sequence,
    DateTimeOffset CapturedAt,
    int FrameWidth,
    int FrameHeight,
    IReadOnlyList<DetectedObject> Items);
