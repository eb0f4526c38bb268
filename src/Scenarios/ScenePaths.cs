using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.Scenarios;

/// <summary>
/// Where things may move in the generated scene: each lane's centre line (sampled across the lane polygon, by the
/// distance s along the approach's direction), points on the crosswalk by (u across the road, depth along it), a
/// turning movement's path from its entry region into a lane, and the same footprint test the yield rule makes.
/// </summary>
internal sealed class ScenePaths
{
    private readonly Dictionary<string, (double S, Point2 P)[]> _centres = [];
    private readonly Point2[] _crosswalk;
    private readonly Dictionary<(string Movement, string Lane), TurnPath> _turns = [];

    public ScenePaths(SceneDefinition definition)
    {
        Model = new SceneModel(definition);
        if (definition.Crosswalk.Count != 4)
        {
            throw new ScenarioException("the generated scene's crosswalk must have 4 corners (near-left, near-right, far-right, far-left)");
        }

        _crosswalk = Geometry.Points(definition.Crosswalk);
        foreach (var lane in Model.Lanes)
        {
            _centres[lane.Id] = CentreLine(lane);
        }
    }

    public SceneModel Model { get; }

    public SceneLane Lane(string id) => Model.Lanes.First(l => l.Id == id);

    /// <summary>Range of s along the lane's centre line.</summary>
    public (double Min, double Max) Range(string lane)
    {
        var c = _centres[lane];
        return (c[0].S, c[^1].S);
    }

    public Point2 OnLane(string lane, double s)
    {
        var c = _centres[lane];
        if (s <= c[0].S)
        {
            return c[0].P + (Lane(lane).Direction * (s - c[0].S));
        }

        for (var i = 1; i < c.Length; i++)
        {
            if (s <= c[i].S)
            {
                var k = (s - c[i - 1].S) / (c[i].S - c[i - 1].S);
                return c[i - 1].P + ((c[i].P - c[i - 1].P) * k);
            }
        }

        return c[^1].P + (Lane(lane).Direction * (s - c[^1].S));
    }

    /// <summary>A point on the crosswalk: u from its first edge (corners 0–3) to the other (1–2), depth 0 on edge 0–1, 1 on edge 3–2.</summary>
    public Point2 OnCrosswalk(double u, double depth)
    {
        var top = _crosswalk[0] + ((_crosswalk[1] - _crosswalk[0]) * u);
        var bottom = _crosswalk[3] + ((_crosswalk[2] - _crosswalk[3]) * u);
        return top + ((bottom - top) * depth);
    }

