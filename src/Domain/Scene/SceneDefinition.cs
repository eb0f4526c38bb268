using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.Domain.Scene;

/// <summary>
/// One camera's scene, as an operator draws it over a frame: the crosswalk, the approaches with their stop line and
/// lanes, the road's centre line, refuges and sidewalks, and the turning movements that reach the crosswalk from the side. Every point is [x, y] in 0–1 of the image (origin top-left),
/// so a scene fits any resolution of the same camera view. Read from YAML by <c>SceneLoader</c>.
/// </summary>
public sealed record SceneDefinition
{
    [Description("Crosswalk polygon: at least 3 points [x, y], convex, in order around it.")]
    [Required]
    public IReadOnlyList<IReadOnlyList<double>> Crosswalk { get; init; } = [];

    [Description("Road centre line, two points [x, y]: pedestrians past it towards a vehicle's half count against that vehicle. Leave out for a one-way road.")]
    public IReadOnlyList<IReadOnlyList<double>>? CenterLine { get; init; }

    [Description("Traffic approaching the crosswalk: one entry per direction of travel.")]
    [Required]
    public IReadOnlyList<ApproachDefinition> Approaches { get; init; } = [];

    [Description("Median refuges (polygons): pedestrians standing there do not count.")]
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>> Refuges { get; init; } = [];

    [Description("Sidewalks and waiting areas (polygons): pedestrians there are outside the motor lanes.")]
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>> Sidewalks { get; init; } = [];

    [Description("Turning vehicles that reach the crosswalk from the side (a side road, the junction's turning area) without passing a stop line of this road: each is judged in the lane it crosses in.")]
    public IReadOnlyList<MovementDefinition> Movements { get; init; } = [];

    [Description("Pedestrian signal heads in the picture, read every processed frame (red man above, green man below): a pedestrian who started crossing on red does not count. Leave out where there is no signal.")]
    public IReadOnlyList<SignalDefinition> Signals { get; init; } = [];

    /// <summary>
    /// The file's optional <c>rule:</c> block: this camera's yield-rule thresholds as an operator set them, laid over
    /// the configuration's rule for the camera (see <see cref="RuleFor"/>). Read by <c>SceneLoader</c> with the
    /// bounds of <see cref="YieldRuleSettings"/>; not a bindable property, hence set through <see cref="WithRule"/>.
    /// Not part of the scene's JSON (evidence, the console's API): that is its geometry.
    /// </summary>
    [JsonIgnore]
    public YieldRuleOverride? Rule { get; private init; }

    public SceneDefinition WithRule(YieldRuleOverride? rule) => this with { Rule = rule };

    /// <summary>The camera's effective thresholds: <paramref name="cameraRule"/> (global `rule:` and the camera's own) with this scene's `rule:` over it.</summary>
    public YieldRuleSettings RuleFor(YieldRuleSettings cameraRule) => Rule?.ApplyTo(cameraRule) ?? cameraRule;
}

public sealed record ApproachDefinition
{
    [Description("Name of the approach, shown to reviewers (e.g. 'southbound').")]
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string Name { get; init; } = "";

    [Description("Direction of travel: an arrow of two points [x, y], from → to, in the image.")]
    [Required]
    public IReadOnlyList<IReadOnlyList<double>> Direction { get; init; } = [];

    [Description("Stop line before the crosswalk: two points [x, y].")]
    [Required]
    public IReadOnlyList<IReadOnlyList<double>> StopLine { get; init; } = [];

    [Description("The lanes of this approach.")]
    [Required]
    public IReadOnlyList<LaneDefinition> Lanes { get; init; } = [];
}

public sealed record LaneDefinition
{
    [Description("Lane id, unique in the scene (e.g. 'S1'), shown to reviewers.")]
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,16}$")]
    public string Id { get; init; } = "";

    [Description("Lane polygon covering its approach and its stretch of the crosswalk: at least 3 points [x, y].")]
    [Required]
    public IReadOnlyList<IReadOnlyList<double>> Polygon { get; init; } = [];

    [Description("motor (cars, buses, trucks, motorcycles) or nonMotor (bicycles): pedestrians in a non-motor lane are outside the motor lanes.")]
    public LaneKind Kind { get; init; } = LaneKind.Motor;
}

public sealed record SignalDefinition
{
    [Description("Name of the signal head, shown to reviewers (e.g. 'far kerb head').")]
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string Name { get; init; } = "";

    [Description("The head in the image: its top-left and bottom-right corners [[x1, y1], [x2, y2]], the red man in its upper half and the green man in its lower half.")]
    [Required]
    public IReadOnlyList<IReadOnlyList<double>> Box { get; init; } = [];
}

public enum LaneKind
{
    Motor,
    NonMotor,
}

/// <summary>
/// A turning movement: vehicles that come from its entry region and leave across the crosswalk in one of its lanes,
/// in the lane's direction of travel, without having passed that lane's stop line (DOMAIN.md, turning vehicles).
/// </summary>
public sealed record MovementDefinition
{
    [Description("Name of the movement, unique in the scene, shown to reviewers (e.g. 'right turn from the side road').")]
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string Name { get; init; } = "";

    [Description("left or right: the way these vehicles turn, as reviewers are told.")]
    [Required]
    public TurnDirection Turn { get; init; }

    [Description("Entry region: a polygon of at least 3 points [x, y] where these vehicles come from (a side road, or the junction's turning area); a vehicle whose box's bottom centre is in it before it reaches the crosswalk is judged as turning.")]
    [Required]
    public IReadOnlyList<IReadOnlyList<double>> Entry { get; init; } = [];

    [Description("Ids of the scene's motor lanes these vehicles leave across the crosswalk.")]
    [Required]
    public IReadOnlyList<string> Lanes { get; init; } = [];
}

public enum TurnDirection
{
    Left,
    Right,
}

/// <summary>The display text of each <see cref="TurnDirection"/>.</summary>
public static class TurnDirections
{
    /// <summary>The turn as a phrase that completes "vehicle #7 …" (e.g. "turning right").</summary>
    public static string Text(this TurnDirection turn) => turn switch
    {
        TurnDirection.Left => "turning left",
        TurnDirection.Right => "turning right",
        _ => throw new ArgumentOutOfRangeException(nameof(turn), turn, null),
    };
}
