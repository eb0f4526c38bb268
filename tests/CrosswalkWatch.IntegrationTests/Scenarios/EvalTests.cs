using System.Globalization;
using System.Text.RegularExpressions;

namespace CrosswalkWatch.IntegrationTests.Scenarios;

/// <summary>`cww eval` on generated clips: the real detector, tracker and rule against the labels.</summary>
[Collection(GeneratedSuiteUsers.Name)]
public partial class EvalTests
{
    private readonly GeneratedSuite _suite;

    public EvalTests(GeneratedSuite suite) => _suite = suite;

    [Fact]
    public async Task Eval_GeneratedSuite_FindsTheLabelledViolationsAndNothingElse()
    {
        var result = await CwwProcess.RunAsync(TimeSpan.FromMinutes(5), "eval", "--scenarios", _suite.Folder);

        Assert.True(result.ExitCode == 0, result.All);
        var scores = Scores().Match(result.Output);
        Assert.True(scores.Success, result.Output);
        var (precision, recall, f1) = (Parse(scores.Groups[1]), Parse(scores.Groups[2]), Parse(scores.Groups[3]));
        Assert.True(f1 >= 0.95, $"precision {precision}, recall {recall}, F1 {f1}:\n{result.Output}");
        Assert.Contains("pedestrian-in-lane", result.Output, StringComparison.Ordinal);
        Assert.Contains("stops-and-waits", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_EmptyFolder_SaysHowToMakeASuite()
    {
        using var temp = new TempFolder();
        File.Copy(Path.Combine(_suite.Folder, "scene.yaml"), temp.File("scene.yaml"));

        var result = await CwwProcess.RunAsync(TimeSpan.FromMinutes(1), "eval", "--scenarios", temp.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cww scenarios generate", result.Error, StringComparison.Ordinal);
    }

    private static double Parse(Group group) => double.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"precision (\d\.\d+)\s+recall (\d\.\d+)\s+F1 (\d\.\d+)")]
    private static partial Regex Scores();
}
