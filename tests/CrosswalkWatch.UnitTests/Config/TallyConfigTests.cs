using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.UnitTests.Config;

/// <summary>The tally and retention settings: defaults, binding, bounds, and `cww config defaults` documenting them.</summary>
public sealed class TallyConfigTests
{
    [Fact]
    public void Parse_NoTallySection_CalendarYear30SecondsDedupAnd30Days()
    {
        var config = ConfigLoader.Parse("site:\n  id: a\n", "cww.yaml", "/tmp");

        Assert.Equal(new TallyConfig { Window = TallyWindow.Calendar, DedupSeconds = 30 }, config.Tally);
        Assert.Equal(30, config.Retention.UnmatchedEvidenceDays);
        Assert.Equal(config.Rule.DedupSeconds, config.Tally.DedupSeconds);
    }

    [Fact]
    public void Parse_RollingWindowAndOwnValues_Binds()
    {
        var config = ConfigLoader.Parse("tally:\n  window: rolling365\n  dedupSeconds: 45\nretention:\n  unmatchedEvidenceDays: 90\n", "cww.yaml", "/tmp");

        Assert.Equal(new TallyConfig { Window = TallyWindow.Rolling365, DedupSeconds = 45 }, config.Tally);
        Assert.Equal(90, config.Retention.UnmatchedEvidenceDays);
    }

    [Fact]
    public void Parse_UnknownWindowAndOutOfRangeDays_NamesTheKeys()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("tally:\n  window: yearly\nretention:\n  unmatchedEvidenceDays: 0\n", "cww.yaml", "/tmp"));

        Assert.Equal(["tally.window", "retention.unmatchedEvidenceDays"], error.Errors.Select(e => e.Key));
    }

    [Fact]
    public void Parse_ThresholdFive_Binds()
    {
        var config = ConfigLoader.Parse("tally:\n  threshold: 5\n", "cww.yaml", "/tmp");

        Assert.Equal(5, config.Tally.Threshold);
        Assert.Equal(3, ConfigLoader.Parse("site:\n  id: a\n", "cww.yaml", "/tmp").Tally.Threshold);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("101")]
    public void Parse_ThresholdOutOfRange_NamesTheKeyAndTheRange(string written)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse($"tally:\n  threshold: {written}\n", "cww.yaml", "/tmp"));

        var problem = Assert.Single(error.Errors);
        Assert.Equal("tally.threshold", problem.Key);
        Assert.StartsWith($"{written} is out of range: expected a whole number from 2 to 100", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsYaml_DocumentsTallyAndRetention()
    {
        var text = ConfigDocs.DefaultsYaml();

        Assert.Contains("window: calendar", text, StringComparison.Ordinal);
        Assert.Contains("threshold: 3", text, StringComparison.Ordinal);
        Assert.Contains("(default 3, range 2–100)", text, StringComparison.Ordinal);
        Assert.Contains("unmatchedEvidenceDays: 30", text, StringComparison.Ordinal);
    }
}
