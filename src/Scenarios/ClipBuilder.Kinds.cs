using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.Scenarios;

/// <summary>
/// The scripts of the harder kinds (issue 13): where the pedestrian stands beyond the plain lanes (past the
/// separation line, at the centre line, on the refuge), the exclusions (turning back, running), traffic going away
/// from the camera, groups, and vehicles that creep or stop and then go. Times are scaled with the clip's length like
/// the first kinds', except where a time is the rule's own (a turn back, a stop).
/// </summary>
internal sealed partial class ClipBuilder
{
    /// <summary>The rule's defaults: the thresholds the labels are checked against (a script keeps clear of them).</summary>
    private static readonly YieldRuleSettings Rule = new();

    /// <summary>Steps off the kerb across the separation line into the outer motor lane and waits there while the vehicle passes.</summary>
    private void CrossedSeparationLine(SceneLane outer, SceneLane inner, double tc, double walk)
    {
        var lane = Pick(outer, inner);
        var depth = Depth();
        var target = UIn(outer, 0.2 + (0.25 * _random.NextDouble()), depth);
        var arrive = tc - ((0.9 + (0.8 * _random.NextDouble())) * _k);
        var p = Pedestrian(t => _paths.OnCrosswalk(Math.Clamp(target - (walk * (arrive - t)), Kerb, target), depth));
        Passing(lane, tc, violates: true, [p.Id]);
    }

    /// <summary>
    /// Comes from the far side and waits at the centre line (within the rule's margin of it on the far half) or just
    /// past it on the vehicle's half, beside the refuge, while the vehicle passes: in the middle of the band between
    /// the refuge's edge and the margin (or 0.4 of a lane past the refuge), so that where they stand is not in doubt.
    /// </summary>
    private void WaitingAtCentreLine(SceneLane outer, SceneLane inner, double tc, double walk)
    {
        var lane = Pick(outer, inner);
        var towards = TowardsHalf(inner);
        var past = _random.NextDouble() < 0.5;
        var depth = Depth();
        var edge = RefugeEdge(depth, past ? towards : -towards);
        var end = past ? edge + (towards * 0.4 * LaneUnit) : Centre(inner) - (towards * Rule.CenterLineMarginLanes * lane.Width);
        var target = _paths.UAtLateral(edge + ((end - edge) * (0.4 + (0.2 * _random.NextDouble()))), depth);
        var arrive = tc - ((1.0 + (0.8 * _random.NextDouble())) * _k);
        var p = Pedestrian(t => FromFarSide(target, walk, arrive, t, depth));
        Passing(lane, tc, violates: true, [p.Id]);
    }

    /// <summary>Has crossed the far half and stands on the refuge, waiting for the vehicle to pass.</summary>
    private void MedianRefuge(SceneLane outer, SceneLane inner, double tc, double walk)
    {
        if (_paths.Model.Definition.Refuges.Count == 0)
        {
            throw new ScenarioException("the generated scene needs a refuge on the centre line for the median-refuge scenario");
        }

        var lane = Pick(outer, inner);
        var depth = Depth();
        var target = _paths.UAtLateral(CentreAt(depth) + ((_random.NextDouble() - 0.5) * 0.06 * LaneUnit), depth);
        var arrive = tc - ((1.6 + (0.8 * _random.NextDouble())) * _k);
        Pedestrian(t => FromFarSide(target, walk, arrive, t, depth));
        Passing(lane, tc, violates: false, []);
    }

    /// <summary>
    /// Walks into the outer lane, turns back to the kerb a second or so before the vehicle crosses, and hurries out
    /// of the road well within the rule's turn-back time. The walk in lasts at least 1.6 s in the picture, so in a
    /// short clip the vehicle comes later: a turn is a turn only after a walk one way.
    /// </summary>
    private void TurnsBack(SceneLane outer, SceneLane inner, double tc, double walk)
    {
        var lane = Pick(outer, inner);
        var depth = Depth();
        var turn = UIn(outer, 0.45 + (0.4 * _random.NextDouble()), depth);
        var before = 1.0 + (0.5 * _random.NextDouble());
        var at = Math.Max(tc - before, 1.6);
        var back = walk * 1.4;
        Pedestrian(t => _paths.OnCrosswalk(t < at ? Math.Max(Kerb, turn - (walk * (at - t))) : Math.Max(Kerb - 0.04, turn - (back * (t - at))), depth));
        Passing(lane, at + before, violates: false, []);
    }

