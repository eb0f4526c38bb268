using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.UnitTests.Scene;

public class SceneTests
{
    [Fact]
    public void Load_RoxSample_HasTwoOpposedLanesOnEitherSideOfTheCentre()
    {
        var definition = SceneLoader.Load(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml"));
        var model = new SceneModel(definition);

        Assert.Equal(["T1", "A1"], model.Lanes.Select(l => l.Id));
        Assert.NotNull(model.Center);
        Assert.NotEqual(model.Lanes[0].Half, model.Lanes[1].Half);
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "crosswalk: [[0.1, 0.5], [1.2, 0.5], [0.9, 0.6]]", "crosswalk[1]", "outside the image" },
        { "crosswalk: [[0.1, 0.5], [0.9, 0.5]]", "crosswalk", "at least 3 points" },
        { "crosswalk: [[0.2, 0.55], [0.8, 0.55], [0.5, 0.6], [0.8, 0.65], [0.2, 0.65]]", "crosswalk", "convex" },
        { "crosswalk: [[0.2, 0.55], [0.5, 0.55], [0.8, 0.55]]", "crosswalk", "no area" },
        { "crosswalk: [[0.2, 0.55], [0.8, 0.55], [0.8]]", "crosswalk[2]", "two numbers" },
        { "centerLine: [[0.9, 0.0], [0.95, 0.2]]", "centerLine", "does not cross the crosswalk" },
        { "stopLine: [[0.55, 0.3], [0.55, 0.5]]", "approaches[0].stopLine", "along the direction of travel" },
        { "id: N1", "approaches[1].lanes[0].id", "duplicate lane id 'N1'" },
        { "{ id: S1, polygon: [[0.5, 0.0], [0.6, 0.0], [0.6, 0.3], [0.5, 0.3]] }", "approaches[0].lanes[0].polygon", "does not reach the crosswalk" },
        { "sidewalks:", "sidewalk", "unknown key 'sidewalk'" },
        { "kind: motor", "approaches[0].lanes[0].kind", "'bus' is not one of" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedScene_NamesFileKeyAndProblem(string change, string key, string message)
    {
        var yaml = Mutate(change);
        var error = Assert.Throws<ConfigException>(() => SceneLoader.Parse(yaml, "cam1-scene.yaml"));

        Assert.Contains(error.Errors, e => e.File == "cam1-scene.yaml" && e.Key == key && e.Message.Contains(message, StringComparison.Ordinal) && e.Line > 0);
    }

    /// <summary>A change to the first movement of <see cref="ScriptedScene.Movements"/> (its line replaced, matched by key), the key named and the problem.</summary>
    public static TheoryData<string, string, string> MalformedMovements => new()
    {
        { "lanes: [N1, X9]", "movements[0].lanes[1]", "no lane 'X9' in the scene: expected the id of one of its motor lanes (S1, S2, N1, N2)" },
        { "lanes: [B1]", "movements[0].lanes[0]", "lane 'B1' is a nonMotor lane" },
        { "lanes: [N1, n1]", "movements[0].lanes[1]", "listed twice" },
        { "lanes: []", "movements[0].lanes", "at least one lane" },
        { "entry: [[0.72, 0.72], [0.95, 0.72]]", "movements[0].entry", "a polygon needs at least 3 points" },
        { "entry: [[0.72, 0.72], [1.95, 0.72], [0.95, 0.9]]", "movements[0].entry[1]", "outside the image" },
        { "entry: [[0.72, 0.72], [0.8, 0.8], [0.9, 0.9]]", "movements[0].entry", "no area" },
        { "turn: straight", "movements[0].turn", "'straight' is not one of" },
        { "name: left turn from the west side road", "movements[1].name", "duplicate movement name 'left turn from the west side road'" },
        { "name: " + new string('x', 65), "movements[0].name", "64" },
        { "lane: [N1]", "movements[0].lane", "unknown key 'lane'" },
    };

    [Theory]
    [MemberData(nameof(MalformedMovements))]
    public void Parse_MalformedMovement_NamesFileKeyAndProblem(string change, string key, string message)
    {
        // The first movement's line with the change's key is replaced; an unknown key goes in beside its lanes.
        var movements = ScriptedScene.Movements.Split('\n').ToList();
        var added = change.StartsWith("lane:", StringComparison.Ordinal);
        var written = added ? "lanes" : change.Split(':')[0];
        var at = movements.FindIndex(l => l.TrimStart(' ', '-').StartsWith(written + ":", StringComparison.Ordinal));
        var indent = movements[at][..movements[at].IndexOf(written, StringComparison.Ordinal)];
        if (added)
        {
            movements.Insert(at + 1, "    " + change);
        }
        else
        {
            movements[at] = indent + change;
        }

        var bicycles = "\n      - { id: B1, kind: nonMotor, polygon: [[0.7, 0.0], [0.75, 0.0], [0.75, 1.0], [0.7, 1.0]] }";
        var yaml = ScriptedScene.Yaml.Replace("[0.6, 1.0]] }\n", "[0.6, 1.0]] }" + bicycles + "\n", StringComparison.Ordinal) + "\n" + string.Join('\n', movements);

        var error = Assert.Throws<ConfigException>(() => SceneLoader.Parse(yaml, "cam1-scene.yaml"));

        var problem = Assert.Single(error.Errors);
        Assert.True(problem.File == "cam1-scene.yaml" && problem.Key == key && problem.Message.Contains(message, StringComparison.Ordinal) && problem.Line > 0, $"got {problem}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("movements: []")]
    [InlineData(ScriptedScene.Movements)]
    public void Model_Movements_EntryRegionsAndLanesReadyForTheRule(string movements)
    {
        var model = ScriptedScene.Model(extra: movements);

        var expected = movements.Length > 20 ? 2 : 0;
        Assert.Equal(expected, model.Movements.Count);
        Assert.Equal(expected == 0 ? null : "right turn from the east side road", model.MovementAt(new Point2(0.8, 0.8))?.Name);
        Assert.Null(model.MovementAt(new Point2(0.45, 0.8)));
        if (expected > 0)
        {
            Assert.Equal(["N2", "N1"], model.Movements[1].Lanes.Select(l => l.Id));
            Assert.Equal(new Domain.Violations.TurnMovement("left turn from the west side road", TurnDirection.Left), model.Movements[1].Named);
        }
    }

    [Fact]
    public void Load_ConfigWithBadScene_ReportsTheSceneFilesErrors()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("cam1.yaml"), Mutate("crosswalk: [[0.1, 0.5], [1.2, 0.5], [0.9, 0.6]]"));
        File.WriteAllText(temp.File("cww.yaml"), $"cameras:\n  - id: cam1\n    url: {TestAssets.CrosswalkFootage}\n    scene: cam1.yaml\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(temp.File("cww.yaml")));

        var problem = Assert.Single(error.Errors);
        Assert.Equal(temp.File("cam1.yaml"), problem.File);
        Assert.Equal("crosswalk[1]", problem.Key);
    }

    [Fact]
    public void Model_ScriptedRoad_LanesAcrossTheCrosswalkHalvesAndStopLines()
    {
        var model = ScriptedScene.Model();
        var s1 = model.Lanes.Single(l => l.Id == "S1");
        var n1 = model.Lanes.Single(l => l.Id == "N1");

        Assert.Equal(0.1, s1.Width, 3);
        Assert.NotEqual(s1.Half, n1.Half);
        Assert.Equal(s1.Half, model.HalfOf(model.Lateral(new Point2(0.65, 0.6))));
        Assert.Equal("S2", model.LaneAt(new Point2(0.65, 0.6))?.Id);
        Assert.Null(model.LaneAt(new Point2(0.75, 0.6)));
        Assert.True(model.OnSidewalk(new Point2(0.75, 0.6)));
        Assert.True(SceneModel.PastStopLine(s1, new Point2(0.55, 0.45)) < 0, "southbound: above its line is before it");
        Assert.True(SceneModel.PastStopLine(s1, new Point2(0.55, 0.55)) > 0);
        Assert.True(SceneModel.PastStopLine(n1, new Point2(0.45, 0.75)) < 0, "northbound: below its line is before it");
        Assert.True(SceneModel.PastStopLine(n1, new Point2(0.45, 0.65)) > 0);
    }

    [Fact]
    public void ClipToConvex_LaneOverCrosswalk_IsTheirOverlapAndEmptyWhenApart()
    {
        Point2[] crosswalk = [new(0.2, 0.55), new(0.8, 0.55), new(0.8, 0.65), new(0.2, 0.65)];
        Point2[] lane = [new(0.5, 0.0), new(0.6, 0.0), new(0.6, 1.0), new(0.5, 1.0)];
        Point2[] apart = [new(0.0, 0.0), new(0.1, 0.0), new(0.1, 0.1)];

        Assert.Equal(0.01, Math.Abs(Geometry.SignedArea(Geometry.ClipToConvex(lane, crosswalk))), 6);
        Assert.Empty(Geometry.ClipToConvex(apart, crosswalk));
        Assert.Empty(Geometry.ClipToConvex([], crosswalk));
    }

    /// <summary>The scripted scene with one line replaced (matched by its first key) or one key added.</summary>
    private static string Mutate(string change)
    {
        var lines = ScriptedScene.Yaml.Split('\n').ToList();
        var key = change.Split(':')[0].Trim().TrimStart('{').Trim();
        if (change == "kind: motor")
        {
            var lane = lines.FindIndex(l => l.Contains("id: S1", StringComparison.Ordinal));
            lines[lane] = lines[lane].Replace("] }", "], kind: bus }", StringComparison.Ordinal);
            return string.Join('\n', lines);
        }

        if (change.StartsWith('{'))
        {
            var lane = lines.FindIndex(l => l.Contains("id: S1", StringComparison.Ordinal));
            lines[lane] = lines[lane][..lines[lane].IndexOf('{', StringComparison.Ordinal)] + change;
            return string.Join('\n', lines);
        }

        if (change == "id: N1")
        {
            var lane = lines.FindIndex(l => l.Contains("id: S1", StringComparison.Ordinal));
            lines[lane] = lines[lane].Replace("id: S1", "id: N1", StringComparison.Ordinal);
            return string.Join('\n', lines);
        }

        if (change == "sidewalks:")
        {
            var at = lines.FindIndex(l => l.StartsWith("sidewalks:", StringComparison.Ordinal));
            lines[at] = "sidewalk:";
            return string.Join('\n', lines);
        }

        var index = lines.FindIndex(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal));
        var indent = lines[index][..(lines[index].Length - lines[index].TrimStart().Length)];
        lines[index] = indent + change;
        return string.Join('\n', lines);
    }
}
