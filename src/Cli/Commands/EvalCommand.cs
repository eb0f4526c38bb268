using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Edge.Pipeline;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Cli.Commands;

/// <summary>
/// <c>cww eval</c>: the real detector, tracker and rule on every clip of a labelled suite; event-level precision,
/// recall and F1. A candidate matches a labelled violation of the same vehicle (box overlap at the candidate's
/// moment on the line) within its labelled time window (one second of slack either side).
/// </summary>
internal static class EvalCommand
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var folder = new Option<DirectoryInfo>("--scenarios") { Description = "A suite written by `cww scenarios generate` (clips, their .json labels and scene.yaml).", Required = true };
        var model = new Option<string>("--detector") { Description = "yolox-nano or fastestdet.", DefaultValueFactory = _ => "yolox-nano" };
        var fps = new Option<double>("--fps") { Description = "Detection frames per second of video.", DefaultValueFactory = _ => 10 };
        var command = new Command("eval", "Run the real pipeline on a labelled scenario suite: event-level precision, recall and F1, then a table per scenario kind.") { folder, model, fps };
        command.SetAction(async (result, cancellationToken) =>
        {
            var root = result.GetRequiredValue(folder).FullName;
            var scene = SceneLoader.Load(Path.Combine(root, "scene.yaml"));
            using var detector = PipelineFactory.CreateDetector(PipelineFactory.OpenModels(), result.GetRequiredValue(model));
            using var loggers = Logging.Create(LogLevel.Warning);
            var rows = new List<(string Kind, int Labelled, int Hits, int FalseAlarms)>();
            var clips = Directory.GetFiles(root, "*.mp4").Order(StringComparer.Ordinal).ToList();
            if (clips.Count == 0)
            {
                Console.Error.WriteLine($"no clips (*.mp4) in {root}: make a suite with `cww scenarios generate --out {root}`");
                return 2;
            }

            foreach (var clip in clips)
            {
                var labels = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(clip, ".json"), cancellationToken).ConfigureAwait(false)).RootElement;
                var candidates = await RunAsync(clip, scene, detector, result.GetValue(fps), loggers, cancellationToken).ConfigureAwait(false);
                var (hits, falseAlarms, labelled) = Match(candidates, labels);
                var kind = labels.GetProperty("kind").GetString() ?? "?";
                rows.Add((kind, labelled, hits, falseAlarms));
                Console.WriteLine($"{Path.GetFileName(clip)}: {labelled} labelled, {candidates.Count} candidate(s), {hits} matched, {falseAlarms} false alarm(s)");
            }

            var tp = rows.Sum(r => r.Hits);
            var fp = rows.Sum(r => r.FalseAlarms);
            var fn = rows.Sum(r => r.Labelled - r.Hits);
            var precision = tp + fp == 0 ? 1 : (double)tp / (tp + fp);
            var recall = tp + fn == 0 ? 1 : (double)tp / (tp + fn);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"clips {rows.Count}   labelled violations {tp + fn}   candidates {tp + fp}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"precision {precision:0.000}   recall {recall:0.000}   F1 {f1:0.000}"));
            Console.WriteLine();
            Console.WriteLine("kind                              clips  labelled  matched  missed  false alarms");
            foreach (var group in rows.GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group.Key,-33} {group.Count(),5} {group.Sum(r => r.Labelled),9} {group.Sum(r => r.Hits),8} {group.Sum(r => r.Labelled - r.Hits),7} {group.Sum(r => r.FalseAlarms),13}"));
            }

            return 0;
        });
        return command;
    }

    private static async Task<List<ViolationCandidate>> RunAsync(string clip, SceneDefinition scene, IObjectDetector detector, double fps, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var found = new List<ViolationCandidate>();
        using var pipeline = PipelineFactory.CreatePipeline("eval", detector, scene, new YieldRuleSettings());
        await FileReplay.RunAsync(clip, fps, pipeline, DateTimeOffset.UnixEpoch, loggers, candidate =>
        {
            found.Add(candidate);
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>Greedy one-to-one matching of candidates to labelled violations (times are seconds from the clip's start).</summary>
    internal static (int Hits, int FalseAlarms, int Labelled) Match(IReadOnlyList<ViolationCandidate> candidates, JsonElement labels)
    {
        var fps = labels.GetProperty("fps").GetDouble();
        var objects = labels.GetProperty("objects").EnumerateArray().ToDictionary(o => o.GetProperty("id").GetInt32());
        var violations = labels.GetProperty("violations").EnumerateArray().ToList();
        var used = new bool[violations.Count];
        var hits = 0;
        foreach (var candidate in candidates)
        {
            var t = (candidate.OnLine.At - DateTimeOffset.UnixEpoch).TotalSeconds;
            for (var i = 0; i < violations.Count; i++)
            {
                var v = violations[i];
                if (used[i] || t < v.GetProperty("start").GetDouble() - Slack.TotalSeconds || t > v.GetProperty("end").GetDouble() + Slack.TotalSeconds)
                {
                    continue;
                }

                var vehicle = objects[v.GetProperty("vehicleId").GetInt32()];
                if (BoxAt(vehicle, (int)Math.Round(t * fps)) is { } truth && truth.IoU(candidate.OnLine.VehicleBox) > 0.3f)
                {
                    used[i] = true;
                    hits++;
                    break;
                }
            }
        }

        return (hits, candidates.Count - hits, violations.Count);
    }

    private static Box? BoxAt(JsonElement obj, int frame)
    {
        JsonElement? nearest = null;
        var distance = int.MaxValue;
        foreach (var step in obj.GetProperty("track").EnumerateArray())
        {
            var d = Math.Abs(step.GetProperty("frame").GetInt32() - frame);
            if (d < distance)
            {
                distance = d;
                nearest = step;
            }
        }

        if (nearest is not { } found || distance > 2)
        {
            return null;
        }

        var b = found.GetProperty("box");
        return new Box(b[0].GetSingle(), b[1].GetSingle(), b[2].GetSingle(), b[3].GetSingle());
    }
}