    /// <summary>Runs across in front of the vehicle at 3.2–3.9 of their own heights a second (about 5.5–6.5 m/s).</summary>
    private void Runs(SceneLane outer, SceneLane inner, double tc)
    {
        var lane = Pick(outer, inner);
        var depth = Depth();
        var scale = 1.0 + (0.15 * _random.NextDouble());
        var speed = UPerSecond(depth, scale, 3.2 + (0.7 * _random.NextDouble()));
        var atTc = UIn(lane, 0.3 + (0.4 * _random.NextDouble()), depth);
        Pedestrian(
            t =>
            {
                var u = Math.Max(Kerb, atTc + (speed * (t - tc)));
                return u > 1.1 ? null : _paths.OnCrosswalk(u, depth);
            },
            scale);
        Passing(lane, tc, violates: false, []);
    }

    /// <summary>A vehicle going away from the camera passes while a pedestrian from the far side crosses its lane.</summary>
    private void AwayPedestrianInLane(double tc, double walk)
    {
        var lane = FarLanes()[0];
        var depth = Depth();
        var at = UIn(lane, 0.3 + (0.4 * _random.NextDouble()), depth);
        var p = Pedestrian(t =>
        {
            var u = Math.Max(Kerb, at - (walk * 0.8 * (t - tc)));
            return u > 1.1 ? null : _paths.OnCrosswalk(u, depth);
        });
        PassingAway(lane, tc, violates: true, [p.Id]);
    }

    /// <summary>A vehicle going away from the camera passes while a pedestrian on the other half walks away from it.</summary>
    private void AwayFarHalfWalkingAway(double tc, double walk)
    {
        var lane = FarLanes()[0];
        var depth = Depth();
        var start = _paths.UAtLateral(Centre(lane) - (TowardsHalf(lane) * (0.9 + (0.3 * _random.NextDouble())) * lane.Width), depth);
        var leave = tc - (2.0 * _k);
        Pedestrian(t => _paths.OnCrosswalk(Math.Max(Kerb, Math.Min(start, start - (walk * (t - leave)))), depth));
        PassingAway(lane, tc, violates: false, []);
    }

    /// <summary>
    /// 3–8 pedestrians cross together, spread over a quarter of the crosswalk's length (about 2.5 m here: half a square
    /// metre each for eight); the vehicle passes while some of them are on its half.
    /// </summary>
    private void GroupCrossing(SceneLane outer, SceneLane inner, double tc, double walk)
    {
        var lane = Pick(outer, inner);
        var lead = UAt(lane, 0.25 + (0.3 * _random.NextDouble()));
        var group = Group(i => (lead - (i == 0 ? 0 : GroupSpread * _random.NextDouble()), walk * (0.8 + (0.25 * _random.NextDouble())), tc));
        Passing(lane, tc, violates: true, [.. group.Select(p => p.Id)]);
    }

    /// <summary>3–8 pedestrians cross together; the vehicle waits before the line until all are past the centre line.</summary>
    private void GroupStopsAndWaits(SceneLane outer, SceneLane inner, double walk)
    {
        var lane = Pick(outer, inner);
        var start = (1.0 + (0.4 * _random.NextDouble())) * _k;
        var group = Group(i => (UAt(outer, 0.3) - (GroupSpread * _random.NextDouble()), walk * 1.4 * (0.9 + (0.2 * _random.NextDouble())), start + (0.3 * _random.NextDouble())));
        Stopping(lane, 2.8 * _k, ClearTime(group, lane), violates: false);
    }

    /// <summary>
    /// A vehicle slows to a creep (0.35–0.6 of its own heights a second, never below the rule's stopped speed) and
    /// rolls over the line while a pedestrian walks in its lane.
    /// </summary>
    private void CreepsThrough(SceneLane outer, SceneLane inner, double tc, double walk)
    {
        var lane = Pick(outer, inner);
        var p = Crossing(UAt(lane, 0.3 + (0.2 * _random.NextDouble())), walk * 0.7, tc);
        var (sMin, _) = _paths.Range(lane.Id);
        var sStop = StopS(lane);
        var creep = SPerSecond(lane, sStop, 0.35 + (0.25 * _random.NextDouble()));
        var creeping = 1.5 + (0.5 * _random.NextDouble());
        var brake = 1.0;
        var cruise = Math.Max(creep * 3, (sStop - sMin) * 0.9 / tc);
        AddVehicle(lane, t => Motion.Creep(t, sStop, tc, cruise, creep, creeping, brake), violates: true, [p.Id]);
    }

