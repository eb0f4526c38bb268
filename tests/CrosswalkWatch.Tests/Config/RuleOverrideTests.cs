using CrosswalkWatch.Config;
using CrosswalkWatch.Core.Config;

namespace CrosswalkWatch.Tests.Config;

public class RuleOverrideTests
{
    [Fact]
    public void Parse_CameraRuleBlock_OverridesOnlyItsKeysAndOnlyForThatCamera()
    {
        const string yaml = """
            rule:
              minConflictFrames: 3
              conflictZone: lane
            cameras:
              - id: a
                url: rtsp://10.0.0.1/s
                rule:
                  minConflictFrames: 5
              - id: b
                url: rtsp://10.0.0.2/s
            """;

        var config = ConfigLoader.Parse(yaml, "cww.yaml", Path.GetTempPath());

        Assert.Equal((5, ConflictZoneKind.Lane), (config.Cameras[0].Rule.MinConflictFrames, config.Cameras[0].Rule.ConflictZone));
        Assert.Equal((3, ConflictZoneKind.Lane), (config.Cameras[1].Rule.MinConflictFrames, config.Cameras[1].Rule.ConflictZone));
        Assert.Equal(new YieldRuleSettings().StoppedSpeed, config.Cameras[1].Rule.StoppedSpeed);
    }

    [Fact]
    public void Parse_CameraRuleOutOfRange_PointsAtTheCamerasLine()
    {
        const string yaml = "cameras:\n  - id: a\n    url: rtsp://10.0.0.1/s\n    rule:\n      bodyPastLine: 2\n";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "cww.yaml", Path.GetTempPath()));

        var problem = Assert.Single(error.Errors);
        Assert.Equal((5, "cameras[0].rule.bodyPastLine"), (problem.Line, problem.Key));
        Assert.Contains("expected a number from 0.05 to 1", problem.Message, StringComparison.Ordinal);
    }
}
