using System.Text.Json.Serialization;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;

namespace CrosswalkWatch.Web.Operators;

/// <summary>
/// Runs a stored clip through the real detector, tracker and yield rule, once per set of thresholds, to show an
/// operator what a change would do before it is saved. The console does not compose the pipeline itself (that needs
/// the detector's ONNX Runtime and ingest's decoding): <c>cww serve</c> gives it one, as <c>cww replay</c> composes it.
/// </summary>
public interface IClipReplay
{
    /// <summary>One run per entry of <see cref="ReplayRequest.Rules"/>, in that order.</summary>
    Task<IReadOnlyList<ReplayRun>> RunAsync(ReplayRequest request, CancellationToken cancellationToken);
}

/// <summary>A clip of <paramref name="Camera"/> (its detection rate and region apply) with its scene, and the thresholds to try.</summary>
public sealed record ReplayRequest(CameraConfig Camera, string Clip, SceneDefinition Scene, IReadOnlyList<YieldRuleSettings> Rules);

/// <summary>What one run decided: the candidates with their reasons, how many frames were judged, how the clip ended.</summary>
public sealed record ReplayRun(IReadOnlyList<ReplayCandidate> Candidates, long Frames, int Deduplicated, string State, string? Problem);

/// <summary>A candidate as the page shows it; times are seconds into the clip.</summary>
public sealed record ReplayCandidate(
    int VehicleTrackId,
    string Lane,
    string Approach,
    double BeforeLineSeconds,
    double OnLineSeconds,
    double LeavingSeconds,
    Box VehicleBox,
    double VehicleSpeed,
    bool StoppedBeforeLine,
    IReadOnlyList<ReplayPedestrian> Pedestrians)
{
    /// <summary>The turning movement the vehicle made (as the evidence names it); null for one that came through its stop line.</summary>
    public TurnMovement? Movement { get; init; }

    /// <summary>The movement as a phrase for the page ("turning right into northbound (right turn from the side road)"); null without one.</summary>
    public string? MovementText => Movement?.Text(Approach);
}

/// <summary>
/// Why a pedestrian counted: where (as in the evidence, and <see cref="WhereText"/> to show), how far from the
/// vehicle's lane (lane widths), how fast (box heights per second), for how many frames.
/// </summary>
public sealed record ReplayPedestrian(
    int TrackId,
    Box Box,
    [property: JsonConverter(typeof(ConflictKindJsonConverter))] ConflictKind Where,
    double LanesFromVehicleLane,
    double Speed,
    int FramesInConflict)
{
    /// <summary>Where the pedestrian was, as a phrase for the page (e.g. "in the vehicle's lane").</summary>
    public string WhereText => Where.Text();
}

/// <summary>A replay could not run at all (the detector cannot be loaded, …): the reason, for the operator.</summary>
public sealed class ReplayException : Exception
{
    public ReplayException()
    {
    }

    public ReplayException(string message)
        : base(message)
    {
    }

    public ReplayException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
