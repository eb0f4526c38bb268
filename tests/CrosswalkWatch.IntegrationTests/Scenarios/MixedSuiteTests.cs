using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Scenarios;
using Xunit.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Scenarios;

/// <summary>
/// Harder kinds under harder conditions (<see cref="GeneratedSuite.Mixed"/>: six 5-second clips) through the real
/// generator, detector, tracker and rule: every labelled violation found, no false candidate, at the deployed
/// detection rate and at twice it.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed class MixedSuiteTests(GeneratedSuite suite, ITestOutputHelper output)
{
    [Theory]
    [InlineData("5")]
    [InlineData("10")]
    public async Task Eval_MixedKindsAndConditions_FindsEveryLabelledViolationAndNothingElse(string fps)
    {
        var clips = await suite.MixedAsync();

        var result = await CwwProcess.RunAsync(TimeSpan.FromMinutes(3), "eval", "--scenarios", suite.MixedFolder, "--fps", fps);

        output.WriteLine(result.All);
        Assert.True(result.ExitCode == 0, result.All);
        Assert.True(clips.Sum(c => c.Violations) >= 4, "the mixed suite labels too few violations to mean anything");
        Assert.Contains("missed: 0", result.Output, StringComparison.Ordinal);
        Assert.Contains("false candidates: 0", result.Output, StringComparison.Ordinal);
        Assert.Contains("precision 1.000   recall 1.000   F1 1.000", result.Output, StringComparison.Ordinal);
        foreach (var (kind, condition) in GeneratedSuite.Mixed)
        {
            Assert.Contains(ScenarioGenerator.Kebab(kind) + " ", result.Output, StringComparison.Ordinal);
            Assert.Contains(ScenarioGenerator.Kebab(condition) + " ", result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GenerateAsync_Conditions_RecordedInTheTruthAndTheCompressedClipIsSqueezed()
    {
        var clips = await suite.MixedAsync();

        foreach (var (clip, (kind, condition)) in clips.Zip(GeneratedSuite.Mixed))
        {
            using var truth = JsonDocument.Parse(File.ReadAllText(clip.TruthPath));
            Assert.Equal((kind, condition), (clip.Kind, clip.Condition));
            Assert.Equal(ScenarioGenerator.Kebab(condition), truth.RootElement.GetProperty("condition").GetString());
            Assert.Equal(condition == ScenarioCondition.Occluder, truth.RootElement.GetProperty("objects").EnumerateArray().Any(o => o.TryGetProperty("role", out var r) && r.GetString() == "occluder"));
        }

        var compressed = clips.Single(c => c.Condition == ScenarioCondition.Compressed);
        var kbps = double.Parse(Probe(compressed.VideoPath), CultureInfo.InvariantCulture) / 1000;
        output.WriteLine($"{compressed.Name}: {kbps:0} kbit/s");
        Assert.InRange(kbps, 100, ConditionEffects.CompressedKbps * 1.5);
    }

    private static string Probe(string video)
    {
        using var process = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=bit_rate", "-of", "csv=p=0", video]) { RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }
}
