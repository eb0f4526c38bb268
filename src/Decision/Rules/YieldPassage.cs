using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Decision.Rules;

/// <summary>
/// A vehicle's passage as the rule judged it, for explaining a decision after the fact (<c>cww eval</c> says why a
/// labelled violation was missed): what it decided, and where each pedestrian on the crosswalk stood in the rule's
/// eyes as the vehicle crossed its line. Reported through <see cref="YieldRule.OnPassage"/>, only when someone listens.
/// </summary>
/// <param name="At">When the vehicle crossed its line (or, not judged, when the rule gave up on it).</param>
/// <param name="Speed">The vehicle's speed then, its box heights a second.</param>
/// <param name="Pedestrians">Each pedestrian on the crosswalk when the vehicle crossed its line, with the verdict; empty when not judged.</param>
public sealed record YieldPassage(
    int VehicleTrackId,
    string Lane,
    DateTimeOffset At,
    Box VehicleBox,
    double Speed,
    PassageOutcome Outcome,
    IReadOnlyList<PedestrianSeen> Pedestrians)
{
    /// <summary>The other vehicle's track: the one this is, found again (<see cref="PassageOutcome.SameVehicle"/>), or whose box it took (<see cref="PassageOutcome.TookAnothersBox"/>).</summary>
    public int? Other { get; init; }
}

/// <summary>A pedestrian as the rule saw them when a vehicle crossed its line.</summary>
/// <param name="Frames">Consecutive frames in the vehicle's conflict zone by then.</param>
public sealed record PedestrianSeen(int TrackId, Box Box, PedestrianVerdict Verdict, int Frames);

/// <summary>What the rule made of a vehicle's passage.</summary>
public enum PassageOutcome
{
    /// <summary>A candidate: pedestrians were in its conflict zone while it crossed, moving.</summary>
    Candidate,

    /// <summary>Crossed with no pedestrian counted against it.</summary>
    Cleared,

    /// <summary>Not judged: already past its line when first seen in its lane (an id switch, the line out of sight, or driving the wrong way).</summary>
    FirstSeenPastTheLine,

    /// <summary>Not judged: first seen past its line where a vehicle that had passed it was just lost, that vehicle found again (<see cref="YieldPassage.Other"/>).</summary>
    SameVehicle,

    /// <summary>No candidate: on the crosswalk its track took the box of another vehicle just lost there (<see cref="YieldPassage.Other"/>).</summary>
    TookAnothersBox,
}

/// <summary>Whether a pedestrian counted against a vehicle and, if not, why not (the rule's definitions, DOMAIN.md).</summary>
public enum PedestrianVerdict
{
    Counted,
    OffTheCrosswalk,
    OnTheRefuge,
    OnTheSidewalk,
    OutsideTheMotorLanes,
    Running,
    TurnedBack,

    /// <summary>First stepped into the motor lanes on the crosswalk while the pedestrian signal was red.</summary>
    StartedOnRed,

    /// <summary>Walking the other way for less than turnBackHoldSeconds: maybe turning back, not counted meanwhile.</summary>
    Turning,

    /// <summary>Standing, with countStandingPedestrians off.</summary>
    Standing,

    /// <summary>In the motor lanes but not in this vehicle's conflict zone (the far half, or walking away at the centre line).</summary>
    OutsideTheZone,

    /// <summary>Seen in the zone for less than minConflictSeconds.</summary>
    TooBrief,

    /// <summary>Behind the vehicle: it had already passed them.</summary>
    BehindTheVehicle,

    /// <summary>Not seen for longer than the occlusion grace.</summary>
    HiddenTooLong,
}
