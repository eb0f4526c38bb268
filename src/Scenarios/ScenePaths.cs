using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.Scenarios;

/// <summary>
/// Where things may move in the generated scene: each lane's centre line (sampled across the lane polygon, by the
/// distance s along the approach's direction), points on the crosswalk by (u across the road, depth along it), and
/// the same footprint test the yield rule makes.
/// </summary>
internal sealed class ScenePaths
{
    private readonly Dictionary<string, (double S, Point2 P)[]> _centres = [];
    private readonly Point2[] _crosswalk;

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
