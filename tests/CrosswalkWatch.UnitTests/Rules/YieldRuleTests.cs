using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Violations;
using static CrosswalkWatch.Testing.Script;

namespace CrosswalkWatch.UnitTests.Rules;

/// <summary>
/// The yield decision on scripted tracks, scenario by scenario as police apply the rule (DOMAIN.md), in both
/// directions of travel and at the thresholds' edges. A southbound car in S1 passes the crosswalk (y 0.55–0.65)
/// between t ≈ 1.5 s and 2.5 s.
/// </summary>
public class YieldRuleTests
{
    private static List<ViolationCandidate> Run(YieldRuleSettings? settings = null, bool refuge = false, double seconds = 6, params ScriptedObject[] objects) =>
        Candidates(ScriptedScene.Model(refuge), settings ?? new YieldRuleSettings(), seconds, objects);

    public static TheoryData<string, ScriptedObject[], int> Scenarios => new()
    {
        { "empty road", [], 0 },
        { "car alone", [Southbound(1)], 0 },
        { "pedestrian in the car's lane, standing", [Southbound(1), Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61))], 1 },
        { "pedestrian in the car's lane, walking across", [Southbound(1), Walker(2, (0, 0.69, 0.6), (6, 0.45, 0.6))], 1 },
        { "pedestrian in the lane beside", [Southbound(1), Walker(2, (0, 0.66, 0.61), (6, 0.66, 0.6))], 1 },
        { "pedestrian on the far half walking away", [Southbound(1), Walker(2, (0, 0.44, 0.6), (6, 0.28, 0.6))], 0 },
        { "pedestrian on the far half walking towards, not yet at the centre", [Southbound(1), Walker(2, (0, 0.32, 0.6), (6, 0.40, 0.6))], 0 },
        { "pedestrian waiting at the centre line on the far side", [Southbound(1), Walker(2, (0, 0.48, 0.6), (6, 0.48, 0.6))], 1 },
        { "pedestrian at the centre line walking away", [Southbound(1), Walker(2, (0, 0.49, 0.6), (6, 0.40, 0.6))], 0 },
        { "pedestrian waiting on the sidewalk", [Southbound(1), Walker(2, (0, 0.75, 0.6), (6, 0.75, 0.6))], 0 },
        { "pedestrian beside the crosswalk, not on it", [Southbound(1), Walker(2, (0, 0.56, 0.80), (6, 0.58, 0.80))], 0 },
        { "pedestrian running across", [Southbound(1), Walker(2, (0, 0.72, 0.6), (1.0, 0.72, 0.6), (2.5, 0.28, 0.6), (6, 0.28, 0.6))], 0 },
        { "pedestrian who turned back", [Southbound(1), Walker(2, (0, 0.62, 0.6), (1.0, 0.57, 0.6), (6, 0.68, 0.6))], 0 },
        { "pedestrian who steps in after the car passed", [Southbound(1), Walker(2, (0, 0.75, 0.6), (2.4, 0.75, 0.6), (3.4, 0.56, 0.6), (6, 0.45, 0.6))], 0 },
        { "car stops and waits until the pedestrian has crossed", [
            Car(1, (0, 0.55, 0.3), (1.0, 0.55, 0.48), (4.5, 0.55, 0.48), (6, 0.55, 0.95)),
            Walker(2, (0, 0.69, 0.6), (4.0, 0.45, 0.6), (6, 0.32, 0.6))], 0 },
        { "northbound car, pedestrian in its lane", [Car(1, (0, 0.45, 0.95), (4, 0.45, 0.35)), Walker(2, (0, 0.45, 0.6), (6, 0.44, 0.6))], 1 },
        { "northbound car, pedestrian on the far (southbound) half walking away", [Car(1, (0, 0.45, 0.95), (4, 0.45, 0.35)), Walker(2, (0, 0.55, 0.6), (6, 0.68, 0.6))], 0 },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Update_Scenario_GivesTheExpectedCandidates(string scenario, ScriptedObject[] objects, int expected)
    {
        var candidates = Run(objects: objects);
        Assert.True(expected == candidates.Count, $"{scenario}: expected {expected} candidate(s), got {candidates.Count}");
    }

    [Fact]
    public void Update_PedestrianInLane_CandidateCarriesMomentsAndReasons()
    {
        var candidate = Assert.Single(Run(objects: [Southbound(7), Walker(3, (0, 0.56, 0.61), (6, 0.57, 0.61))]));

        Assert.Equal(("cam1", 7, "S1", "southbound"), (candidate.CameraId, candidate.VehicleTrackId, candidate.Lane, candidate.Approach));
        Assert.True(candidate.BeforeLine.At < candidate.OnLine.At && candidate.OnLine.At < candidate.Leaving.At);
        Assert.True(candidate.BeforeLine.VehicleBox.Y2 < 0.55f, "photo 1: the vehicle is before the line");
        Assert.True(candidate.Leaving.VehicleBox.Y1 + (candidate.Leaving.VehicleBox.Height / 2) > 0.65f, "photo 3: the vehicle's footprint has left the crosswalk");
        var pedestrian = Assert.Single(candidate.Pedestrians);
        Assert.Equal((3, ConflictKind.VehicleLane, 0.0), (pedestrian.TrackId, pedestrian.Where, pedestrian.LanesFromVehicleLane));
        Assert.InRange(candidate.VehicleSpeed, 1.5, 1.8); // 0.1625 units/s over a 0.1-high box
        Assert.False(candidate.StoppedBeforeLine);
    }

    [Fact]
    public void Update_TwoCarsSideBySide_OnlyTheOneThatDoesNotYieldIsACandidate()
    {
        var candidates = Run(objects:
        [
            Car(1, (0, 0.55, 0.3), (1.0, 0.55, 0.48), (5.5, 0.55, 0.48), (7, 0.55, 0.95)), // S1 stops at the line
            Southbound(2, x: 0.65),                                                        // S2 drives on
            Walker(3, (0, 0.58, 0.6), (5, 0.44, 0.6), (8, 0.30, 0.6)),                    // crossing S1, gone before S1 goes
        ], seconds: 8);

        var candidate = Assert.Single(candidates);
        Assert.Equal(("S2", 2, ConflictKind.AdjacentLane), (candidate.Lane, candidate.VehicleTrackId, candidate.Pedestrians[0].Where));
    }

    [Fact]
    public void Update_VehicleChangesLaneWhileApproaching_IsJudgedInTheLaneItCrossesIn()
    {
        // First seen at the S1/S2 boundary on the S1 side, it settles into S2 before the line; the pedestrian is in S2.
        var car = Car(1, (0, 0.595, 0.3), (1.0, 0.65, 0.45), (3, 0.65, 0.95));
        var walker = Walker(2, (0, 0.66, 0.61), (6, 0.66, 0.6));

        var candidate = Assert.Single(Run(objects: [car, walker]));

        Assert.Equal(("S2", ConflictKind.VehicleLane), (candidate.Lane, candidate.Pedestrians[0].Where));
    }

    [Fact]
    public void Update_PedestrianOnRefuge_DoesNotCount()
    {
        var walker = Walker(2, (0, 0.51, 0.6), (6, 0.51, 0.6)); // near half, but on the refuge
        Assert.Single(Run(objects: [Southbound(1), walker]));
        Assert.Empty(Run(refuge: true, objects: [Southbound(1), walker]));
    }

    [Theory]
    [InlineData(ConflictZoneKind.NearHalf, 0)]
    [InlineData(ConflictZoneKind.Lane, 1)] // the whole lane beside, across the centre line
    public void Update_PedestrianInTheFarLaneNextToTheCentre_DependsOnTheZoneModel(ConflictZoneKind zone, int expected)
    {
        var walker = Walker(2, (0, 0.42, 0.6), (6, 0.42, 0.61));
        Assert.Equal(expected, Run(new YieldRuleSettings { ConflictZone = zone }, objects: [Southbound(1), walker]).Count);
    }

    [Theory]
    [InlineData(ConflictZoneKind.NearHalf, 0.56, ConflictKind.VehicleLane)]
    [InlineData(ConflictZoneKind.NearHalf, 0.66, ConflictKind.AdjacentLane)]
    [InlineData(ConflictZoneKind.NearHalf, 0.48, ConflictKind.CentreLine)] // far half, waiting at the centre line
    [InlineData(ConflictZoneKind.Lane, 0.56, ConflictKind.VehicleLane)]
    [InlineData(ConflictZoneKind.Lane, 0.66, ConflictKind.AdjacentLane)]
    [InlineData(ConflictZoneKind.Lane, 0.42, ConflictKind.LaneMargin)] // the opposite lane, within the margin
    public void Update_WhereThePedestrianStands_IsTheReasonsKind(ConflictZoneKind zone, double x, ConflictKind expected)
    {
        var walker = Walker(2, (0, x, 0.6), (6, x, 0.61));
        var candidate = Assert.Single(Run(new YieldRuleSettings { ConflictZone = zone }, objects: [Southbound(1), walker]));
        Assert.Equal(expected, Assert.Single(candidate.Pedestrians).Where);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void Update_StandingPedestrian_CountsOnlyWhenTheSettingSaysSo(bool countStanding, int expected)
    {
        var standing = Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61));
        Assert.Equal(expected, Run(new YieldRuleSettings { CountStandingPedestrians = countStanding }, objects: [Southbound(1), standing]).Count);
    }

    [Theory]
    [InlineData(0.15, 1)] // present for 3 frames (0.4 s) before the car crosses: enough at the default
    [InlineData(0.6, 0)]  // …not when 0.6 s is required
    public void Update_BriefPresence_CountsFromMinConflictSeconds(double minSeconds, int expected)
    {
        // The walker steps into S1 at t = 1.5 s, as the car's footprint crosses the line (t ≈ 1.4–1.8 s), and is
        // gone (out of the picture) at 2.2 s.
        var walker = Walker(2, (1.5, 0.56, 0.6), (2.1, 0.57, 0.6));
        var settings = new YieldRuleSettings { MinConflictSeconds = minSeconds };
        Assert.Equal(expected, Run(settings, objects: [Southbound(1), walker]).Count);
    }

    [Theory]
    [InlineData(5, 1.85, 1)]  // two frames at 5 fps (1.6, 1.8 s: 0.2 s apart): counted
    [InlineData(10, 1.75, 0)] // the same presence at 10 fps is two frames 0.1 s apart (1.6, 1.7 s): a foot for a box's jitter
    [InlineData(10, 1.85, 1)] // three frames at 10 fps (1.6–1.8 s): counted, as two at 5 fps are
    public void Update_BriefPresence_IsTheSameTimeAtEveryDetectionRate(double fps, double gone, int expected)
    {
        // Seed 616699's median-refuge clip at 10 fps: a pedestrian on the refuge whose feet were in the near half for
        // two frames (a tenth of a second) was counted, where at 5 fps the same moment is one frame and is not.
        var walker = Walker(2, (1.55, 0.56, 0.6), (gone, 0.56, 0.6));
        var rule = new YieldRule("cam1", ScriptedScene.Model(), new YieldRuleSettings());
        var candidates = Frames(6, fps, Southbound(1), walker).SelectMany(rule.Update).Concat(rule.Flush()).ToList();

        Assert.Equal(expected, candidates.Count);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    public void Update_MinPedestrians_NeedsThatManyAtOnce(int minimum, int expected)
    {
        var walker = Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61));
        Assert.Equal(expected, Run(new YieldRuleSettings { MinPedestrians = minimum }, objects: [Southbound(1), walker]).Count);
    }

    [Theory]
    [InlineData(0.0, 0)] // a flip counted at once (the rule before turnBackHoldSeconds): excluded for two seconds
    [InlineData(0.4, 1)]
    public void Update_OneFrameFlipOfTheWalkingDirection_IsNotATurnBack(double hold, int expected)
    {
        // Walking across S1 towards the centre; at t = 1.2 s one box is off (a merged or cut box: the bottom centre
        // jumps back and the filter's velocity points the other way for that frame), then the walk goes on. The car
        // crosses the line at t ≈ 1.4–1.8 s while the walker is still in S1. (Seed 11's pedestrian-in-lane clip at
        // 10 fps: a merged box at 3.5 s flipped the direction and the real walk, read as turning back, excluded the
        // pedestrian for the whole passage.)
        var walker = Walker(2, (0, 0.59, 0.6), (1.1, 0.546, 0.6), (1.2, 0.556, 0.6), (1.3, 0.542, 0.6), (6, 0.354, 0.6));

        var candidates = Run(new YieldRuleSettings { TurnBackHoldSeconds = hold }, objects: [Southbound(1), walker]);

        Assert.Equal(expected, candidates.Count);
    }

    [Theory]
    [InlineData(1.0f, 1)]        // a square picture: 0.12 wide a second over a 0.06-high box is 2 heights a second, walking
    [InlineData(16f / 9f, 0)]    // 16:9: the same crossing is 3.6 heights a second in pixels, running
    public void Update_PedestrianCrossingSideways_SpeedIsMeasuredInPixels(float aspect, int expected)
    {
        // Across S2 and S1 from the kerb at 0.12 of the picture's width a second; in S1 as the car crosses. (Seed 301's
        // night runner at 10 fps: 3.5 of his heights a second in pixels read as 1.8, so he was counted.)
        var rule = new YieldRule("cam1", ScriptedScene.Model(), new YieldRuleSettings());
        var walker = Walker(2, (0, 0.72, 0.6), (4, 0.24, 0.6));

        var candidates = Frames(6, 5, Southbound(1), walker).Select(f => f with { Aspect = aspect }).SelectMany(rule.Update).Concat(rule.Flush()).ToList();

        Assert.Equal(expected, candidates.Count);
    }

    [Fact]
    public void Update_VelocityPointsBackAsTheCarCrossesButItDroveOn_IsJudged()
    {
        // The car's foot goes from 0.45 (before the line at 0.5) to 0.505 (a third of its footprint past it) but the
        // velocity reported in that frame points back (a new track's first estimate, one odd box). It drove on.
        var car = Car(1, (0, 0.55, 0.3), (1.0, 0.55, 0.45), (1.19, 0.55, 0.51), (1.2, 0.55, 0.505), (1.4, 0.55, 0.55), (4, 0.55, 0.95));

        Assert.Single(Run(objects: [car, Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61))]));
    }

    [Fact]
    public void Update_TurnBackNotYetHeldAsTheCarCrosses_IsNotCounted()
    {
        // In S1 walking towards the centre, then back to the kerb from t = 1.3 s: while the new direction has not
        // held 0.4 s the pedestrian is neither counted nor forgotten; once it has, they are excluded.
        var walker = Walker(2, (0, 0.59, 0.6), (1.3, 0.55, 0.6), (6, 0.75, 0.6));

        Assert.Empty(Run(objects: [Southbound(1), walker]));
    }

    [Fact]
    public void Update_TurnBackAcrossASplitTrack_IsExcluded()
    {
        // Seed 851979's turns-back clip in low contrast at 5 fps: the pedestrian walks into S2 from the east kerb and
        // is lost at 2.0 s as they turn (the tracker holds the track, unreported); 0.4 s later a new track starts where
        // they were, walking back to the kerb, as the car in S1 comes to its line. Taken for someone who had always
        // walked that way, they counted in the lane beside.
        var walker = Walker(2, (0, 0.74, 0.6), (2.0, 0.64, 0.6), (3.5, 0.64, 0.6));
        var back = Walker(3, (2.4, 0.645, 0.6), (6, 0.82, 0.6));
        var rule = new YieldRule("cam1", ScriptedScene.Model(), new YieldRuleSettings());
        var frames = Frames(6, 5, Southbound(1, from: 1.5), walker, back)
            .Select(f => f with { Tracks = [.. f.Tracks.Where(o => o.TrackId != 2 || f.CapturedAt <= Start.AddSeconds(2.0))] });

        Assert.Empty(frames.SelectMany(rule.Update).Concat(rule.Flush()));
        Assert.Single(Run(objects: [Southbound(1, from: 1.5), back])); // someone only ever seen walking that way counts
    }

    [Fact]
    public void Update_NewPedestrianBesideOneStillSeen_IsNotTakenForThem()
    {
        // Two people pass each other in S2 as the car in S1 comes: one walking out from the east kerb is boxed from
        // 2.4 s, right beside the other, who walks back to it and is seen in every frame (their state is only updated
        // after the newcomer's in the frame). The newcomer is someone else: not carried on as the other, not a turn.
        var back = Walker(2, (0, 0.60, 0.6), (6, 0.84, 0.6));
        var newcomer = Walker(3, (2.4, 0.70, 0.61), (6, 0.52, 0.61));
        var frames = Frames(6, 5, Southbound(1, from: 1.5), newcomer, back);

        var rule = new YieldRule("cam1", ScriptedScene.Model(), new YieldRuleSettings());
        Assert.Contains(frames.SelectMany(rule.Update).Concat(rule.Flush()), c => c.Pedestrians.Any(p => p.TrackId == 3));
    }

    public static TheoryData<string, ScriptedObject[], PassageOutcome, PedestrianVerdict?> Passages => new()
    {
        { "pedestrian in the car's lane", [Southbound(1), Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61))], PassageOutcome.Candidate, PedestrianVerdict.Counted },
        { "pedestrian who turned back as the car came to the line", [Southbound(1), Walker(2, (0, 0.62, 0.6), (1.0, 0.57, 0.6), (6, 0.68, 0.6))], PassageOutcome.Cleared, PedestrianVerdict.Turning },
        { "pedestrian who turned back earlier", [Southbound(1), Walker(2, (0, 0.62, 0.6), (0.6, 0.58, 0.6), (6, 0.75, 0.6))], PassageOutcome.Cleared, PedestrianVerdict.TurnedBack },
        { "pedestrian running across", [Southbound(1), Walker(2, (0, 0.72, 0.6), (1.0, 0.72, 0.6), (2.5, 0.28, 0.6), (6, 0.28, 0.6))], PassageOutcome.Cleared, PedestrianVerdict.Running },
        { "pedestrian on the far half walking away", [Southbound(1), Walker(2, (0, 0.44, 0.6), (6, 0.28, 0.6))], PassageOutcome.Cleared, PedestrianVerdict.OutsideTheZone },
        { "car first seen on the crosswalk, driving back up the road", [Car(1, (0, 0.55, 0.62), (2, 0.55, 0.2)), Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61))], PassageOutcome.FirstSeenPastTheLine, null },
        { "car first seen past its line, driving on", [Car(1, (0, 0.55, 0.53), (2, 0.55, 0.95)), Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61))], PassageOutcome.Candidate, PedestrianVerdict.Counted },
        { "empty crosswalk", [Southbound(1)], PassageOutcome.Cleared, null },
    };

    [Theory]
    [MemberData(nameof(Passages))]
    public void OnPassage_Scenario_ReportsTheOutcomeAndWhatThePedestrianWasToTheRule(string scenario, ScriptedObject[] objects, PassageOutcome outcome, PedestrianVerdict? verdict)
    {
        var rule = new YieldRule("cam1", ScriptedScene.Model(), new YieldRuleSettings());
        var passages = new List<YieldPassage>();
        rule.OnPassage = passages.Add;

        var candidates = Frames(6, 5, objects).SelectMany(rule.Update).Concat(rule.Flush()).ToList();

        var passage = Assert.Single(passages);
        Assert.True(outcome == passage.Outcome, $"{scenario}: {passage.Outcome}");
        Assert.Equal(outcome == PassageOutcome.Candidate ? 1 : 0, candidates.Count);
        Assert.Equal(verdict, passage.Pedestrians.SingleOrDefault()?.Verdict);
    }

    [Fact]
    public void Update_SameVehicleUnderTwoTrackIds_GivesOneCandidate()
    {
        // The tracker loses the car on the crosswalk and starts a new id a moment later at the same place: no second count.
        var first = Car(1, (0, 0.55, 0.3), (2.0, 0.55, 0.62));
        var second = Car(5, (2.2, 0.55, 0.44), (4, 0.55, 0.95));
        var walker = Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61));
        var rule = new YieldRule("cam1", ScriptedScene.Model(), new YieldRuleSettings());
        var candidates = Frames(6, 5, first, second, walker).SelectMany(rule.Update).Concat(rule.Flush()).ToList();

        Assert.Single(candidates);
        Assert.Equal(1, rule.Deduplicated);
    }

    [Fact]
    public void Update_ManyVehiclesAndPedestriansOverTime_StateIsFreedAsTracksRetire()
    {
        var rule = new YieldRule("cam1", ScriptedScene.Model(), new YieldRuleSettings());
        var objects = new List<ScriptedObject>();
        for (var i = 0; i < 200; i++)
        {
            objects.Add(Southbound(1000 + i, from: i * 3));
            objects.Add(Walker(5000 + i, (i * 3, 0.69, 0.6), ((i * 3) + 2, 0.31, 0.6)));
        }

        var peak = 0;
        var departedPeak = 0;
        foreach (var frame in Frames(600, 5, [.. objects]))
        {
            rule.Update(frame);
            peak = Math.Max(peak, rule.TrackedStates);
            departedPeak = Math.Max(departedPeak, rule.Departed);
        }

        Assert.InRange(peak, 2, 8);
        Assert.Equal(0, rule.TrackedStates);
        Assert.InRange(departedPeak, 1, 3); // a vehicle every 3 s, each kept 3 s after it retires
    }
}
