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

    /// <summary>
    /// The turning vehicle and the pedestrian of generated clip 000-turning-pedestrian-in-lane-s5000 (truth boxes, 5 fps):
    /// near the camera the vehicle is 0.4 wide, and its box is cut by the picture's right edge all the way onto the
    /// crosswalk, so the box's centre drifts right while the vehicle turns up and left into A1.
    /// </summary>
    private static readonly (float[] Vehicle, float[]? Pedestrian)[] CutByTheEdge =
    [
        ([0.63281f, 0.73333f, 1f, 1f], [0.66354f, 0.57685f, 0.71458f, 0.75926f]),
        ([0.64479f, 0.71944f, 1f, 1f], [0.67552f, 0.57593f, 0.72656f, 0.75741f]),
        ([0.65677f, 0.70648f, 1f, 1f], [0.68802f, 0.57407f, 0.73906f, 0.75463f]),
        ([0.67135f, 0.6963f, 1f, 0.99352f], [0.7f, 0.57315f, 0.75052f, 0.75278f]),
        ([0.6875f, 0.68796f, 1f, 0.9787f], [0.7125f, 0.57222f, 0.76302f, 0.75185f]),
        ([0.70312f, 0.67963f, 1f, 0.96481f], [0.725f, 0.57037f, 0.775f, 0.74907f]),
        ([0.71927f, 0.67222f, 1f, 0.95185f], [0.73698f, 0.56852f, 0.78698f, 0.7463f]),
        ([0.73542f, 0.66481f, 1f, 0.93796f], [0.74948f, 0.56759f, 0.79948f, 0.74444f]),
        ([0.75052f, 0.65556f, 1f, 0.92222f], [0.76146f, 0.56667f, 0.81094f, 0.74259f]),
        ([0.76458f, 0.64722f, 1f, 0.90741f], [0.77396f, 0.56574f, 0.82344f, 0.74167f]),
        ([0.77812f, 0.63796f, 1f, 0.89167f], [0.78646f, 0.56389f, 0.83542f, 0.73889f]),
        ([0.78958f, 0.62778f, 1f, 0.87407f], [0.79844f, 0.56296f, 0.8474f, 0.73704f]),
        ([0.79792f, 0.61759f, 1f, 0.85648f], [0.81094f, 0.56204f, 0.8599f, 0.73519f]),
        ([0.80104f, 0.60741f, 1f, 0.83796f], [0.82292f, 0.56111f, 0.87135f, 0.73426f]),
        ([0.7974f, 0.59815f, 1f, 0.82222f], [0.83542f, 0.55926f, 0.88385f, 0.73148f]),
        ([0.78802f, 0.59074f, 1f, 0.80926f], [0.84792f, 0.55833f, 0.89583f, 0.72963f]),
        ([0.77656f, 0.58426f, 1f, 0.79815f], [0.8599f, 0.55741f, 0.90781f, 0.72778f]),
        ([0.76354f, 0.57963f, 1f, 0.78981f], [0.8724f, 0.55556f, 0.92031f, 0.725f]),
        ([0.75052f, 0.57407f, 1f, 0.78056f], [0.88438f, 0.5537f, 0.93177f, 0.72315f]),
        ([0.73698f, 0.56852f, 1f, 0.7713f], [0.89688f, 0.55278f, 0.94427f, 0.7213f]),
        ([0.72396f, 0.56296f, 1f, 0.76111f], [0.90938f, 0.55185f, 0.95677f, 0.71944f]),
        ([0.71094f, 0.55833f, 0.98542f, 0.75278f], [0.92135f, 0.55093f, 0.96823f, 0.71759f]),
        ([0.6974f, 0.55278f, 0.96667f, 0.74352f], [0.93385f, 0.54907f, 0.98073f, 0.71481f]),
        ([0.68438f, 0.54815f, 0.94844f, 0.73519f], [0.94583f, 0.54815f, 0.99219f, 0.71389f]),
        ([0.67083f, 0.54259f, 0.92917f, 0.72593f], [0.95833f, 0.54722f, 1f, 0.71204f]),
        ([0.65781f, 0.53796f, 0.91094f, 0.71759f], [0.97083f, 0.5463f, 1f, 0.71019f]),
        ([0.64479f, 0.53241f, 0.89219f, 0.70741f], [0.98281f, 0.54444f, 1f, 0.70741f]),
        ([0.63177f, 0.52778f, 0.87396f, 0.69907f], null),
        ([0.61875f, 0.52222f, 0.85573f, 0.68981f], null),
        ([0.60521f, 0.51759f, 0.83646f, 0.68148f], null),
        ([0.59219f, 0.51204f, 0.81823f, 0.67222f], null),
    ];

    [Fact]
    public void Turning_VehicleBoxCutByThePicturesEdge_IsJudgedThoughItsCentreDriftsAgainstTheLane()
    {
        var rule = new YieldRule("gen", Paths.Model, new YieldRuleSettings());
        var start = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var candidates = new List<ViolationCandidate>();
        for (var n = 0; n < CutByTheEdge.Length; n++)
        {
            var (v, p) = CutByTheEdge[n];
            var box = new Box(v[0], v[1], v[2], v[3]);
            var before = n > 0 ? CutByTheEdge[n - 1].Vehicle : v;
            var tracks = new List<TrackedObject>
            {
                new(1, ObjectClass.MotorVehicle, box, 0.9f, (((v[0] + v[2]) - (before[0] + before[2])) / 2) * 5, (v[3] - before[3]) * 5, n + 1, start),
            };
            if (p is not null)
            {
                tracks.Add(new(2, ObjectClass.Pedestrian, new Box(p[0], p[1], p[2], p[3]), 0.9f, 0.06f, 0, n + 1, start));
            }

            candidates.AddRange(rule.Update(new TrackFrame("gen", n + 1, start.AddSeconds(n * 0.2), tracks, p is null ? [2] : []) { Aspect = 16f / 9 }));
        }

        candidates.AddRange(rule.Flush());

        var candidate = Assert.Single(candidates);
        Assert.Equal(("A1", new TurnMovement(Movement, TurnDirection.Left)), (candidate.Lane, candidate.Movement));
    }

    [Fact]
    public void TurningScene_IsTheGeneratedSceneWithAMovement_AndA1EndingAtItsStopLine()
    {
        var generated = SceneLoader.Load(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated_generated.yaml"));
        var turning = Paths.Model.Definition;
        static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);

        Assert.Equal(Json(generated.Crosswalk), Json(turning.Crosswalk));
        Assert.Equal(Json(generated.CenterLine!), Json(turning.CenterLine!));
        Assert.Equal(Json(generated.Refuges), Json(turning.Refuges));
        Assert.Equal(Json(generated.Sidewalks), Json(turning.Sidewalks));
        Assert.Equal(Json(generated.Signals), Json(turning.Signals));
        Assert.Equal(
            Json(generated.Approaches.SelectMany(a => a.Lanes).Where(l => l.Id != "A1")),
            Json(turning.Approaches.SelectMany(a => a.Lanes).Where(l => l.Id != "A1")));
        Assert.Empty(generated.Movements);
        Assert.Equal(Movement, Assert.Single(turning.Movements).Name);
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
