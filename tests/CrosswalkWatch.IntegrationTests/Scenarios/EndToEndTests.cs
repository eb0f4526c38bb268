using System.Text.Json;
using CrosswalkWatch.Scenarios;

namespace CrosswalkWatch.IntegrationTests.Scenarios;

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
        var (clip, plate, temp, registry) = await PrepareAsync();
        using (temp)
        {
            // The plate is read on the best three of five looks at the vehicle (size and sharpness) and they agree.
            var sure = await ReplayAsync(clip, temp, "default", registry);
            Assert.True(sure.GetProperty("plate").GetProperty("doubt").ValueKind == JsonValueKind.Null, sure.GetProperty("plate").ToString());
            Assert.Equal(plate, sure.GetProperty("plate").GetProperty("text").GetString());
            Assert.Equal("exact", sure.GetProperty("match").GetProperty("kind").GetString());
            Assert.Equal("T001", sure.GetProperty("match").GetProperty("official").GetProperty("id").GetString());
            Assert.True(File.Exists(Path.Combine(sure.GetProperty("evidence").GetString()!, "plate.jpg")), "no plate close-up in the package");

            // Asked for more certainty than the read has (plates.minCharConfidence), the official is only offered to
            // the reviewer, with the reason.
            await File.WriteAllTextAsync(temp.File("strict.yaml"), "plates:\n  minCharConfidence: 0.9995\n");
            var strict = await ReplayAsync(clip, temp, "strict", registry, "--config", temp.File("strict.yaml"));
            Assert.Contains("read with confidence", strict.GetProperty("plate").GetProperty("doubt").GetString(), StringComparison.Ordinal);
            Assert.Equal("suggested", strict.GetProperty("match").GetProperty("kind").GetString());
            Assert.Equal(JsonValueKind.Null, strict.GetProperty("match").GetProperty("official").ValueKind);
            var first = strict.GetProperty("match").GetProperty("suggestions")[0];
            Assert.Equal("T001", first.GetProperty("officialId").GetString());
            Assert.Contains("plate in doubt", first.GetProperty("doubts")[0].GetString(), StringComparison.Ordinal);
        }
    }

    private async Task<(ScenarioClip Clip, string Plate, TempFolder Temp, string Registry)> PrepareAsync()
    {
        var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        using var truth = JsonDocument.Parse(await File.ReadAllTextAsync(clip.TruthPath));
        var plate = truth.RootElement.GetProperty("violations")[0].GetProperty("plate").GetString()!;
        var temp = new TempFolder();
        var registry = temp.File("officials.csv");
        await File.WriteAllTextAsync(registry, $"""
            official_id,name,department,authority,plate,relation,valid_from,valid_to
            T001,测试官员甲,市测试局,市委组织部,{plate},own,2000-01-01,
            T002,测试官员乙,市测试局,市委组织部,京A00001,own,2000-01-01,
            """);
        return (clip, plate, temp, registry);
    }

    /// <summary>Runs the real `cww replay` and returns its one candidate line.</summary>
    private async Task<JsonElement> ReplayAsync(ScenarioClip clip, TempFolder temp, string name, string registry, params string[] more)
    {
        var result = await CwwProcess.RunAsync(
            TimeSpan.FromMinutes(3), ["replay", clip.VideoPath, "--scene", Path.Combine(suite.Folder, "scene.yaml"), "--out", temp.File(name), "--registry", registry, .. more]);
        Assert.True(result.ExitCode == 0, result.All);
        var lines = result.Output.Split('\n').Where(l => l.StartsWith("{\"candidate\"", StringComparison.Ordinal)).ToList();
        return JsonDocument.Parse(Assert.Single(lines)).RootElement.Clone();
    }
}