    /// <summary>The u at which a crosswalk point at this depth has the lateral place (bisection; lateral is monotonic in u).</summary>
    public double UAtLateral(double lateral, double depth)
    {
        double lo = -0.3, hi = 1.3;
        var increasing = Model.Lateral(OnCrosswalk(hi, depth)) > Model.Lateral(OnCrosswalk(lo, depth));
        for (var i = 0; i < 50; i++)
        {
            var mid = (lo + hi) / 2;
            var value = Model.Lateral(OnCrosswalk(mid, depth));
            if ((value < lateral) == increasing)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }

    /// <summary>
    /// Where a vehicle making a turning movement has its bottom centre at <paramref name="k"/> along its path: at 0 the
    /// centroid of the movement's entry region; then a quadratic Bézier that reaches the lane's centre line where it
    /// enters the crosswalk, arriving along the lane's direction (its control point lies back along the centre line);
    /// then along the centre line to where it leaves the crosswalk, at 1. k is shared out by length, so a steady rate of
    /// k is a steady speed; below 0 the vehicle is on its way in (back along the curve's first tangent), above 1 it
    /// drives on along the lane. <paramref name="movement"/> is a movement's name, <paramref name="lane"/> a lane id.
    /// </summary>
    public Point2 Turning(string movement, string lane, double k)
    {
        if (!_turns.TryGetValue((movement, lane), out var path))
        {
            path = MakeTurn(movement, lane);
            _turns[(movement, lane)] = path;
        }

        return path.At(k);
    }

    /// <summary>The length of a movement's path into a lane from its entry region's centroid to where it leaves the crosswalk (k 0 to 1), in 0–1 image units.</summary>
    public double TurningLength(string movement, string lane)
    {
        Turning(movement, lane, 0);
        return _turns[(movement, lane)].Length;
    }

    private TurnPath MakeTurn(string movementName, string laneId)
    {
        var movement = Model.Movements.FirstOrDefault(m => m.Name == movementName)
            ?? throw new ScenarioException($"the generated scene has no movement '{movementName}' (it has {string.Join(", ", Model.Movements.Select(m => $"'{m.Name}'"))})");
        if (!movement.Lanes.Any(l => l.Id == laneId))
        {
            throw new ScenarioException($"movement '{movementName}' does not leave in lane {laneId} (its lanes: {string.Join(", ", movement.Lanes.Select(l => l.Id))})");
        }

        // Where the lane's centre line enters and leaves the crosswalk, in s along the lane.
        var (sMin, sMax) = Range(laneId);
        const int Steps = 2000;
        double? sIn = null, sOut = null;
        for (var i = 0; i <= Steps; i++)
        {
            var s = sMin + ((sMax - sMin) * i / Steps);
            if (Model.OnCrosswalk(OnLane(laneId, s)))
            {
                sIn ??= s;
                sOut = s;
            }
        }

        if (sIn is not { } enter || sOut is not { } leave)
        {
            throw new ScenarioException($"lane {laneId}'s centre line never crosses the crosswalk");
        }

        var start = Centroid(movement.Entry);
        var into = OnLane(laneId, enter);
        var control = into - (Lane(laneId).Direction * ((into - start).Length / 2));
        return new TurnPath(start, control, into, (enter, leave), s => OnLane(laneId, s));
    }

    /// <summary>The centroid of a polygon's area.</summary>
    private static Point2 Centroid(Point2[] polygon)
    {
        double x = 0, y = 0, area = 0;
        for (var i = 0; i < polygon.Length; i++)
        {
            var p = polygon[i];
            var q = polygon[(i + 1) % polygon.Length];
            var cross = p.Cross(q);
            area += cross;
            x += (p.X + q.X) * cross;
            y += (p.Y + q.Y) * cross;
        }

        return new Point2(x / (3 * area), y / (3 * area));
    }

    /// <summary>A turn into a lane: the Bézier (start, control, into), then the lane's centre line (<c>onLane</c> by s) across the crosswalk, s from enter to leave.</summary>
    private sealed class TurnPath
    {
        private const int Samples = 200;
        private readonly Point2 _start;
        private readonly Point2 _control;
        private readonly Point2 _into;
        private readonly double _enter;
        private readonly Func<double, Point2> _onLane;
        private readonly double[] _lengths = new double[Samples + 1]; // arc length of the Bézier at t = i / Samples

        public TurnPath(Point2 start, Point2 control, Point2 into, (double Enter, double Leave) crosswalk, Func<double, Point2> onLane)
        {
            (_start, _control, _into, _enter, _onLane) = (start, control, into, crosswalk.Enter, onLane);
            for (var i = 1; i <= Samples; i++)
            {
                _lengths[i] = _lengths[i - 1] + (Bezier(i / (double)Samples) - Bezier((i - 1) / (double)Samples)).Length;
            }

            Curve = _lengths[Samples];
            Length = Curve + (crosswalk.Leave - crosswalk.Enter);
        }

        /// <summary>Length of the curve, start to the crosswalk.</summary>
        public double Curve { get; }

        /// <summary>Length of the whole path, k 0 to 1.</summary>
        public double Length { get; }

        public Point2 At(double k)
        {
            var distance = k * Length;
            if (distance < 0)
            {
                return _start + ((_start - _control).Normalized() * -distance);
            }

            if (distance >= Curve)
            {
                return _onLane(_enter + (distance - Curve));
            }

            var i = Array.BinarySearch(_lengths, distance);
            i = i >= 0 ? i : Math.Max(~i - 1, 0);
            var share = i < Samples && _lengths[i + 1] > _lengths[i] ? (distance - _lengths[i]) / (_lengths[i + 1] - _lengths[i]) : 0;
            return Bezier((i + share) / Samples);
        }

        private Point2 Bezier(double t) =>
            (_start * ((1 - t) * (1 - t))) + (_control * (2 * t * (1 - t))) + (_into * (t * t));
    }

    /// <summary>The stretch of u (lowest, highest) over which the crosswalk at this depth lies in the lane's polygon.</summary>
    public (double From, double To) LaneSpan(SceneLane lane, double depth)
    {
        double from = double.PositiveInfinity, to = double.NegativeInfinity;
        for (var u = -0.3; u <= 1.3; u += 0.002)
        {
            if (Geometry.Contains(lane.Polygon, OnCrosswalk(u, depth)))
            {
                from = Math.Min(from, u);
                to = Math.Max(to, u);
            }
        }

        return from <= to ? (from, to) : throw new ScenarioException($"lane {lane.Id} does not cross the crosswalk at depth {depth:0.00}");
    }

    /// <summary>The u at which the crosswalk at this depth meets the centre line (bisection on the side of the line).</summary>
    public double UOnCentreLine(double depth)
    {
        var line = Geometry.Points(Model.Definition.CenterLine ?? throw new ScenarioException("the generated scene needs a centre line"));
        double Side(double u) => Geometry.Side(line[0], line[1], OnCrosswalk(u, depth));
        double lo = -0.3, hi = 1.3;
        var low = Math.Sign(Side(lo));
        for (var i = 0; i < 50; i++)
        {
            var mid = (lo + hi) / 2;
            if (Math.Sign(Side(mid)) == low)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }

    /// <summary>As the yield rule samples it: the share of the box's lower half past the lane's stop line and on the crosswalk.</summary>
    public (double PastLine, double OnCrosswalk) Footprint(SceneLane lane, Box box)
    {
        int past = 0, on = 0, total = 0;
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 5; column++)
            {
                var p = new Point2(box.X1 + ((0.1 + (0.2 * column)) * box.Width), box.Y1 + (box.Height * (0.5 + (row / 2.0 * 0.5))));
                past += SceneModel.PastStopLine(lane, p) > 0 ? 1 : 0;
                on += Model.OnCrosswalk(p) ? 1 : 0;
                total++;
            }
        }

        return ((double)past / total, (double)on / total);
    }

    private static (double S, Point2 P)[] CentreLine(SceneLane lane)
    {
        var d = lane.Direction;
        var a = d.Perpendicular();
        var (sMin, sMax) = Geometry.Extent(lane.Polygon, d);
        var points = new List<(double, Point2)>();
        const int Steps = 60;
        for (var i = 1; i < Steps; i++)
        {
            var s = sMin + ((sMax - sMin) * i / Steps);
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (var k = 0; k < lane.Polygon.Length; k++)
            {
                var p = lane.Polygon[k];
                var q = lane.Polygon[(k + 1) % lane.Polygon.Length];
                var ps = p.Dot(d) - s;
                var qs = q.Dot(d) - s;
                if (ps * qs > 0 || Math.Abs(ps - qs) < 1e-12)
                {
                    continue;
                }

                var x = p + ((q - p) * (ps / (ps - qs)));
                var lateral = x.Dot(a);
                lo = Math.Min(lo, lateral);
                hi = Math.Max(hi, lateral);
            }

            if (hi > lo)
            {
                points.Add((s, (d * s) + (a * ((lo + hi) / 2))));
            }
        }

        return [.. points];
    }
}
