using System.Text.Json.Serialization;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;

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
/// the three moments police photograph (before the line, on it, leaving) and the reasons.
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
}