    /// <summary>A vehicle stops before the line for 1.4–2 s, then goes while the pedestrian crossing in front of it is still in its lane.</summary>
    private void StopsThenGoes(SceneLane outer, SceneLane inner, double walk)
    {
        var lane = Pick(outer, inner);
        var arrive = (2.0 + (0.4 * _random.NextDouble())) * _k;
        var go = arrive + 1.4 + (0.6 * _random.NextDouble());
        var s = StopAndGo(lane, arrive, go);
        var sStop = StopS(lane);
        var crosses = go;
        while (s(crosses) < sStop && crosses < _options.Seconds * 2)
        {
            crosses += 0.01;
        }

        var p = Crossing(UAt(lane, 0.35 + (0.25 * _random.NextDouble())), walk * 0.7, crosses);
        AddVehicle(lane, s, violates: true, [p.Id]);
    }

    // ---- helpers of the harder kinds ----

    /// <summary>How far behind the first a group's members walk, at most (u on the crosswalk).</summary>
    private const double GroupSpread = 0.24;

    /// <summary>Where a crossing pedestrian waits on the kerb (u on the crosswalk).</summary>
    private const double Kerb = -0.12;

    /// <summary>
    /// The u at a share across the lane where the crosswalk at this depth crosses it (0 = its side nearer the
    /// sidewalk); the lanes slant, so their place on the crosswalk changes with the depth.
    /// </summary>
    private double UIn(SceneLane lane, double share, double depth)
    {
        var (from, to) = _paths.LaneSpan(lane, depth);
        return from + ((to - from) * share);
    }

    /// <summary>A pedestrian's depth on the crosswalk (0 its first edge, 1 the other).</summary>
    private double Depth() => 0.35 + (0.3 * _random.NextDouble());

    /// <summary>A pedestrian with a random cut-out following the path.</summary>
    private Actor Pedestrian(Func<double, Point2?> path, double? scale = null)
    {
        var actor = new Actor
        {
            Id = _actors.Count + 1,
            Class = ObjectClass.Pedestrian,
            Cutout = PickCutout(_assets.Persons),
            Scale = scale ?? 1.0 + (0.15 * _random.NextDouble()),
            Flip = _random.NextDouble() < 0.5,
            Path = path,
        };
        _actors.Add(actor);
        return actor;
    }

    /// <summary>3–8 pedestrians, each crossing at (u at time, speed, time) from <paramref name="place"/> at its own depth.</summary>
    private List<Actor> Group(Func<int, (double U, double Speed, double At)> place)
    {
        var count = 3 + _random.Next(6);
        var group = new List<Actor>();
        for (var i = 0; i < count; i++)
        {
            var (u, speed, at) = place(i);
            var depth = 0.2 + (0.6 * _random.NextDouble());
            var start = Kerb - (0.05 * _random.NextDouble());
            group.Add(Pedestrian(t =>
            {
                var now = Math.Max(start, u + (speed * (t - at)));
                return now > 1.1 ? null : _paths.OnCrosswalk(now, depth);
            }));
        }

        return group;
    }

    /// <summary>
    /// A pedestrian coming from the far side of the road (u falling at <paramref name="walk"/>) who stops at
    /// <paramref name="target"/> at <paramref name="arrive"/>; null while still beyond the picture's side.
    /// </summary>
    private Point2? FromFarSide(double target, double walk, double arrive, double t, double depth)
    {
        var u = t >= arrive ? target : target + (walk * (arrive - t));
        return u > 1.1 ? null : _paths.OnCrosswalk(u, depth);
    }

    /// <summary>The centre line's lateral place (or the lane's far edge on a road without one).</summary>
    private double Centre(SceneLane lane) => _paths.Model.Center ?? lane.LateralMax;

    /// <summary>Where the centre line runs across the crosswalk at this depth (lateral; the rule takes its mean over the crosswalk).</summary>
    private double CentreAt(double depth) => _paths.Model.Lateral(_paths.OnCrosswalk(_paths.UOnCentreLine(depth), depth));

