using System.Text.Json;
using System.Text.RegularExpressions;
using CrosswalkWatch.Scenarios;
using Xunit.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Scenarios;

/// <summary>
/// The pedestrian signal end to end on generated clips: a pedestrian who steps into the vehicle's lane on the drawn red
/// signal (it turns green while they cross) is no false alarm for `cww eval`, while the suite's pedestrian-in-lane
/// clip, whose drawn signal is green, is still found; and without the scene's <c>signals:</c> block the same
/// crossing-on-red clips do alarm, so it is the signal that excludes them.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed partial class CrossingOnRedTests(GeneratedSuite suite, ITestOutputHelper output)
{
    [Fact]
    public async Task Eval_CrossingOnRedClipsAndAGreenPedestrianInLane_NoFalseAlarmAndTheViolationFound()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "suite");
        var options = suite.OwnSuite(folder, seed: 11, count: 2) with { Seconds = 10, Kinds = [ScenarioKind.CrossingOnRed] };
        var clips = await ScenarioGenerator.GenerateAsync(options, null, CancellationToken.None);

        foreach (var clip in clips)
        {
            using var truth = JsonDocument.Parse(await File.ReadAllTextAsync(clip.TruthPath));
            var root = truth.RootElement;
            Assert.Equal("crossing-on-red", root.GetProperty("kind").GetString());
            Assert.Equal(0, root.GetProperty("violations").GetArrayLength());
            var phases = root.GetProperty("signal").GetProperty("phases").EnumerateArray().ToList();
            Assert.Equal(["red", "green"], phases.Select(p => p.GetProperty("state").GetString()));
            var turnsGreen = phases[1].GetProperty("from").GetDouble();
            var passes = root.GetProperty("passages")[0].GetProperty("start").GetDouble();
            Assert.True(turnsGreen > 1 && turnsGreen < passes, $"{clip.Name}: the signal turns green at {turnsGreen:0.00} s, the vehicle passes at {passes:0.00} s");
        }

        // The suite's pedestrian-in-lane clip beside them: its drawn signal is green all along.
        var inLane = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        using (var truth = JsonDocument.Parse(await File.ReadAllTextAsync(inLane.TruthPath)))
        {
            Assert.Equal(["green"], truth.RootElement.GetProperty("signal").GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("state").GetString()));
        }

        File.Copy(inLane.VideoPath, Path.Combine(folder, Path.GetFileName(inLane.VideoPath)));
        File.Copy(inLane.TruthPath, Path.Combine(folder, Path.GetFileName(inLane.TruthPath)));

        var withSignal = await EvalAsync(folder);
        Assert.Equal(0, FalseAlarms(withSignal, "crossing-on-red"));
        Assert.Equal((1, 1, 0), Row(withSignal, "pedestrian-in-lane"));

        // The same clips judged on the scene without its signal head: the pedestrians who started on red count.
        var scene = Path.Combine(folder, "scene.yaml");
        var text = await File.ReadAllTextAsync(scene);
        await File.WriteAllTextAsync(scene, text[..text.IndexOf("signals:", StringComparison.Ordinal)]);
        var without = await EvalAsync(folder);
        Assert.True(FalseAlarms(without, "crossing-on-red") >= 1, $"without the signal head the crossing-on-red clips should alarm:\n{without}");
    }

    private async Task<string> EvalAsync(string folder)
    {
        var result = await CwwProcess.RunAsync(TimeSpan.FromMinutes(5), "eval", "--scenarios", folder);
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.All);
        return result.Output;
    }

    private static int FalseAlarms(string eval, string kind) => Row(eval, kind).FalseAlarms;

    /// <summary>A kind's row of the eval table: labelled, matched, false alarms.</summary>
    private static (int Labelled, int Matched, int FalseAlarms) Row(string eval, string kind)
    {
        var row = KindRow().Matches(eval).FirstOrDefault(m => m.Groups[1].Value == kind);
        Assert.True(row is not null, $"no row for {kind}:\n{eval}");
        return (int.Parse(row.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(row.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(row.Groups[6].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>kind, clips, labelled, matched, missed, false, then precision, recall and F1.</summary>
    [GeneratedRegex(@"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s*$", RegexOptions.Multiline)]
    private static partial Regex KindRow();
}
