using System.Text.Json;
using CrosswalkWatch.Scenarios;
using CrosswalkWatch.Tests.Cli;
using CrosswalkWatch.Tests.Ingest;

namespace CrosswalkWatch.Tests.Scenarios;

/// <summary>
/// From pixels to an official: `cww replay` on a generated violation, with the real detector, tracker, rule, plate
/// cascade (HyperLPR3 + PP-OCRv4) and matcher, against a registry holding the violating vehicle's plate.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed class EndToEndTests(GeneratedSuite suite)
{
    [Fact]
    public async Task Replay_GeneratedViolationWithRegistry_AttachesTheRightOfficialToTheCandidate()
    {
        var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        using var truth = JsonDocument.Parse(await File.ReadAllTextAsync(clip.TruthPath));
        var plate = truth.RootElement.GetProperty("violations")[0].GetProperty("plate").GetString()!;
        using var temp = new TempFolder();
        var registry = temp.File("officials.csv");
        await File.WriteAllTextAsync(registry, $"""
            official_id,name,department,authority,plate,relation,valid_from,valid_to
            T001,测试官员甲,市测试局,市委组织部,{plate},own,2000-01-01,
            T002,测试官员乙,市测试局,市委组织部,京A00001,own,2000-01-01,
            """);

        var result = await CwwProcess.RunAsync(
            TimeSpan.FromMinutes(3), "replay", clip.VideoPath, "--scene", Path.Combine(suite.Folder, "scene.yaml"), "--out", temp.File("out"), "--registry", registry);

        Assert.True(result.ExitCode == 0, result.All);
        var candidates = result.Output.Split('\n').Where(l => l.StartsWith("{\"candidate\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l)).ToList();
        var line = Assert.Single(candidates);
        var root = line.RootElement;
        Assert.Equal(plate, root.GetProperty("plate").GetProperty("text").GetString());
        Assert.Equal("exact", root.GetProperty("match").GetProperty("kind").GetString());
        Assert.Equal("T001", root.GetProperty("match").GetProperty("official").GetProperty("id").GetString());
        Assert.True(File.Exists(Path.Combine(root.GetProperty("evidence").GetString()!, "plate.jpg")), "no plate close-up in the package");
    }
}
