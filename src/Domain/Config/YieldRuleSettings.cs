using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CrosswalkWatch.Domain.Config;

/// <summary>
/// The thresholds of the yield decision (the settings real camera systems expose, DOMAIN.md). Global under
/// <c>rule:</c>, overridable per camera. Speeds are in the object's own box heights per second, so they hold
/// near and far from the camera alike.
/// </summary>
public sealed record YieldRuleSettings
{
    [Description("Conflict zone on the crosswalk: nearHalf (the motor lanes on the vehicle's side of the centre line) or lane (the vehicle's lane widened by adjacentMarginLanes).")]
    public ConflictZoneKind ConflictZone { get; init; } = ConflictZoneKind.NearHalf;

    [Description("With conflictZone lane: how far beside the vehicle's lane a pedestrian still counts, in lane widths (1 = the whole lane beside it).")]
    [Range(0.0, 3.0)]
    public double AdjacentMarginLanes { get; init; } = 1.0;

    [Description("A pedestrian this close to the centre line (lane widths) on the far half counts, unless walking away.")]
    [Range(0.0, 2.0)]
    public double CenterLineMarginLanes { get; init; } = 0.5;

    [Description("Whether a pedestrian standing still in the conflict zone counts.")]
    public bool CountStandingPedestrians { get; init; } = true;

    [Description("Pedestrians slower than this (box heights per second) are standing.")]
    [Range(0.0, 5.0)]
    public double StandingSpeed { get; init; } = 0.15;

    [Description("Pedestrians needed in the conflict zone at once.")]
    [Range(1, 10)]
    public int MinPedestrians { get; init; } = 1;

    [Description("Time a pedestrian must be seen in the conflict zone, from the first frame there to the last, before counting: 0.15 s is two frames at 5 fps and three at 10, so a foot in the zone for one frame's box never counts at any rate.")]
    [Range(0.0, 5.0)]
    public double MinConflictSeconds { get; init; } = 0.15;

    [Description("Share of the vehicle's ground footprint past the stop line at which it has crossed it; for a turning vehicle (scene movements), the share on the crosswalk at which it has entered it.")]
    [Range(0.05, 1.0)]
    public double BodyPastLine { get; init; } = 0.3;

    [Description("Vehicles slower than this (box heights per second) are stopped.")]
    [Range(0.0, 5.0)]
    public double StoppedSpeed { get; init; } = 0.1;

    [Description("Seconds below stoppedSpeed before a vehicle counts as having stopped.")]
    [Range(0.0, 30.0)]
    public double StoppedSeconds { get; init; } = 1.0;

    [Description("A second candidate for the same lane and place within this many seconds is taken as the same vehicle (tracker id switch) and dropped.")]
    [Range(0.0, 3600.0)]
    public double DedupSeconds { get; init; } = 30;

    [Description("Pedestrians faster than this (box heights per second) ran: excluded, as police exclude them. 0 = never excluded.")]
    [Range(0.0, 20.0)]
    public double RunningSpeed { get; init; } = 2.5;

    [Description("A pedestrian who turned back across the road within this many seconds is excluded. 0 = never excluded.")]
    [Range(0.0, 30.0)]
    public double TurnBackSeconds { get; init; } = 2.0;

    [Description("Pedestrian signal heads marked in the scene (signals:): consecutive processed frames that must read the same state (red, green, off) before the box takes it; a flicker or a vehicle passing in front of the head for fewer frames changes nothing. A pedestrian who started crossing on red does not count.")]
    [Range(1, 50)]
    public int SignalFrames { get; init; } = 3;

    [Description("The city's signal controller feed (MQTT cww/v1/sites/SITE/signals/CAMERA) is taken over the heads read from the picture while its latest message's time is at most this many seconds from the frame's; the controller should repeat its state every second or so. 0 = the feed is ignored.")]
    [Range(0.0, 60.0)]
    public double SignalFeedSeconds { get; init; } = 3;

    [Description("A pedestrian has turned back once walking the other way across the road for this many seconds; meanwhile they are not counted. Shorter flips are taken as a glitch of the box.")]
    [Range(0.0, 5.0)]
    public double TurnBackHoldSeconds { get; init; } = 0.4;
}

public enum ConflictZoneKind
{
    NearHalf,
    Lane,
}
