using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Violations;
using static CrosswalkWatch.Testing.Script;

namespace CrosswalkWatch.UnitTests.Rules;

/// <summary>
/// How vehicles really move at a crossing, beyond driving through at one speed: creeping on without ever stopping,
/// stopping and then going while the pedestrian is still in the lane, a group of pedestrians, a pedestrian who has
/// just stepped over the kerb into the vehicle's lane, in both directions (the scripted scene of
/// <see cref="YieldRuleTests"/>: S lanes southbound with the line at y 0.5, N lanes northbound with the line at y 0.7).
/// </summary>
public class YieldRuleTrafficTests
{
    /// <summary>A pedestrian crossing the southbound half from the east sidewalk, in S1 (x 0.5–0.6) from t ≈ 2.3 s to 4.8 s.</summary>
    private static readonly ScriptedObject AcrossSouthbound = Walker(2, (0, 0.69, 0.6), (6, 0.45, 0.6));

    public static TheoryData<string, ScriptedObject[], int> Traffic => new()
    {
        { "empty road", [], 0 },
        { "car creeps on at walking pace without ever stopping, pedestrian in its lane", [Car(1, (0, 0.55, 0.3), (1.0, 0.55, 0.46), (8, 0.55, 0.72)), AcrossSouthbound], 1 },
        { "car creeps up to the line and stops there until the pedestrian has crossed", [Car(1, (0, 0.55, 0.3), (1.0, 0.55, 0.44), (2.0, 0.55, 0.48), (6.5, 0.55, 0.48), (8, 0.55, 0.95)), AcrossSouthbound], 0 },
        { "car stops at the line, then goes while the pedestrian is still in its lane", [Car(1, (0, 0.55, 0.3), (1.0, 0.55, 0.48), (3.0, 0.55, 0.48), (5, 0.55, 0.95)), AcrossSouthbound], 1 },
        { "pedestrian has just stepped over the kerb into the car's lane (S2)", [Southbound(1, x: 0.65), Walker(2, (0, 0.76, 0.6), (1.0, 0.68, 0.6), (6, 0.68, 0.61))], 1 },
        { "pedestrian still on the kerb beside the car's lane", [Southbound(1, x: 0.65), Walker(2, (0, 0.76, 0.6), (6, 0.75, 0.61))], 0 },
        { "northbound car creeps on, pedestrian in its lane", [Car(1, (0, 0.45, 0.95), (1.0, 0.45, 0.8), (8, 0.45, 0.55)), Walker(2, (0, 0.31, 0.6), (6, 0.52, 0.6))], 1 },
        { "northbound car stops, then goes while the pedestrian is in its lane", [Car(1, (0, 0.45, 0.98), (1.0, 0.45, 0.72), (3.0, 0.45, 0.72), (5, 0.45, 0.3)), Walker(2, (0, 0.31, 0.6), (6, 0.55, 0.6))], 1 },
    };

    [Theory]
    [MemberData(nameof(Traffic))]
    public void Update_VehicleMovement_GivesTheExpectedCandidates(string scenario, ScriptedObject[] objects, int expected)
    {
        var candidates = Run(objects);
        Assert.True(expected == candidates.Count, $"{scenario}: expected {expected} candidate(s), got {candidates.Count}");
    }

    [Fact]
    public void Update_StopThenGoWithThePedestrianInTheLane_IsACandidateThatSaysItStoppedFirst()
    {
        var candidate = Assert.Single(Run([Car(1, (0, 0.55, 0.3), (1.0, 0.55, 0.48), (3.0, 0.55, 0.48), (5, 0.55, 0.95)), AcrossSouthbound]));

        Assert.True(candidate.StoppedBeforeLine, "the reviewer sees that the vehicle stopped before it went on");
        Assert.Equal(ConflictKind.VehicleLane, Assert.Single(candidate.Pedestrians).Where);
        Assert.True(candidate.OnLine.At > Start.AddSeconds(3), "judged when it went, not while it waited");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public void Update_GroupCrossingInFrontOfTheCar_OneCandidateNamingEveryPedestrianInTheZone(int size)
    {
        // A group walking across the southbound half side by side, spread over both S lanes: each one is a reason.
        var group = Enumerable.Range(0, size)
            .Select(i => Walker(10 + i, (0, 0.52 + (0.16 * i / (size - 1)), 0.57 + (0.06 * (i % 2))), (8, 0.51 + (0.16 * i / (size - 1)), 0.57 + (0.06 * (i % 2)))))
            .ToArray();

        var candidate = Assert.Single(Run([Southbound(1), .. group]));

        Assert.Equal(size, candidate.Pedestrians.Count);
        Assert.Equal(group.Select(g => g.Id).Order(), candidate.Pedestrians.Select(p => p.TrackId).Order());
    }

    [Fact]
    public void Update_GroupWithMinPedestriansAboveItsSize_IsNotACandidate()
    {
        var group = Enumerable.Range(0, 3).Select(i => Walker(10 + i, (0, 0.53 + (0.05 * i), 0.6), (8, 0.53 + (0.05 * i), 0.61))).ToArray();

        Assert.Single(Run([Southbound(1), .. group], new YieldRuleSettings { MinPedestrians = 3 }));
        Assert.Empty(Run([Southbound(1), .. group], new YieldRuleSettings { MinPedestrians = 4 }));
    }

    private static List<ViolationCandidate> Run(ScriptedObject[] objects, YieldRuleSettings? settings = null)
    {
        var rule = new YieldRule("cam1", ScriptedScene.Model(), settings ?? new YieldRuleSettings());
        var candidates = Frames(9, 5, objects).SelectMany(rule.Update).Concat(rule.Flush()).ToList();
        Assert.Equal(0, rule.TrackedStates);
        return candidates;
    }
}
