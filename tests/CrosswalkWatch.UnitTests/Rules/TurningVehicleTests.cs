using System.Text.Json;
using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;
using static CrosswalkWatch.Testing.Script;

namespace CrosswalkWatch.UnitTests.Rules;

/// <summary>
/// Turning vehicles (DOMAIN.md): on the scripted road with the junction of <see cref="ScriptedScene.Movements"/>, a
/// vehicle from a side road reaches the crosswalk from the side, past the northbound stop line, and is judged in the
/// northbound lane it crosses in. The right turn from the east leaves its entry region at t ≈ 0.9 s, enters the
/// crosswalk in N1 at t ≈ 2.4 s and has left it at t ≈ 3.4 s.
/// </summary>
public class TurningVehicleTests
{
    private const string RightTurn = "right turn from the east side road";
    private const string LeftTurn = "left turn from the west side road";

    private static readonly SceneModel Junction = ScriptedScene.Model(extra: ScriptedScene.Movements);

    /// <summary>From the east side road, across the southbound carriageway below the crosswalk, into N1 and away north.</summary>
    private static ScriptedObject TurnsRight(int id) =>
        Car(id, (0, 0.88, 0.80), (1.0, 0.70, 0.80), (2.0, 0.47, 0.74), (3.0, 0.45, 0.60), (4.0, 0.45, 0.40), (5.0, 0.45, 0.20));

    /// <summary>From the west side road into N2 and away north.</summary>
    private static ScriptedObject TurnsLeft(int id) =>
        Car(id, (0, 0.12, 0.80), (1.0, 0.27, 0.80), (2.0, 0.35, 0.74), (3.0, 0.35, 0.60), (4.0, 0.35, 0.40), (5.0, 0.35, 0.20));

    private static List<ViolationCandidate> Run(SceneModel scene, double seconds = 6, params ScriptedObject[] objects) =>
        Candidates(scene, new YieldRuleSettings(), seconds, objects);

