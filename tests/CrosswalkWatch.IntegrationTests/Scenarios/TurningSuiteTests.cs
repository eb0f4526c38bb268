using System.Text.Json;
using CrosswalkWatch.Scenarios;
using Xunit.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Scenarios;

/// <summary>
/// Turning vehicles end to end on generated clips of the turning scene: a vehicle turning left from the junction into
/// A1 across a pedestrian walking in A1 is found by the real detector, tracker and rule and named as a turn, and one
/// that waits at the crosswalk's edge until the pedestrian is off its half is not a candidate, at 5 and 10 fps.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed class TurningSuiteTests(GeneratedSuite suite, ITestOutputHelper output)
{
    [Fact]
    public async Task Eval_TurningClips_FindsTheTurnThatDoesNotYieldAndNotTheOneThatWaits()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "suite");
        var options = suite.OwnSuite(folder, seed: 5, count: 2) with
        {
            ScenePath = Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated_turning.yaml"),
            Seconds = 8,
            Kinds = [ScenarioKind.TurningPedestrianInLane, ScenarioKind.TurningWaits],
        };
        var clips = await ScenarioGenerator.GenerateAsync(options, null, CancellationToken.None);
        Assert.Equal([1, 0], clips.Select(c => c.Violations));

        foreach (var fps in new[] { "5", "10" })
        {
            var result = await CwwProcess.RunAsync(TimeSpan.FromMinutes(5), "eval", "--scenarios", folder, "--fps", fps);
            output.WriteLine(result.Output);
            Assert.True(result.ExitCode == 0, result.All);
            Assert.Contains("missed: 0", result.Output, StringComparison.Ordinal);
            Assert.Contains("false candidates: 0", result.Output, StringComparison.Ordinal);
            Assert.Contains("clips 2   labelled violations 1   candidates 1", result.Output, StringComparison.Ordinal);
        }

        // Without the scene's movement the same turn is not judged at all: it never passes a stop line of this road.
        var scene = Path.Combine(folder, "scene.yaml");
        var text = await File.ReadAllTextAsync(scene);
        await File.WriteAllTextAsync(scene, text[..text.IndexOf("movements:", StringComparison.Ordinal)]);
        var without = await CwwProcess.RunAsync(TimeSpan.FromMinutes(5), "eval", "--scenarios", folder);
        Assert.True(without.ExitCode == 0, without.All);
        Assert.Contains("clips 2   labelled violations 1   candidates 0", without.Output, StringComparison.Ordinal);

        using var truth = JsonDocument.Parse(await File.ReadAllTextAsync(clips[0].TruthPath));
        Assert.Equal("turning-pedestrian-in-lane", truth.RootElement.GetProperty("kind").GetString());
    }
}