    /// <summary>
    /// The lateral place where the refuge ends at this depth on the given side (+1/−1 across the road) of the centre
    /// line; the centre line itself when there is no refuge.
    /// </summary>
    private double RefugeEdge(double depth, int side)
    {
        var centre = _paths.UOnCentreLine(depth);
        var step = Math.Sign(_paths.Model.Lateral(_paths.OnCrosswalk(centre + 0.01, depth)) - _paths.Model.Lateral(_paths.OnCrosswalk(centre, depth))) * side * 0.001;
        var u = centre;
        while (_paths.Model.OnRefuge(_paths.OnCrosswalk(u, depth)) && Math.Abs(u - centre) < 0.5)
        {
            u += step;
        }

        return _paths.Model.Lateral(_paths.OnCrosswalk(u, depth));
    }

    /// <summary>The narrowest motor lane's width across the crosswalk: offsets in "lanes" that hold for every lane.</summary>
    private double LaneUnit => _paths.Model.Lanes.Where(l => l.Kind == LaneKind.Motor).Min(l => l.Width);

    /// <summary>+1 or −1: the way across the road from the centre line into this lane's half.</summary>
    private int TowardsHalf(SceneLane lane) => Math.Sign(lane.LateralCenter - Centre(lane)) is var s and not 0 ? s : 1;

    /// <summary>Motor lanes of the other half of the road (going away from the camera), the one beside the centre line first.</summary>
    private List<SceneLane> FarLanes()
    {
        var model = _paths.Model;
        var near = NearLanes()[0].Half;
        var lanes = model.Lanes.Where(l => l.Kind == LaneKind.Motor && l.Half != near).OrderBy(l => Math.Abs(l.LateralCenter - Centre(l))).ToList();
        if (lanes.Count < 2)
        {
            throw new ScenarioException("the generated scene needs two motor lanes on the far half of the road for the traffic going away");
        }

        return lanes;
    }

    /// <summary>
    /// A vehicle going away from the camera that crosses its stop line at tc without stopping, slowed for the
    /// crosswalk. It comes in from the picture's corner, so its speed is not fitted to the lane's length but taken
    /// from a near-lane vehicle's (the same of its own heights a second at the line, times 0.55–0.75). Only the lane
    /// beside the centre line is used: the outer one's stop line is outside this camera's picture, so a vehicle there
    /// is past its line when it comes into view and cannot be judged.
    /// </summary>
    private void PassingAway(SceneLane lane, double tc, bool violates, IReadOnlyList<int> against)
    {
        var near = NearLanes()[0];
        var (sMin, _) = _paths.Range(near.Id);
        var nearStop = StopS(near);
        var heights = HeightsPerSecond(near, nearStop, (nearStop - sMin) * (0.85 + (0.1 * _random.NextDouble())) / tc) * (0.55 + (0.2 * _random.NextDouble()));
        var sStop = StopS(lane);
        var speed = SPerSecond(lane, sStop, heights);
        AddVehicle(lane, t => Motion.Constant(t, sStop, tc, speed), violates, against);
    }

    /// <summary>Lane speed (s a second) at which a car at s moves this many of its own box heights a second, in pixels both ways.</summary>
    private double SPerSecond(SceneLane lane, double s, double heightsPerSecond) => heightsPerSecond / HeightsPerSecond(lane, s, 1.0);

    /// <summary>How many of its own box heights a second a car at s moves at this lane speed (pixel distances, as a camera measures).</summary>
    private double HeightsPerSecond(SceneLane lane, double s, double sPerSecond)
    {
        var a = _paths.OnLane(lane.Id, s);
        var b = _paths.OnLane(lane.Id, s + 0.01);
        var pixels = Math.Sqrt(Math.Pow((b.X - a.X) * Width, 2) + Math.Pow((b.Y - a.Y) * Height, 2)) / 0.01;
        var height = _assets.CarSize.HeightAt(Math.Min(a.Y, 1.0)) * Height;
        return sPerSecond * pixels / height;
    }

    /// <summary>u a second for a pedestrian at this depth moving this many of their own box heights a second (pixels).</summary>
    private double UPerSecond(double depth, double scale, double heightsPerSecond)
    {
        var a = _paths.OnCrosswalk(0.4, depth);
        var b = _paths.OnCrosswalk(0.5, depth);
        var pixels = Math.Sqrt(Math.Pow((b.X - a.X) * Width, 2) + Math.Pow((b.Y - a.Y) * Height, 2)) / 0.1;
        var height = _assets.PersonSize.HeightAt(Math.Min(a.Y, 1.0)) * scale * Height;
        return heightsPerSecond * height / pixels;
    }
}
