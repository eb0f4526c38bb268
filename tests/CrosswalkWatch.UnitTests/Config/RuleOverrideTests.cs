using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.UnitTests.Config;

public class RuleOverrideTests
{
    [Fact]
    public void Parse_CameraRuleBlock_OverridesOnlyItsKeysAndOnlyForThatCamera()
    {
        const string yaml = """
            rule:
              minConflictSeconds: 0.3
              conflictZone: lane
            cameras:
              - id: a
                url: rtsp://10.0.0.1/s
                rule:
                  minConflictSeconds: 0.5
              - id: b
                url: rtsp://10.0.0.2/s
            """;

        var config = ConfigLoader.Parse(yaml, "cww.yaml", Path.GetTempPath());

        Assert.Equal((0.5, ConflictZoneKind.Lane), (config.Cameras[0].Rule.MinConflictSeconds, config.Cameras[0].Rule.ConflictZone));
        Assert.Equal((0.3, ConflictZoneKind.Lane), (config.Cameras[1].Rule.MinConflictSeconds, config.Cameras[1].Rule.ConflictZone));
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

public class DetectRegionTests
{
    [Fact]
    public void Parse_DetectRegion_IsKeptAsWritten()
    {
        var config = ConfigLoader.Parse("cameras:\n  - id: a\n    url: rtsp://10.0.0.1/s\n    detectRegion: [0.1, 0.4, 0.9, 1.0]\n", "cww.yaml", Path.GetTempPath());
        Assert.Equal([0.1, 0.4, 0.9, 1.0], config.Cameras[0].DetectRegion);
    }

    [Theory]
    [InlineData("[0.5, 0.4, 0.2, 1.0]", "x1 < x2")]
    [InlineData("[0.1, 0.4, 0.9]", "expected [x1, y1, x2, y2]")]
    [InlineData("[0.1, 0.4, 0.9, 1.5]", "out of range")]
    public void Parse_BadDetectRegion_SaysWhatWasExpected(string region, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse($"cameras:\n  - id: a\n    url: rtsp://10.0.0.1/s\n    detectRegion: {region}\n", "cww.yaml", Path.GetTempPath()));
        Assert.Contains(error.Errors, e => e.Key.StartsWith("cameras[0].detectRegion", StringComparison.Ordinal) && e.Message.Contains(message, StringComparison.Ordinal));
    }
}
