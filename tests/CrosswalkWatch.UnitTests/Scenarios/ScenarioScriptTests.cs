using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Scenarios;

namespace CrosswalkWatch.UnitTests.Scenarios;

/// <summary>
/// The generator's scripts against the rule's definitions (DOMAIN.md): each kind's labelled positions, checked with
/// the scene model, put the pedestrians where the kind says, and a clip carries a violation exactly when its kind is
/// one. Ground truth only (no rendering): 8-second clips at 10 fps over a dozen seeds per kind.
/// </summary>
public sealed class ScenarioScriptTests : IDisposable
{
    private const int Fps = 10;

    private static readonly SceneModel Model = new(ScenarioPlans.Scene);
    private static readonly YieldRuleSettings Rule = new();
    private static readonly int[] Seeds = [.. Enumerable.Range(1, 12).Select(i => (i * 7919) + 13)];

    private readonly ScenarioPlans _plans = new();

    public static TheoryData<ScenarioKind> AllKinds() => [.. ScenarioGenerator.AllKinds];

    public void Dispose() => _plans.Dispose();

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Plan_EveryKind_LabelsOneViolationExactlyForViolationKinds(ScenarioKind kind)
    {
        foreach (var seed in Seeds)
        {
            var truth = _plans.Plan(kind, seed);
            var expected = ScenarioGenerator.IsViolation(kind) ? 1 : 0;
            Assert.True(expected == truth.Violations.Count, $"{kind} seed {seed}: {truth.Violations.Count} violation(s) labelled, expected {expected}");
            foreach (var violation in truth.Violations)
            {
                Assert.True(violation.ConflictFrames >= 3, $"{kind} seed {seed}: the pedestrians are in the vehicle's conflict zone for only {violation.ConflictFrames} frames around its passage");
                Assert.Contains(truth.Passages, p => p.VehicleId == violation.VehicleId);
            }
        }
    }

    [Fact]
    public void Plan_CrossedSeparationLine_PedestrianCameFromTheKerbIntoTheOuterMotorLane()
    {
        foreach (var seed in Seeds)
        {
            var (truth, passage, vehicleLane) = Judged(ScenarioKind.CrossedSeparationLine, seed);
            var pedestrian = Pedestrians(truth).Single();
            var start = Anchor(pedestrian, 0);
            var at = Anchor(pedestrian, passage.StartFrame);
            var outer = NearLanes().First();
            Assert.True(Model.LaneAt(start) is null || Model.OnSidewalk(start), $"seed {seed}: starts in lane {Model.LaneAt(start)?.Id}, not on the kerb");
            Assert.True(Model.LaneAt(at) == outer && Model.OnCrosswalk(at), $"seed {seed}: at the passage in {Model.LaneAt(at)?.Id}, not past the separation line in {outer.Id}");
            Assert.True(InZone(at, vehicleLane), $"seed {seed}: not in {vehicleLane.Id}'s conflict zone");
        }
    }

    [Fact]
    public void Plan_WaitingAtCentreLine_PedestrianStandsAtOrJustPastTheCentreLineOffTheRefuge()
    {
        foreach (var seed in Seeds)
        {
            var (truth, passage, vehicleLane) = Judged(ScenarioKind.WaitingAtCentreLine, seed);
            var pedestrian = Pedestrians(truth).Single();
            var first = Anchor(pedestrian, pedestrian.Track[0].Frame);
            Assert.True(Model.HalfOf(Model.Lateral(first)) != vehicleLane.Half, $"seed {seed}: does not come from the far side");
            for (var f = passage.StartFrame - (Fps / 2); f <= passage.StartFrame + Fps; f++)
            {
                var p = Anchor(pedestrian, f);
                var fromCentre = (Model.Lateral(p) - Model.Center!.Value) * vehicleLane.Half / vehicleLane.Width;
                Assert.True(!Model.OnRefuge(p) && fromCentre >= -Rule.CenterLineMarginLanes && fromCentre < 1.0, $"seed {seed} frame {f}: {fromCentre:0.00} lanes from the centre line towards the vehicle, refuge {Model.OnRefuge(p)}");
                Assert.Equal(Anchor(pedestrian, passage.StartFrame - (Fps / 2)), p); // waiting: still
            }
        }
    }

