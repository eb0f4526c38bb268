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
