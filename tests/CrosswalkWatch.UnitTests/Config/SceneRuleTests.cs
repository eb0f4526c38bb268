using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.UnitTests.Config;

/// <summary>
/// A scene file's optional <c>rule:</c> block (the operators' console saves thresholds there): checked with the
/// rule's bounds, laid over the configuration's rule for the camera key by key; and the scene writer, whose YAML the
/// loader reads back to the same scene.
/// </summary>
public class SceneRuleTests
{
    private static readonly string Sample = Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml");

    [Fact]
    public void Parse_RuleBlock_OverridesOnlyItsKeysOverTheCamerasRule()
    {
        var yaml = File.ReadAllText(Sample) + "rule:\n  minPedestrians: 2\n  conflictZone: lane\n";
        var camera = new YieldRuleSettings { MinPedestrians = 3, StoppedSpeed = 0.2, ConflictZone = ConflictZoneKind.NearHalf };

        var scene = SceneLoader.Parse(yaml, "cam1.yaml");

        Assert.Equal(["minPedestrians", "conflictZone"], scene.Rule?.Keys);
        Assert.Equal(camera with { MinPedestrians = 2, ConflictZone = ConflictZoneKind.Lane }, scene.RuleFor(camera));
    }

    [Fact]
    public void Parse_NoRuleBlockOrAnEmptyOne_LeavesTheCamerasRule()
    {
        var camera = new YieldRuleSettings { BodyPastLine = 0.5 };
        Assert.Null(SceneLoader.Load(Sample).Rule);
        Assert.Same(camera, SceneLoader.Load(Sample).RuleFor(camera));
        Assert.Null(SceneLoader.Parse(File.ReadAllText(Sample) + "rule:\n", "cam1.yaml").Rule);
    }

    [Theory]
    [InlineData("  minPedestrians: 20", "rule.minPedestrians", "out of range: expected a whole number from 1 to 10")]
    [InlineData("  bodyPastLine: lots", "rule.bodyPastLine", "'lots' is not a number")]
    [InlineData("  minPedestrian: 2", "rule.minPedestrian", "unknown key 'minPedestrian'; did you mean 'minPedestrians'?")]
    [InlineData("  conflictZone: lanes", "rule.conflictZone", "did you mean 'lane'?")]
    public void Parse_BadRuleValue_NamesTheKeyAndLineLikeTheConfiguration(string line, string key, string message)
    {
        var text = File.ReadAllText(Sample) + "rule:\n" + line + "\n";
        var lineNumber = text.Split('\n').Length - 1;

        var error = Assert.Throws<ConfigException>(() => SceneLoader.Parse(text, "cam1.yaml"));

        var problem = Assert.Single(error.Errors);
        Assert.Equal(("cam1.yaml", key, lineNumber), (problem.File, problem.Key, problem.Line));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigLoader_SceneWithABadRule_IsAnErrorAtStartUp()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("scene.yaml"), File.ReadAllText(Sample) + "rule:\n  stoppedSeconds: 99\n");
        File.WriteAllText(temp.File("cww.yaml"), "cameras:\n  - id: cam1\n    url: rtsp://10.0.0.1/s\n    scene: scene.yaml\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(temp.File("cww.yaml")));

        Assert.Contains(error.Errors, e => e.File.EndsWith("scene.yaml", StringComparison.Ordinal) && e.Key == "rule.stoppedSeconds");
    }

    [Theory]
    [InlineData("rox_crosswalk_elevated.yaml")]
    [InlineData("rox_crosswalk_elevated_generated.yaml")]
    public void Write_SampleScene_ReadsBackToTheSameScene(string name)
    {
        var scene = SceneLoader.Load(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", name));

        var yaml = SceneWriter.Write(scene, ["Saved by a test.", "Second line."]);
        var again = SceneLoader.Parse(yaml, name);

        Assert.StartsWith("# Saved by a test.\n# Second line.\ncrosswalk: [[0.29, 0.735], ", yaml, StringComparison.Ordinal);
        Assert.Equal(Flatten(scene), Flatten(again));
        Assert.Null(again.Rule);
    }

    [Fact]
    public void Write_RuleAndAwkwardNames_ReadBackTheSame()
    {
        var sample = SceneLoader.Load(Sample);
        var rule = YieldRuleOverride.Between(new YieldRuleSettings(), new YieldRuleSettings { CountStandingPedestrians = false, StandingSpeed = 0.25, ConflictZone = ConflictZoneKind.Lane });
        var scene = sample with
        {
            Approaches = [sample.Approaches[0] with { Name = "north: \"fast\" lane #1" }, sample.Approaches[1] with { Lanes = [sample.Approaches[1].Lanes[0] with { Id = "true", Kind = LaneKind.NonMotor }] }],
            Movements = [new MovementDefinition { Name = "turn: left, #2", Turn = TurnDirection.Left, Entry = [[0.8, 0.9], [1.0, 0.9], [1.0, 1.0]], Lanes = [sample.Approaches[0].Lanes[0].Id] }],
        };

        var yaml = SceneWriter.Write(scene.WithRule(rule));
        var again = SceneLoader.Parse(yaml, "cam1.yaml");

        Assert.Contains("rule:\n  conflictZone: lane\n  countStandingPedestrians: false\n  standingSpeed: 0.25\n", yaml, StringComparison.Ordinal);
        Assert.Equal("north: \"fast\" lane #1", again.Approaches[0].Name);
        Assert.Equal(("true", LaneKind.NonMotor), (again.Approaches[1].Lanes[0].Id, again.Approaches[1].Lanes[0].Kind));
        Assert.Contains("movements:\n  - name: \"turn: left, #2\"\n    turn: left\n    entry: [[0.8, 0.9], [1, 0.9], [1, 1]]\n    lanes: [T1]\n", yaml, StringComparison.Ordinal);
        Assert.Equal(Flatten(scene), Flatten(again));
        Assert.Equal(new YieldRuleSettings { CountStandingPedestrians = false, StandingSpeed = 0.25, ConflictZone = ConflictZoneKind.Lane }, again.RuleFor(new YieldRuleSettings()));
    }

    [Fact]
    public void Between_SameSettings_IsNull_AndApplyToGivesBackTheWanted()
    {
        var configured = new YieldRuleSettings { MinConflictSeconds = 0.6 };
        var wanted = configured with { DedupSeconds = 60, RunningSpeed = 0 };

        Assert.Null(YieldRuleOverride.Between(configured, configured with { }));
        var change = YieldRuleOverride.Between(configured, wanted)!;
        Assert.Equal(["dedupSeconds", "runningSpeed"], change.Keys);
        Assert.Equal(wanted, change.ApplyTo(configured));
    }

    /// <summary>Every value of the scene in order, for comparing two scenes (lists compare by reference).</summary>
    private static string Flatten(SceneDefinition s) => System.Text.Json.JsonSerializer.Serialize(s.WithRule(null));
}
