using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Scenarios;

namespace CrosswalkWatch.UnitTests.Scene;

/// <summary>The turning scene's movement (samples/scenes/rox_crosswalk_elevated_turning.yaml) and the path <see cref="ScenePaths.Turning"/> gives for it.</summary>
public class ScenePathsTests
{
    private const string Movement = "left turn from the junction";

    private static readonly ScenePaths Paths = new(SceneLoader.Load(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated_turning.yaml")));

    [Fact]
    public void Turning_IntoA1_StartsInTheEntryRegionAndCrossesTheCrosswalkInsideTheLane()
    {
        var movement = Paths.Model.Movements.Single(m => m.Name == Movement);
        var a1 = Paths.Lane("A1");
        var points = Enumerable.Range(-20, 161).Select(i => Paths.Turning(Movement, "A1", i / 100.0)).ToList(); // k from -0.2 to 1.4

        Assert.True(Geometry.Contains(movement.Entry, Paths.Turning(Movement, "A1", 0)), "k = 0: the entry region's centroid");
        Assert.Null(Paths.Model.LaneAt(points[0])); // on its way in from below, outside every lane
        var onCrosswalk = points.Where(Paths.Model.OnCrosswalk).ToList();
        Assert.True(onCrosswalk.Count > 20, $"the path crosses the crosswalk ({onCrosswalk.Count} of {points.Count} points on it)");
        Assert.All(onCrosswalk, p => Assert.True(Geometry.Contains(a1.Polygon, p), $"{p} on the crosswalk is inside lane A1"));
        var first = points.FindIndex(Paths.Model.OnCrosswalk);
        var last = points.FindLastIndex(Paths.Model.OnCrosswalk);
        Assert.True(points.Skip(first).Take(last - first + 1).All(Paths.Model.OnCrosswalk), "it crosses once, without leaving and coming back");
        Assert.InRange(last, 110, 125); // it leaves the crosswalk at k = 1 (index 120)
        Assert.False(Paths.Model.OnCrosswalk(points[^1]), "it drives on beyond the crosswalk");

        // A steady rate of k is a steady speed, with no jump where the curve meets the lane.
        var steps = points.Zip(points.Skip(1), (p, q) => (q - p).Length).ToList();
        Assert.InRange(steps.Max() / steps.Min(), 1.0, 1.25);
    }

    [Fact]
    public void Turning_VehicleOnThePathPastAPedestrianInA1_IsACandidateNamingTheMovement()
    {
        // A vehicle box whose bottom centre follows the path at 0.2 of it per second (5 fps), a pedestrian standing in A1 on the crosswalk.
        var rule = new YieldRule("gen", Paths.Model, new YieldRuleSettings());
        var start = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var pedestrian = Paths.OnCrosswalk(Paths.UAtLateral(Paths.Lane("A1").LateralCenter, 0.5), 0.5);
        var candidates = new List<ViolationCandidate>();
        for (var n = 0; n <= 40; n++)
        {
            var k = -0.2 + (n * 0.04);
            var p = Paths.Turning(Movement, "A1", k);
            var v = (Paths.Turning(Movement, "A1", k + 0.04) - p) * 5;
            TrackedObject[] tracks =
            [
                new(1, ObjectClass.MotorVehicle, new Box((float)(p.X - 0.06), (float)(p.Y - 0.1), (float)(p.X + 0.06), (float)p.Y), 0.9f, (float)v.X, (float)v.Y, n + 1, start),
                new(2, ObjectClass.Pedestrian, new Box((float)(pedestrian.X - 0.01), (float)(pedestrian.Y - 0.06), (float)(pedestrian.X + 0.01), (float)pedestrian.Y), 0.9f, 0, 0, n + 1, start),
            ];
            candidates.AddRange(rule.Update(new TrackFrame("gen", n + 1, start.AddSeconds(n * 0.2), tracks, [])));
        }

        candidates.AddRange(rule.Flush());

        var candidate = Assert.Single(candidates);
        Assert.Equal(("A1", "away from the camera", new TurnMovement(Movement, TurnDirection.Left)), (candidate.Lane, candidate.Approach, candidate.Movement));
        Assert.Equal(ConflictKind.VehicleLane, Assert.Single(candidate.Pedestrians).Where);
    }

    [Theory]
    [InlineData("right turn from nowhere", "A1", "has no movement 'right turn from nowhere'")]
    [InlineData(Movement, "T1", "does not leave in lane T1")]
    public void Turning_UnknownMovementOrLane_SaysWhatTheSceneHas(string movement, string lane, string message)
    {
        var error = Assert.Throws<ScenarioException>(() => Paths.Turning(movement, lane, 0.5));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