    public static TheoryData<string, ScriptedObject[], string[]> Scenarios => new()
    {
        { "empty road", [], [] },
        { "right turn alone", [TurnsRight(1)], [] },
        { "right turn, pedestrian in the lane it crosses", [TurnsRight(1), Walker(2, (0, 0.45, 0.6), (6, 0.44, 0.6))], [RightTurn] },
        { "right turn, pedestrian walking across its lane", [TurnsRight(1), Walker(2, (0, 0.30, 0.6), (6, 0.52, 0.6))], [RightTurn] },
        { "right turn, pedestrian on the far half walking away", [TurnsRight(1), Walker(2, (0, 0.55, 0.6), (6, 0.68, 0.6))], [] },
        { "right turn, pedestrian beside the crosswalk, not on it", [TurnsRight(1), Walker(2, (0, 0.45, 0.45), (6, 0.44, 0.45))], [] },
        { "left turn, pedestrian in the lane it crosses", [TurnsLeft(1), Walker(2, (0, 0.35, 0.6), (6, 0.36, 0.6))], [LeftTurn] },
        { "left turn, pedestrian on the far half walking away", [TurnsLeft(1), Walker(2, (0, 0.55, 0.6), (6, 0.68, 0.6))], [] },
        { "right turn stops at the crosswalk's edge and waits until the pedestrian has crossed", [
            Car(1, (0, 0.88, 0.80), (1.0, 0.70, 0.80), (2.0, 0.45, 0.72), (5.0, 0.45, 0.72), (6.0, 0.45, 0.55), (7.0, 0.45, 0.35)),
            Walker(2, (0, 0.28, 0.6), (4.0, 0.72, 0.6))], [] },
        { "right turn that does not wait for the same pedestrian", [
            Car(1, (0, 0.88, 0.80), (1.0, 0.70, 0.80), (1.6, 0.45, 0.72), (2.6, 0.45, 0.55), (3.6, 0.45, 0.35)),
            Walker(2, (0, 0.28, 0.6), (4.0, 0.72, 0.6))], [RightTurn] },
        { "first seen past the southbound line, then through the east entry region", [
            Car(1, (0, 0.66, 0.98), (0.8, 0.80, 0.85), (1.8, 0.70, 0.80), (2.8, 0.47, 0.74), (3.8, 0.45, 0.60), (5.0, 0.45, 0.35)),
            Walker(2, (0, 0.45, 0.6), (6, 0.44, 0.6))], [RightTurn] },
        { "first seen past the southbound line, outside every entry region, driving on: judged straight from the crosswalk", [
            Car(1, (0, 0.55, 0.52), (3.0, 0.55, 0.95)), Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61))], [""] },
        { "first seen past the northbound line, outside every entry region, driving on: judged straight from the crosswalk", [
            Car(1, (0, 0.45, 0.69), (3.0, 0.45, 0.20)), Walker(2, (0, 0.45, 0.6), (6, 0.44, 0.6))], [""] },
        { "first seen past the southbound line, outside every entry region, standing", [
            Car(1, (0, 0.55, 0.52), (8.0, 0.55, 0.52)), Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61))], [] },
        { "straight northbound car in N2 beside a later right turn into N1, pedestrian in N1", [
            Car(1, (0, 0.35, 0.95), (4, 0.35, 0.35)), Walker(2, (0, 0.45, 0.6), (6, 0.44, 0.6)), TurnsRight(3) with { Path = [.. TurnsRight(3).Path.Select(p => (p.T + 2.5, p.X, p.Y))] }],
            ["", RightTurn] },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Update_TurningScenario_GivesTheExpectedCandidatesNamingTheirMovement(string scenario, ScriptedObject[] objects, string[] expected)
    {
        var candidates = Run(Junction, seconds: 8, objects);

        var movements = candidates.Select(c => c.Movement?.Name ?? "").Order(StringComparer.Ordinal).ToArray();
        Assert.True(expected.SequenceEqual(movements), $"{scenario}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", movements)}]");
    }

    [Fact]
    public void Update_RightTurnWithPedestrianInItsLane_CandidateHasTheMovementLaneAndThreeMomentsInOrder()
    {
        var candidate = Assert.Single(Run(Junction, objects: [TurnsRight(7), Walker(3, (0, 0.45, 0.6), (6, 0.44, 0.6))]));

        Assert.Equal(("cam1", 7, "N1", "northbound"), (candidate.CameraId, candidate.VehicleTrackId, candidate.Lane, candidate.Approach));
        Assert.Equal(new TurnMovement(RightTurn, TurnDirection.Right), candidate.Movement);
        Assert.Equal("turning right into northbound (right turn from the east side road)", candidate.MovementText());
        Assert.True(candidate.BeforeLine.At < candidate.OnLine.At && candidate.OnLine.At < candidate.Leaving.At, "entry region, on the crosswalk, leaving: in that order");

        var entry = Junction.Movements[0].Entry;
        var (bx, by) = candidate.BeforeLine.VehicleBox.BottomCenter;
        Assert.True(Geometry.Contains(entry, new Point2(bx, by)), "photo 1: the vehicle is in the entry region");
        Assert.Equal(0.8, (candidate.BeforeLine.At - Start).TotalSeconds, 3); // the last frame in it
        var (ox, oy) = candidate.OnLine.VehicleBox.BottomCenter;
        Assert.True(Junction.OnCrosswalk(new Point2(ox, oy - 0.04)), "photo 2: the vehicle's footprint is on the crosswalk");
        Assert.Equal("N1", Junction.LaneAt(new Point2(ox, oy))?.Id);
        Assert.True(candidate.Leaving.VehicleBox.Y2 < 0.55f, "photo 3: the vehicle's footprint has left the crosswalk");
        var pedestrian = Assert.Single(candidate.Pedestrians);
        Assert.Equal((3, ConflictKind.VehicleLane), (pedestrian.TrackId, pedestrian.Where));
        Assert.False(candidate.StoppedBeforeLine);
    }

    [Fact]
    public void Update_TurningCandidate_NamesTheMovementInItsJson_AndAStraightOneWritesNone()
    {
        var candidate = Assert.Single(Run(Junction, objects: [TurnsLeft(1), Walker(2, (0, 0.35, 0.6), (6, 0.36, 0.6))]));
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

        var json = JsonSerializer.Serialize(candidate, options);

        Assert.Contains("\"movement\":{\"name\":\"left turn from the west side road\",\"turn\":\"left\"}", json, StringComparison.Ordinal);
        Assert.Equal(candidate.Movement, JsonSerializer.Deserialize<ViolationCandidate>(json, options)!.Movement);
        Assert.DoesNotContain("movement", JsonSerializer.Serialize(candidate with { Movement = null }, options), StringComparison.Ordinal); // straight through: as before
    }

    [Fact]
    public void Update_TurningVehicleRetiredOnTheCrosswalk_CompletesItsCandidateAndFreesItsState()
    {
        var rule = new YieldRule("cam1", Junction, new YieldRuleSettings());
        // Handed on two seconds after its moment on the line (a part of another vehicle judged by then would be dropped).
        var candidates = Frames(5, 5, Car(1, (0, 0.88, 0.80), (1.0, 0.70, 0.80), (2.0, 0.47, 0.74), (3.0, 0.45, 0.60)), Walker(2, (0, 0.45, 0.6), (4, 0.44, 0.6)))
            .SelectMany(rule.Update).ToList();

        Assert.Equal(RightTurn, Assert.Single(candidates).Movement?.Name);
        Assert.Equal(0, rule.TrackedStates);
    }

    /// <summary>Every straight-through scenario of <see cref="YieldRuleTests"/>, with and without movements in the scene.</summary>
    public static TheoryData<string, ScriptedObject[], string> StraightThrough()
    {
        var data = new TheoryData<string, ScriptedObject[], string>();
        foreach (var row in YieldRuleTests.Scenarios)
        {
            data.Add((string)row[0], (ScriptedObject[])row[1], "movements: []");
            data.Add((string)row[0], (ScriptedObject[])row[1], ScriptedScene.Movements);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StraightThrough))]
    public void Update_StraightThroughScenario_GivesTheSameCandidatesWithMovementsInTheScene(string scenario, ScriptedObject[] objects, string movements)
    {
        var without = Run(ScriptedScene.Model(), objects: objects);
        var with = Run(ScriptedScene.Model(extra: movements), objects: objects);

        Assert.True(JsonSerializer.Serialize(without) == JsonSerializer.Serialize(with), $"{scenario}: the candidates differ with `{movements.Split('\n')[0]}…` in the scene");
        Assert.All(with, c => Assert.Null(c.Movement));
    }
}
