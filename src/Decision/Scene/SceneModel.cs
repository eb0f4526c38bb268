using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;

namespace CrosswalkWatch.Decision.Scene;

/// <summary>A lane as the rule sees it: its polygon, approach, and its stretch across the crosswalk.</summary>
public sealed record SceneLane(
    string Id,
    string Approach,
    LaneKind Kind,
    Point2[] Polygon,
    Point2 Direction,
    Point2[] StopLine,
    double LateralMin,
    double LateralMax,
    int Half)
{
    public double Width => LateralMax - LateralMin;

    public double LateralCenter => (LateralMin + LateralMax) / 2;
}

/// <summary>
/// A turning movement as the rule sees it: its entry region, the lanes its vehicles may leave across the crosswalk
/// in (motor lanes of the scene, in the order written), and the name a candidate carries (made once, here).
/// </summary>
public sealed record SceneMovement(string Name, TurnDirection Turn, Point2[] Entry, SceneLane[] Lanes)
{
    public TurnMovement Named { get; } = new(Name, Turn);
}

/// <summary>
/// A scene made ready for the rule: one lateral axis across the road (perpendicular to the first approach's
/// direction), each lane's interval on it where it crosses the crosswalk, the centre line's place on it, and the
/// halves of the road. Pure geometry, built once per camera; answers "where is this point" questions.
/// </summary>
public sealed class SceneModel
{
    private readonly Point2[] _crosswalk;
    private readonly Point2[][] _refuges;
    private readonly Point2[][] _sidewalks;
    private readonly SceneMovement[] _movements;

    public SceneModel(SceneDefinition scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        Definition = scene;
        _crosswalk = Geometry.Points(scene.Crosswalk);
        _refuges = scene.Refuges.Select(Geometry.Points).ToArray();
        _sidewalks = scene.Sidewalks.Select(Geometry.Points).ToArray();
        var first = Geometry.Points(scene.Approaches[0].Direction);
        Axis = (first[1] - first[0]).Normalized().Perpendicular();

        // The centre line's place across the road: where it runs over the crosswalk.
        Center = scene.CenterLine is { } center ? LateralOverCrosswalk(Geometry.Points(center)) : null;

        var lanes = new List<SceneLane>();
        foreach (var approach in scene.Approaches)
        {
            var direction = Geometry.Points(approach.Direction);
            var stopLine = Geometry.Points(approach.StopLine);
            foreach (var lane in approach.Lanes)
            {
                var polygon = Geometry.Points(lane.Polygon);
                var onCrosswalk = Geometry.ClipToConvex(polygon, _crosswalk);
                var (min, max) = Geometry.Extent(onCrosswalk.Length > 0 ? onCrosswalk : polygon, Axis);
                var half = Center is { } c ? Math.Sign(((min + max) / 2) - c) : 1;
                lanes.Add(new SceneLane(lane.Id, approach.Name, lane.Kind, polygon, (direction[1] - direction[0]).Normalized(), stopLine, min, max, half == 0 ? 1 : half));
            }
        }

        Lanes = lanes;
        _movements = scene.Movements.Select(m => new SceneMovement(m.Name, m.Turn, Geometry.Points(m.Entry), m.Lanes.Select(Lane).ToArray())).ToArray();

        SceneLane Lane(string id) => lanes.Find(l => string.Equals(l.Id, id, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"a movement names lane '{id}', which is not in the scene (the scene loader refuses such a scene)", nameof(scene));
    }

    public SceneDefinition Definition { get; }

    public IReadOnlyList<SceneLane> Lanes { get; }

    /// <summary>The turning movements, in the order written; empty when the scene has none.</summary>
    public IReadOnlyList<SceneMovement> Movements => _movements;

    /// <summary>Unit vector across the road; a point's lateral place is its projection on it.</summary>
    public Point2 Axis { get; }

    /// <summary>The centre line's lateral place, or null for a one-way road (one half).</summary>
    public double? Center { get; }

    public double Lateral(Point2 p) => p.Dot(Axis);

    /// <summary>The half of the road a lateral place is on: +1 or −1 (always +1 without a centre line).</summary>
    public int HalfOf(double lateral) => Center is { } c ? (lateral >= c ? 1 : -1) : 1;

    public bool OnCrosswalk(Point2 p) => Geometry.Contains(_crosswalk, p);

    public bool OnRefuge(Point2 p) => _refuges.Any(r => Geometry.Contains(r, p));

    public bool OnSidewalk(Point2 p) => _sidewalks.Any(r => Geometry.Contains(r, p));

    /// <summary>The lane whose polygon holds the point, motor lanes first; null outside every lane.</summary>
    public SceneLane? LaneAt(Point2 p)
    {
        SceneLane? found = null;
        foreach (var lane in Lanes)
        {
            if (Geometry.Contains(lane.Polygon, p) && (found is null || (found.Kind != LaneKind.Motor && lane.Kind == LaneKind.Motor)))
            {
                found = lane;
            }
        }

        return found;
    }

    /// <summary>The first movement whose entry region holds the point; null outside every entry region.</summary>
    public SceneMovement? MovementAt(Point2 p)
    {
        foreach (var movement in _movements) // an array: no enumerator allocated per vehicle and frame
        {
            if (Geometry.Contains(movement.Entry, p))
            {
                return movement;
            }
        }

        return null;
    }

    /// <summary>The lane whose stretch across the crosswalk holds the lateral place; null between or beyond lanes.</summary>
    public SceneLane? LaneAcross(double lateral)
    {
        foreach (var lane in Lanes)
        {
            if (lateral >= lane.LateralMin && lateral <= lane.LateralMax)
            {
                return lane;
            }
        }

        return null;
    }

    /// <summary>
    /// Signed distance of a point past the lane's stop line, positive once past it in the direction of travel
    /// (normalised image units).
    /// </summary>
    public static double PastStopLine(SceneLane lane, Point2 p)
    {
        var a = lane.StopLine[0];
        var b = lane.StopLine[1];
        var side = Geometry.Side(a, b, p) / (b - a).Length;
        var forward = Math.Sign(Geometry.Side(a, b, a + lane.Direction));
        return side * forward;
    }

    private double? LateralOverCrosswalk(Point2[] line)
    {
        double sum = 0;
        var count = 0;
        for (var t = -0.5; t <= 1.5; t += 0.01)
        {
            var p = line[0] + ((line[1] - line[0]) * t);
            if (Geometry.Contains(_crosswalk, p))
            {
                sum += Lateral(p);
                count++;
            }
        }

        return count == 0 ? null : sum / count;
    }
}
