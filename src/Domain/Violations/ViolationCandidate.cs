using System.Text.Json.Serialization;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.Domain.Violations;

/// <summary>One moment of a candidate: the frame and where the vehicle was.</summary>
public sealed record YieldMoment(long Sequence, DateTimeOffset At, Box VehicleBox)
{
    /// <summary>The pedestrian signal at this moment (for the photo's overlay); null, and not written, when the camera has none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Signals.SignalReading? Signal { get; init; }
}

/// <summary>Why a pedestrian counted against the vehicle, for the reviewer.</summary>
/// <param name="Where">Where the pedestrian stood in relation to the vehicle's lane; its JSON is the old text (see <see cref="ConflictKind"/>).</param>
/// <param name="LanesFromVehicleLane">Lateral distance from the vehicle's lane in lane widths (0 inside it).</param>
/// <param name="Speed">Walking speed in the pedestrian's box heights per second.</param>
public sealed record PedestrianReason(
    int TrackId,
    Box Box,
    [property: JsonConverter(typeof(ConflictKindJsonConverter))] ConflictKind Where,
    double LanesFromVehicleLane,
    double Speed,
    int FramesInConflict)
{
    /// <summary>The pedestrian signal when this pedestrian first stepped into the motor lanes on the crosswalk; null, and not written, without a signal.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Signals.SignalState? StartedOnSignal { get; init; }
}

/// <summary>
/// A vehicle that crossed the stop line into the crosswalk, moving, while pedestrians were in its conflict zone; with
/// the three moments police photograph (before the line, on it, leaving) and the reasons. A turning vehicle
/// (<see cref="Movement"/>) came from the side instead: its first moment is the last in the movement's entry region,
/// the second on the crosswalk.
/// </summary>
public sealed record ViolationCandidate(
    string CameraId,
    int VehicleTrackId,
    string Lane,
    string Approach,
    YieldMoment BeforeLine,
    YieldMoment OnLine,
    YieldMoment Leaving,
    double VehicleSpeed,
    bool StoppedBeforeLine,
    IReadOnlyList<PedestrianReason> Pedestrians)
{
    /// <summary>The kind most of the vehicle track's detections named (the detector's class: car, bus, truck, motorcycle); null when not known.</summary>
    public VehicleKind? VehicleKind { get; init; }

    /// <summary>The turning movement the vehicle made, as the scene names it; null (and not written) for a vehicle that came through its lane's stop line.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TurnMovement? Movement { get; init; }

    /// <summary>How the vehicle reached the crosswalk, for reviewers: "turning right into northbound (right turn from the side road)", or null when it came straight through its stop line.</summary>
    public string? MovementText() => Movement?.Text(Approach);
}

/// <summary>A turning movement as a candidate names it: the scene's name for it and the way the vehicle turned.</summary>
public sealed record TurnMovement(string Name, TurnDirection Turn)
{
    /// <summary>The movement into an approach, as reviewers read it: "turning right into northbound (right turn from the side road)".</summary>
    public string Text(string approach) => $"{Turn.Text()} into {approach} ({Name})";
}
