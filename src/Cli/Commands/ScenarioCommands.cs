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
        var seed = new Option<int?>("--seed") { Description = "Seed of positions, speeds, timing, cut-outs, plates and conditions; taken from the clock (and printed) when not given, so that a measurement meets clips nothing was tuned on." };
        var count = new Option<int>("--count") { Description = "How many clips, cycling through the scenario kinds.", DefaultValueFactory = _ => 40 };
        var seconds = new Option<double>("--seconds") { Description = "Length of each clip in seconds (4–20).", DefaultValueFactory = _ => 10 };
        var kinds = new Option<string>("--kinds") { Description = "Kinds to cycle through, comma-separated (e.g. pedestrian-in-lane,runs), or all: " + Names(ScenarioGenerator.AllKinds) + ".", DefaultValueFactory = _ => "all" };
        var conditions = new Option<string>("--conditions")
        {
            Description = "Conditions the clips are made under, comma-separated, or all: " + Names(ScenarioGenerator.AllConditions) + ". Each round of kinds starts one condition further, so kinds × conditions clips meet every pair once.",
            DefaultValueFactory = _ => "all",
        };
        var scene = new Option<FileInfo?>("--scene")
        {
            Description = "The scene the clips follow (default samples/scenes/rox_crosswalk_elevated_generated.yaml); samples/scenes/rox_crosswalk_elevated_turning.yaml for the turning kinds.",
        };
        var generate = new Command("generate", "Write the suite: 1920x1080 10 fps H.264 clips with ground truth, kind after kind, each under one condition.")
        {
            output, seed, count, seconds, kinds, conditions, scene,
        };
        generate.SetAction(async (result, cancellationToken) =>
        {
            var repo = Assets.RepositoryRoot() ?? throw new InvalidOperationException("run cww from inside the repository (the folder holding CrosswalkWatch.sln)");
            if (!TryParse(result.GetRequiredValue(kinds), ScenarioGenerator.AllKinds, "--kinds", out var chosenKinds) ||
                !TryParse(result.GetRequiredValue(conditions), ScenarioGenerator.AllConditions, "--conditions", out var chosenConditions))
            {
                return 2;
            }

            var suiteSeed = result.GetValue(seed) ?? ClockSeed();
            Console.WriteLine($"scenarios: seed {suiteSeed}{(result.GetValue(seed) is null ? " (from the clock; --seed " + suiteSeed + " writes this suite again)" : "")}");
            var options = ScenarioOptions.FromRepository(repo, result.GetRequiredValue(output).FullName, suiteSeed, result.GetValue(count), result.GetValue(seconds)) with
            {
                Kinds = chosenKinds,
                Conditions = chosenConditions,
            };
            if (result.GetValue(scene) is { } sceneFile)
            {
                options = options with { ScenePath = sceneFile.FullName };
            }

            var clips = await ScenarioGenerator.GenerateAsync(options, new LineProgress(), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"scenarios: {clips.Count} clips, {clips.Sum(c => c.Violations)} labelled violations in {options.OutputDirectory} (scene: scene.yaml, seed {suiteSeed})");
            return 0;
        });
        command.Add(generate);
        return command;
    }

    /// <summary>A seed from the clock: seconds since 2020 modulo a million, so that seed × 1000 + clip stays an int.</summary>
    private static int ClockSeed() => (int)((DateTimeOffset.UtcNow - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds % 1_000_000);

    private static string Names<T>(IEnumerable<T> values)
        where T : struct, Enum => string.Join(", ", values.Select(ScenarioGenerator.Kebab));

    /// <summary>"all" or comma-separated kebab-case names of <typeparamref name="T"/>; says what is wrong and returns false otherwise.</summary>
    private static bool TryParse<T>(string text, IReadOnlyList<T> all, string option, out IReadOnlyList<T> chosen)
        where T : struct, Enum
    {
        chosen = all;
        if (string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var list = new List<T>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = all.Where(v => string.Equals(ScenarioGenerator.Kebab(v), name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                Console.Error.WriteLine($"cww scenarios generate: {option}: no such name '{name}' (expected all or some of: {Names(all)}); nothing was written");
                return false;
            }

            list.Add(match[0]);
        }

        if (list.Count == 0)
        {
            Console.Error.WriteLine($"cww scenarios generate: {option} names nothing (expected all or some of: {Names(all)}); nothing was written");
            return false;
        }

        chosen = list;
        return true;
    }

    /// <summary>Prints each progress line as it happens.</summary>
    private sealed class LineProgress : IProgress<string>
    {
        public void Report(string value) => Console.WriteLine(value);
    }
}
