using BenchmarkDotNet.Attributes;
using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.Bench;

/// <summary>
/// One frame of the yield decision on the sample scene (rox) for a busy crossing: 24 pedestrians walking across the
/// crosswalk and back, 6 vehicles driving through it in both directions, at 5 fps; every 100 frames the vehicles are
/// new tracks and the old ones are retired, so the rule's state stays in its steady size.
/// <see cref="YieldRule.Update"/> (lateral axis and lanes precomputed, per-track state, the whole decision) beside
/// the plain per-frame zone check a first version would write: every pedestrian tested against the crosswalk and
/// every lane polygon, rebuilt from the scene definition with LINQ each frame, for every vehicle (conflicts only:
/// no stopping, dwell or de-duplication). A third case: the same crossing with a turning movement in the scene (an
/// entry region at the lower right into A1), two of the six vehicles turning from it into the away lane.
/// </summary>
[MemoryDiagnoser]
public class RuleBenchmarks
{
    private const int Pedestrians = 24;
    private const int Vehicles = 6;
    private const int Period = 100;
    private const double Interval = 0.2;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private SceneDefinition _definition = null!;
    private YieldRule _rule = null!;
    private YieldRule _turningRule = null!;
    private long _sequence;
    private long _turningSequence;
    private long _naiveSequence;

    [GlobalSetup]
    public void Setup()
    {
        var root = Assets.RepositoryRoot() ?? throw new InvalidOperationException("run the benchmarks from inside the repository");
        _definition = SceneLoader.Load(Path.Combine(root, "samples", "scenes", "rox_crosswalk_elevated.yaml"));
        _rule = new YieldRule("bench", new SceneModel(_definition), new YieldRuleSettings());
        MovementDefinition turn = new() { Name = "left turn from the junction", Turn = TurnDirection.Left, Entry = [[0.84, 0.94], [0.935, 0.90], [1.0, 0.965], [1.0, 1.0], [0.79, 1.0]], Lanes = ["A1"] };
        _turningRule = new YieldRule("bench", new SceneModel(_definition with { Movements = [turn] }), new YieldRuleSettings());
        for (var i = 0; i < 2 * Period; i++)
        {
            YieldRuleUpdate();
            YieldRuleUpdateWithTurns();
        }
    }

    [Benchmark(Baseline = true, Description = "per-frame polygon tests, LINQ (hand-written)")]
    public int NaiveZoneCheck()
    {
        var frame = Frame(_naiveSequence++);
        var conflicts = 0;
        var crosswalk = _definition.Crosswalk.Select(p => new Point2(p[0], p[1])).ToArray();
        var lanes = _definition.Approaches.SelectMany(a => a.Lanes).Select(l => l.Polygon.Select(p => new Point2(p[0], p[1])).ToArray()).ToList();
        foreach (var vehicle in frame.Tracks.Where(t => t.Class == ObjectClass.MotorVehicle))
        {
            var anchor = new Point2(vehicle.Box.CenterX, vehicle.Box.Y2);
            var lane = lanes.FindIndex(l => Geometry.Contains(l, anchor));
            if (lane < 0)
            {
                continue;
            }

            conflicts += frame.Tracks
                .Where(t => t.Class == ObjectClass.Pedestrian)
                .Select(t => new Point2(t.Box.CenterX, t.Box.Y2))
                .Count(p => Geometry.Contains(crosswalk, p) && lanes.Where((_, i) => Math.Abs(i - lane) <= 1).Any(l => Geometry.Contains(l, p)));
        }

        return conflicts;
    }

    [Benchmark(Description = "YieldRule.Update")]
    public int YieldRuleUpdate() => _rule.Update(Frame(_sequence++)).Count;

    [Benchmark(Description = "YieldRule.Update, 2 of 6 vehicles turning (scene movements)")]
    public int YieldRuleUpdateWithTurns() => _turningRule.Update(Frame(_turningSequence++, turning: true)).Count;

    /// <summary>Frame <paramref name="s"/> of the endless scripted stream; with <paramref name="turning"/>, vehicles 2 and 5 turn in from the lower right.</summary>
    private static TrackFrame Frame(long s, bool turning = false)
    {
        var phase = s % Period;
        var generation = (int)(s / Period);
        var tracks = new List<TrackedObject>(Pedestrians + Vehicles);
        var at = Start.AddSeconds(s * Interval);
        for (var p = 0; p < Pedestrians; p++)
        {
            // Back and forth along the crosswalk (lower left to right), each at its own place and pace.
            var u = 0.5 + (0.45 * Math.Sin((Math.Tau * (phase + (p * 7)) / Period * (1 + (p % 3))) + p));
            var x = 0.31 + (0.66 * u);
            var y = 0.80 - (0.15 * u) + (0.04 * ((p % 5) - 2) / 2.0);
            tracks.Add(new TrackedObject(p + 1, ObjectClass.Pedestrian, Box.FromCenter((float)x, (float)(y - 0.04), 0.025f, 0.08f), 0.8f, 0, 0, 50, Start));
        }

        for (var v = 0; v < Vehicles; v++)
        {
            // Towards the camera (T1) or away (A1), entering at staggered times.
            var t = ((phase + (v * 15)) % Period) / (double)Period;
            var towards = v % 2 == 0;
            var (x, y) = towards ? (0.30 + (0.45 * t), 0.52 + (0.33 * t)) : (0.98 - (0.45 * t), 0.90 - (0.33 * t));
            var (vx, vy) = towards ? (0.45, 0.33) : (-0.45, -0.33);
            if (turning && v % 3 == 2)
            {
                (x, y, vx, vy) = Turn(t);
            }

            var id = 1000 + (generation * 100) + v;
            tracks.Add(new TrackedObject(id, ObjectClass.MotorVehicle, Box.FromCenter((float)x, (float)(y - 0.05), 0.12f, 0.10f), 0.9f, (float)vx, (float)vy, 20, Start));
        }

        IReadOnlyList<int> retired = phase == 0 && generation > 0
            ? Enumerable.Range(0, Vehicles).Select(v => 1000 + ((generation - 1) * 100) + v).ToList()
            : [];
        return new TrackFrame("bench", s, at, tracks, retired);
    }

    /// <summary>
    /// A turn from the entry region into A1 at t in 0–1 (bottom centre and its velocity per t): a Bézier up from the
    /// junction to A1 at the crosswalk's near edge in the first 30 %, then up the lane.
    /// </summary>
    private static (double X, double Y, double Vx, double Vy) Turn(double t)
    {
        (double X, double Y) start = (0.91, 0.96), control = (1.0, 0.86), into = (0.94, 0.80), end = (0.55, 0.57);
        if (t >= 0.3)
        {
            var k = (t - 0.3) / 0.7;
            return (into.X + ((end.X - into.X) * k), into.Y + ((end.Y - into.Y) * k), (end.X - into.X) / 0.7, (end.Y - into.Y) / 0.7);
        }

        var u = t / 0.3;
        return (
            ((1 - u) * (1 - u) * start.X) + (2 * u * (1 - u) * control.X) + (u * u * into.X),
            ((1 - u) * (1 - u) * start.Y) + (2 * u * (1 - u) * control.Y) + (u * u * into.Y),
            ((2 * (1 - u) * (control.X - start.X)) + (2 * u * (into.X - control.X))) / 0.3,
            ((2 * (1 - u) * (control.Y - start.Y)) + (2 * u * (into.Y - control.Y))) / 0.3);
    }
}
