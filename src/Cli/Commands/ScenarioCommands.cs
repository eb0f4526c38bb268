using System.CommandLine;
using CrosswalkWatch.Config;
using CrosswalkWatch.Scenarios;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww scenarios generate</c>: writes the labelled scenario suite that <c>cww eval</c> scores the pipeline on.</summary>
internal static class ScenarioCommands
{
    public static Command Create()
    {
        var command = new Command("scenarios", "Labelled synthetic clips made of the real footage, for end-to-end evaluation.");
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the clips (NAME.mp4 + NAME.json), scene.yaml and the cached assets/.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of positions, speeds, timing, cut-outs and plates.", DefaultValueFactory = _ => 1 };
        var count = new Option<int>("--count") { Description = "How many clips, cycling through the scenario kinds.", DefaultValueFactory = _ => 40 };
        var seconds = new Option<double>("--seconds") { Description = "Length of each clip in seconds (4–20).", DefaultValueFactory = _ => 10 };
        var kinds = new Option<string?>("--kinds") { Description = $"Only these scenario kinds, comma-separated, still cycled in order (default all: {string.Join(", ", ScenarioGenerator.AllKinds.Select(ScenarioGenerator.Kebab))})." };
        var generate = new Command("generate", "Write the suite: 1920x1080 10 fps H.264 clips with ground truth, one kind after the other.") { output, seed, count, seconds, kinds };
        generate.SetAction(async (result, cancellationToken) =>
        {
            var repo = Assets.RepositoryRoot() ?? throw new InvalidOperationException("run cww from inside the repository (the folder holding CrosswalkWatch.sln)");
            var chosen = new List<ScenarioKind>();
            foreach (var name in (result.GetValue(kinds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (ScenarioGenerator.AllKinds.FirstOrDefault(k => ScenarioGenerator.Kebab(k) == name) is var kind && ScenarioGenerator.Kebab(kind) != name)
                {
                    Console.Error.WriteLine($"--kinds: '{name}' is not a scenario kind (one of {string.Join(", ", ScenarioGenerator.AllKinds.Select(ScenarioGenerator.Kebab))})");
                    return 2;
                }

                chosen.Add(kind);
            }

            var options = ScenarioOptions.FromRepository(repo, result.GetRequiredValue(output).FullName, result.GetValue(seed), result.GetValue(count), result.GetValue(seconds)) with
            {
                Kinds = chosen.Count > 0 ? chosen : null,
            };
            var clips = await ScenarioGenerator.GenerateAsync(options, new LineProgress(), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"scenarios: {clips.Count} clips, {clips.Sum(c => c.Violations)} labelled violations in {options.OutputDirectory} (scene: scene.yaml)");
            return 0;
        });
        command.Add(generate);
        return command;
    }

    /// <summary>Prints each progress line as it happens.</summary>
    private sealed class LineProgress : IProgress<string>
    {
        public void Report(string value) => Console.WriteLine(value);
    }
}