    [Fact]
    public void Plan_MedianRefuge_PedestrianIsOnTheRefugeThroughoutThePassage()
    {
        foreach (var seed in Seeds)
        {
            var (truth, passage, _) = Judged(ScenarioKind.MedianRefuge, seed);
            var pedestrian = Pedestrians(truth).Single();
            for (var f = passage.StartFrame - Fps; f <= passage.EndFrame; f++)
            {
                Assert.True(Model.OnRefuge(Anchor(pedestrian, f)), $"seed {seed} frame {f}: off the refuge during the passage");
            }
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(10)]
    public void Plan_TurnsBack_PedestrianWalksInTurnsInTheZoneBeforeThePassageAndIsOutOfTheRoadWithinTheTurnBackTime(double seconds)
    {
        foreach (var seed in Seeds)
        {
            var (truth, passage, vehicleLane) = Judged(ScenarioKind.TurnsBack, seed, seconds);
            var pedestrian = Pedestrians(truth).Single();
            var lateral = pedestrian.Track.Select(b => Model.Lateral(Anchor(b))).ToList();
            var intoRoad = Math.Sign(NearLanes().First().LateralCenter - lateral[0]);
            var turn = Enumerable.Range(0, lateral.Count).MaxBy(i => lateral[i] * intoRoad); // the furthest into the road
            var turnFrame = pedestrian.Track[turn].Frame;
            var walkingIn = Enumerable.Range(1, turn).Count(i => (lateral[i] - lateral[i - 1]) * intoRoad > 0);
            Assert.True(walkingIn >= 1.5 * Fps, $"seed {seed}: seen walking into the road for only {walkingIn} frames before turning back");
            Assert.InRange(passage.StartFrame - turnFrame, 0, (int)(Rule.TurnBackSeconds * Fps));
            Assert.True(InZone(Anchor(pedestrian, turnFrame), vehicleLane), $"seed {seed}: turned back outside the vehicle's conflict zone");
            var outBy = turnFrame + (int)((Rule.TurnBackSeconds - 0.3) * Fps);
            Assert.True(Model.LaneAt(Anchor(pedestrian, outBy)) is not { Kind: LaneKind.Motor } || Model.OnSidewalk(Anchor(pedestrian, outBy)), $"seed {seed}: still in the road {Rule.TurnBackSeconds - 0.3} s after turning back");
        }
    }

    [Fact]
    public void Plan_Runs_PedestrianRunsWellAboveTheRunningSpeedWhileInTheZone()
    {
        foreach (var seed in Seeds)
        {
            var (truth, passage, vehicleLane) = Judged(ScenarioKind.Runs, seed);
            var runner = Pedestrians(truth).Single();
            var inZone = runner.Track.Where(b => b.Frame > runner.Track[0].Frame && b.Frame < runner.Track[^1].Frame && InZone(Anchor(b), vehicleLane)).ToList();
            Assert.NotEmpty(inZone);
            foreach (var b in inZone)
            {
                Assert.True(HeightsPerSecond(runner, b.Frame) >= Rule.RunningSpeed * 1.15, $"seed {seed} frame {b.Frame}: {HeightsPerSecond(runner, b.Frame):0.00} of their heights a second");
            }

            Assert.Contains(inZone, b => Math.Abs(b.Frame - passage.StartFrame) <= Fps);
        }
    }

    [Theory]
    [InlineData(ScenarioKind.AwayPedestrianInLane)]
    [InlineData(ScenarioKind.AwayFarHalfWalkingAway)]
    public void Plan_AwayKinds_VehicleGoesAwayFromTheCameraAndIsSeenBeforeItsLine(ScenarioKind kind)
    {
        foreach (var seed in Seeds)
        {
            var (truth, passage, vehicleLane) = Judged(kind, seed);
            Assert.True(vehicleLane.Direction.Y < 0, $"seed {seed}: {vehicleLane.Id} does not go away from the camera");
            var vehicle = truth.Objects.Single(o => o.Id == passage.VehicleId);
            Assert.True(passage.StartFrame - vehicle.Track[0].Frame >= Fps / 2, $"seed {seed}: seen only {passage.StartFrame - vehicle.Track[0].Frame} frames before its passage");
            Assert.True(Model.LaneAt(Anchor(vehicle, passage.StartFrame - 3)) == vehicleLane, $"seed {seed}: not in {vehicleLane.Id} before the line");
            var pedestrian = Anchor(Pedestrians(truth).Single(), passage.StartFrame);
            if (kind == ScenarioKind.AwayPedestrianInLane)
            {
                Assert.True(Model.LaneAt(pedestrian) == vehicleLane && InZone(pedestrian, vehicleLane), $"seed {seed}: pedestrian not in {vehicleLane.Id}");
            }
            else
            {
                var fromCentre = (Model.Lateral(pedestrian) - Model.Center!.Value) * vehicleLane.Half / vehicleLane.Width;
                Assert.True(fromCentre < -Rule.CenterLineMarginLanes, $"seed {seed}: pedestrian {fromCentre:0.00} lanes from the centre line, not on the far half");
            }
        }
    }

    [Theory]
    [InlineData(ScenarioKind.GroupCrossing)]
    [InlineData(ScenarioKind.GroupStopsAndWaits)]
    public void Plan_Groups_ThreeToEightPedestriansOnTheVehiclesHalfExactlyWhenItIsAViolation(ScenarioKind kind)
    {
        foreach (var seed in Seeds)
        {
            var truth = _plans.Plan(kind, seed);
            var group = Pedestrians(truth).ToList();
            Assert.InRange(group.Count, 3, 8);
            var vehicle = truth.Objects.Single(o => o.Class == "vehicle");
            var lane = Model.Lanes.Single(l => l.Id == vehicle.Lane);
            var passage = truth.Passages.SingleOrDefault();
            var inZone = passage is null ? 0 : group.Count(p => At(p, passage.StartFrame) is { } b && InZone(Anchor(b), lane));
            if (kind == ScenarioKind.GroupCrossing)
            {
                Assert.True(inZone >= 1, $"seed {seed}: nobody of the group in the conflict zone as the vehicle crosses");
            }
            else
            {
                Assert.True(inZone == 0, $"seed {seed}: {inZone} of the group in the conflict zone as the vehicle crosses");
            }
        }
    }

    [Fact]
    public void Plan_CreepsThrough_VehicleNeverStopsAndCreepsOverTheLineWhileThePedestrianIsInItsLane()
    {
        foreach (var seed in Seeds)
        {
            var (truth, passage, vehicleLane) = Judged(ScenarioKind.CreepsThrough, seed);
            var vehicle = truth.Objects.Single(o => o.Id == passage.VehicleId);
            for (var f = vehicle.Track[0].Frame + 1; f < Math.Min(passage.EndFrame, vehicle.Track[^1].Frame); f++)
            {
                Assert.True(HeightsPerSecond(vehicle, f) >= 2 * Rule.StoppedSpeed, $"seed {seed} frame {f}: {HeightsPerSecond(vehicle, f):0.00} of its heights a second, as good as stopped");
            }

            Assert.InRange(HeightsPerSecond(vehicle, passage.StartFrame), 2 * Rule.StoppedSpeed, 0.8);
            Assert.True(Model.LaneAt(Anchor(Pedestrians(truth).Single(), passage.StartFrame)) == vehicleLane, $"seed {seed}: the pedestrian is not in {vehicleLane.Id}");
        }
    }

    [Fact]
    public void Plan_StopsThenGoes_VehicleStopsLongerThanTheStoppedTimeThenCrossesWhileThePedestrianIsInItsLane()
    {
        foreach (var seed in Seeds)
        {
            var (truth, passage, vehicleLane) = Judged(ScenarioKind.StopsThenGoes, seed);
            var vehicle = truth.Objects.Single(o => o.Id == passage.VehicleId);
            var still = Enumerable.Range(vehicle.Track[0].Frame + 1, passage.StartFrame - vehicle.Track[0].Frame - 1).Count(f => HeightsPerSecond(vehicle, f) < Rule.StoppedSpeed);
            Assert.True(still >= (Rule.StoppedSeconds + 0.3) * Fps, $"seed {seed}: still for only {still} frames before the line");
            Assert.True(Model.LaneAt(Anchor(Pedestrians(truth).Single(), passage.StartFrame)) == vehicleLane, $"seed {seed}: the pedestrian is not in {vehicleLane.Id}");
        }
    }

    [Theory]
    [InlineData(ScenarioKind.StopsAndWaits)]
    [InlineData(ScenarioKind.PedestrianInLane)]
    [InlineData(ScenarioKind.PedestrianInAdjacentLane)]
    [InlineData(ScenarioKind.FarHalfWalkingAway)]
    [InlineData(ScenarioKind.SidewalkWaiting)]
    [InlineData(ScenarioKind.TwoVehiclesOneFails)]
    [InlineData(ScenarioKind.ShortOcclusion)]
    public void Plan_FirstKinds_AreTheSameWithOrWithoutTheRefuge(ScenarioKind kind)
    {
        var bare = ScenarioPlans.Scene with { Refuges = [] };
        foreach (var seed in Seeds)
        {
            var with = _plans.Plan(kind, seed);
            var without = _plans.Plan(kind, seed, scene: bare);
            Assert.Equal(without.Violations.Select(v => (v.VehicleId, v.StartFrame, v.ConflictFrames)), with.Violations.Select(v => (v.VehicleId, v.StartFrame, v.ConflictFrames)));
        }
    }

    [Fact]
    public void Pick_KindsTimesConditionsClips_MeetsEveryPairOnceAndNeighboursDiffer()
    {
        var kinds = ScenarioGenerator.AllKinds;
        var conditions = ScenarioGenerator.AllConditions;
        var picks = Enumerable.Range(0, kinds.Count * conditions.Count).Select(i => ScenarioGenerator.Pick(i, kinds, conditions)).ToList();

        Assert.Equal(kinds.Count * conditions.Count, picks.Distinct().Count());
        Assert.All(Enumerable.Range(1, picks.Count - 1), i => Assert.NotEqual(picks[i - 1].Condition, picks[i].Condition));
        Assert.Equal((kinds[0], ScenarioCondition.Day), ScenarioGenerator.Pick(0, kinds, [ScenarioCondition.Day]));
    }

    [Fact]
    public void Plan_Occluder_HidesTheFirstPedestrianForAboutASecondBeforeTheLineAndKeepsThemLabelled()
    {
        foreach (var seed in Seeds)
        {
            var truth = _plans.Plan(ScenarioKind.PedestrianInLane, seed, ScenarioCondition.Occluder);
            var occluder = truth.Objects.Single(o => o.Role == "occluder");
            var pedestrian = truth.Objects.First(o => o.Class == "pedestrian");
            var passage = truth.Passages.Single();
            Assert.Null(occluder.Lane);
            var hidden = pedestrian.Track.Where(b => At(occluder, b.Frame) is { } o && Covered(b.ToBox(), o) >= 0.8).Select(b => b.Frame).ToList();
            Assert.InRange(hidden.Count, (int)(0.8 * Fps), (int)(2.0 * Fps));
            Assert.True(hidden.Max() < passage.StartFrame && hidden.Min() >= passage.StartFrame - (3 * Fps), $"seed {seed}: hidden in frames {hidden.Min()}–{hidden.Max()}, the passage starts at {passage.StartFrame}");
            Assert.Equal(_plans.Plan(ScenarioKind.PedestrianInLane, seed).Violations.Single().StartFrame, truth.Violations.Single().StartFrame);
        }
    }

    [Fact]
    public void Plan_Shake_MovesEveryBoxOfAFrameTogetherByAFewPixels()
    {
        var still = _plans.Plan(ScenarioKind.PedestrianInAdjacentLane, Seeds[0]);
        var shaken = _plans.Plan(ScenarioKind.PedestrianInAdjacentLane, Seeds[0], ScenarioCondition.Shake);
        var moves = new List<(int Frame, double Dx, double Dy)>();
        foreach (var (a, b) in still.Objects.Zip(shaken.Objects))
        {
            foreach (var (x, y) in a.Track.Zip(b.Track))
            {
                if (x.Box[0] > 0.01 && x.Box[2] < 0.99 && x.Box[1] > 0.01 && x.Box[3] < 0.99)
                {
                    moves.Add((x.Frame, (y.Box[0] - x.Box[0]) * 1920, (y.Box[1] - x.Box[1]) * 1080));
                }
            }
        }

        Assert.All(moves, m => Assert.InRange(Math.Max(Math.Abs(m.Dx), Math.Abs(m.Dy)), 0, ConditionEffects.MaxShakePixels + 0.1));
        Assert.True(moves.Count(m => Math.Abs(m.Dx) > 1 || Math.Abs(m.Dy) > 1) > moves.Count / 2, "the camera hardly moves");
        Assert.All(moves.GroupBy(m => m.Frame), g => Assert.Single(g.Select(m => (Math.Round(m.Dx), Math.Round(m.Dy))).Distinct()));
    }

    // ---- helpers ----

    /// <summary>The clip's one judged passage (the scripted vehicle's) and its lane.</summary>
    private (ClipTruth Truth, Passage Passage, SceneLane Lane) Judged(ScenarioKind kind, int seed, double seconds = 8)
    {
        var truth = _plans.Plan(kind, seed, seconds: seconds);
        var passage = Assert.Single(truth.Passages);
        return (truth, passage, Model.Lanes.Single(l => l.Id == passage.Lane));
    }

    private static IEnumerable<TruthObject> Pedestrians(ClipTruth truth) => truth.Objects.Where(o => o.Class == "pedestrian");

    private static List<SceneLane> NearLanes()
    {
        var kerb = Model.Lateral(new Point2(0.3, 0.8));
        return [.. Model.Lanes.Where(l => l.Kind == LaneKind.Motor && l.Half == Model.HalfOf(kerb)).OrderBy(l => Math.Abs(l.LateralCenter - kerb))];
    }

    private static Box? At(TruthObject o, int frame) => o.Track.FirstOrDefault(b => b.Frame == frame)?.ToBox();

    private static Point2 Anchor(TruthBox b) => Anchor(b.ToBox());

    private static Point2 Anchor(Box box) => new(box.BottomCenter.X, box.BottomCenter.Y);

    private static Point2 Anchor(TruthObject o, int frame) => Anchor(At(o, frame) ?? throw new InvalidOperationException($"object {o.Id} is not in frame {frame}"));

    /// <summary>In the lane's conflict zone by the rule's defaults: crosswalk, motor lane, off sidewalk and refuge, the vehicle's half or the centre-line margin beyond it.</summary>
    private static bool InZone(Point2 p, SceneLane lane)
    {
        if (!Model.OnCrosswalk(p) || Model.OnSidewalk(p) || Model.OnRefuge(p) || Model.LaneAt(p) is not { Kind: LaneKind.Motor })
        {
            return false;
        }

        var lateral = Model.Lateral(p);
        return Model.HalfOf(lateral) == lane.Half || Math.Abs(lateral - Model.Center!.Value) <= Rule.CenterLineMarginLanes * lane.Width;
    }

    /// <summary>Speed in the object's own box heights a second, measured in pixels (1920×1080) over the frames either side.</summary>
    private static double HeightsPerSecond(TruthObject o, int frame)
    {
        var a = At(o, frame - 1) ?? At(o, frame)!.Value;
        var b = At(o, frame + 1) ?? At(o, frame)!.Value;
        var (ax, ay) = a.BottomCenter;
        var (bx, by) = b.BottomCenter;
        var pixels = Math.Sqrt(Math.Pow((bx - ax) * 1920, 2) + Math.Pow((by - ay) * 1080, 2));
        return pixels / (2.0 / Fps) / (At(o, frame)!.Value.Height * 1080);
    }

    /// <summary>The share of <paramref name="inner"/>'s area inside <paramref name="outer"/>.</summary>
    private static double Covered(Box inner, Box outer)
    {
        var w = Math.Max(0, Math.Min(inner.X2, outer.X2) - Math.Max(inner.X1, outer.X1));
        var h = Math.Max(0, Math.Min(inner.Y2, outer.Y2) - Math.Max(inner.Y1, outer.Y1));
        return w * h / (inner.Width * inner.Height);
    }
}
