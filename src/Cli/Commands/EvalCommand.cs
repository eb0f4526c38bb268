using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Rules;
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
/// recall and F1 overall, per scenario kind and per condition, then every miss (with what the rule saw of that
/// vehicle) and every false candidate (with the rule's reasons). A candidate matches a labelled violation of the same
/// vehicle (box overlap at the candidate's moment on the line) within its labelled time window (one second of slack
/// either side), one to one.
/// </summary>
internal static class EvalCommand
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var folder = new Option<DirectoryInfo>("--scenarios") { Description = "A suite written by `cww scenarios generate` (clips, their .json labels and scene.yaml).", Required = true };
        var model = new Option<string>("--detector") { Description = "yolox-nano or fastestdet.", DefaultValueFactory = _ => "yolox-nano" };
        var fps = new Option<double>("--fps") { Description = "Detection frames per second of video (5, the rate a box runs at, by default).", DefaultValueFactory = _ => 5 };
        var recorded = new Option<DirectoryInfo?>("--detections") { Description = "Keep the detector's boxes of each clip in this folder and reuse them on later runs with the same detector and rate: only the tracker and the rule run again (for tuning them; delete the folder after changing the detector)." };
        var gate = new Option<bool>("--motion-gate") { Description = "Gate the detector on motion as a box does by default (ingest.motionGate, idleFps 1); --motion-gate false runs it on every frame at the rate.", DefaultValueFactory = _ => true };
        var trim = new Option<bool>("--trim-input") { Description = "Run YOLOX-Nano on the letterboxed picture without its padding (detector.trimInput), to compare with the full input." };
        var command = new Command("eval", "Run the real pipeline on a labelled scenario suite: event-level precision, recall and F1 overall, per scenario kind and per condition; then the misses and false candidates with the rule's reasons.")
        {
            folder, model, fps, recorded, gate, trim,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var root = result.GetRequiredValue(folder).FullName;
            var clips = Directory.Exists(root) ? Directory.GetFiles(root, "*.mp4").Order(StringComparer.Ordinal).ToList() : [];
            if (clips.Count == 0)
            {
                Console.Error.WriteLine($"no clips (*.mp4) in {root}: make a suite with `cww scenarios generate --out {root}`");
                return 2;
            }

            var scene = SceneLoader.Load(Path.Combine(root, "scene.yaml"));
            var rate = result.GetValue(fps);
            double? idleFps = result.GetValue(gate) ? new IngestSettings().IdleFps : null;
            using var detector = PipelineFactory.CreateDetector(PipelineFactory.OpenModels(), result.GetRequiredValue(model), trimInput: result.GetValue(trim));
            var detectorName = result.GetValue(trim) ? $"{detector.ModelKey}-trimmed" : detector.ModelKey;
            using var loggers = Logging.Create(LogLevel.Warning);
            var scores = new List<ClipScore>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eval: {clips.Count} clips at {rate:0.##} detection frames a second, {detectorName}, {(idleFps is null ? "every frame detected" : "gated on motion")}"));
            var keep = result.GetValue(recorded)?.FullName;
            long gatedFrames = 0, frames = 0;
            foreach (var clip in clips)
            {
                using var labels = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(clip, ".json"), cancellationToken).ConfigureAwait(false));
                var (candidates, passages, counts) = keep is null
                    ? await RunAsync(clip, scene, detector, rate, idleFps, loggers, cancellationToken).ConfigureAwait(false)
                    : await RunRecordedAsync(clip, keep, detectorName, scene, detector, rate, idleFps, loggers, cancellationToken).ConfigureAwait(false);
                gatedFrames += counts.Gated;
                frames += counts.Gated + counts.Detected;
                var score = Score(Path.GetFileName(clip), labels.RootElement, candidates, passages);
                scores.Add(score);
                Console.WriteLine($"{score.Clip}: {score.Labelled} labelled, {candidates.Count} candidate(s), {score.Hits} matched, {score.FalseCandidates.Count} false alarm(s)");
            }

            if (idleFps is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"motion gate: {gatedFrames} of {frames} frames not detected ({100.0 * gatedFrames / Math.Max(1, frames):0.0} %)"));
            }

            Print(scores);
            return 0;
        });
        return command;
    }

    private static async Task<(List<ViolationCandidate> Candidates, List<YieldPassage> Passages, (long Detected, long Gated) Frames)> RunAsync(string clip, SceneDefinition scene, IObjectDetector detector, double fps, double? idleFps, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var found = new List<ViolationCandidate>();
        using var pipeline = PipelineFactory.CreatePipeline("eval", detector, scene, new YieldRuleSettings(), idleFps: idleFps);
        var passages = new List<YieldPassage>();
        pipeline.Rule.OnPassage = passages.Add;
        await FileReplay.RunAsync(clip, fps, pipeline, DateTimeOffset.UnixEpoch, loggers, candidate =>
        {
            found.Add(candidate);
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return (found, passages, (pipeline.Frames, pipeline.Gated));
    }

    /// <summary>
    /// <see cref="RunAsync"/> with the detector's boxes from <paramref name="folder"/> when a recording of this clip
    /// (same length in bytes), detector and rate is there; otherwise runs the detector on every frame and writes one
    /// (then replays it through the gate when <paramref name="idleFps"/> is set, so that one recording serves both).
    /// </summary>
    private static async Task<(List<ViolationCandidate> Candidates, List<YieldPassage> Passages, (long Detected, long Gated) Frames)> RunRecordedAsync(string clip, string folder, string detectorName, SceneDefinition scene, IObjectDetector detector, double fps, double? idleFps, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(clip)}.{detectorName}.{fps:0.##}fps.json"));
        var bytes = new FileInfo(clip).Length;
        var kept = await ReadRecordingAsync(file, bytes, cancellationToken).ConfigureAwait(false);
        if (kept is null)
        {
            using var recording = RecordedDetector.Recording(detector);
            var run = await RunAsync(clip, scene, recording, fps, null, loggers, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(folder);
            kept = new DetectionRecording(bytes, [.. recording.Frames]);
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(kept), cancellationToken).ConfigureAwait(false);
            if (idleFps is null)
            {
                return run;
            }
        }

        using var replaying = RecordedDetector.Replaying(detector.ModelKey, kept.Frames!);
        return await RunAsync(clip, scene, replaying, fps, idleFps, loggers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The recording in <paramref name="file"/> when it is one of a clip of <paramref name="bytes"/> bytes in today's form; null when it must be made (again).</summary>
    private static async Task<DetectionRecording?> ReadRecordingAsync(string file, long bytes, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            var kept = JsonSerializer.Deserialize<DetectionRecording>(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
            return kept is { Frames: not null } && kept.ClipBytes == bytes ? kept : null;
        }
        catch (JsonException)
        {
            return null; // an older form (frames without their sequence numbers) or a half-written file
        }
    }

    /// <summary>One clip: its labels matched with the candidates, and what to say about each miss and false candidate.</summary>
    internal static ClipScore Score(string clip, JsonElement labels, IReadOnlyList<ViolationCandidate> candidates, IReadOnlyList<YieldPassage> passages)
    {
        var (matched, falseCandidates) = Match(candidates, labels);
        var kind = labels.GetProperty("kind").GetString() ?? "?";
        var condition = labels.TryGetProperty("condition", out var c) ? c.GetString() ?? "?" : "day"; // suites from before conditions
        var violations = labels.GetProperty("violations").EnumerateArray().ToList();
        var misses = new List<string>();
        for (var i = 0; i < violations.Count; i++)
        {
            if (!matched[i])
            {
                misses.Add($"{clip}: {Missed(violations[i], labels, passages)}");
            }
        }

        var falses = falseCandidates.Select(f => $"{clip}: {Reasons(f)}").ToList();
        return new ClipScore(clip, kind, condition, violations.Count, matched.Count(m => m), falses, misses);
    }

    /// <summary>
    /// Greedy one-to-one matching of candidates to labelled violations (times are seconds from the clip's start): which
    /// labels were matched, and the candidates that matched none.
    /// </summary>
    internal static (bool[] Matched, List<ViolationCandidate> FalseCandidates) Match(IReadOnlyList<ViolationCandidate> candidates, JsonElement labels)
    {
        var fps = labels.GetProperty("fps").GetDouble();
        var objects = labels.GetProperty("objects").EnumerateArray().ToDictionary(o => o.GetProperty("id").GetInt32());
        var violations = labels.GetProperty("violations").EnumerateArray().ToList();
        var used = new bool[violations.Count];
        var unmatched = new List<ViolationCandidate>();
        foreach (var candidate in candidates)
        {
            var t = Seconds(candidate.OnLine.At);
            var hit = false;
            for (var i = 0; i < violations.Count && !hit; i++)
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
                    hit = true;
                }
            }

            if (!hit)
            {
                unmatched.Add(candidate);
            }
        }

        return (used, unmatched);
    }

    /// <summary>
    /// A missed violation and what the rule made of that vehicle: its passage over the line (judged ones first, then
    /// nearest in time) whose box overlaps the labelled vehicle's, with each pedestrian's verdict; or that the rule
    /// never judged it there.
    /// </summary>
    private static string Missed(JsonElement violation, JsonElement labels, IReadOnlyList<YieldPassage> passages)
    {
        var fps = labels.GetProperty("fps").GetDouble();
        var vehicle = labels.GetProperty("objects").EnumerateArray().First(o => o.GetProperty("id").GetInt32() == violation.GetProperty("vehicleId").GetInt32());
        var (start, end) = (violation.GetProperty("start").GetDouble(), violation.GetProperty("end").GetDouble());
        var label = string.Create(CultureInfo.InvariantCulture, $"vehicle {vehicle.GetProperty("id").GetInt32()} in {violation.GetProperty("lane").GetString()}, labelled {start:0.0}–{end:0.0} s");
        var seen = passages
            .Where(p => Seconds(p.At) >= start - Slack.TotalSeconds && Seconds(p.At) <= end + Slack.TotalSeconds && BoxAt(vehicle, (int)Math.Round(Seconds(p.At) * fps)) is { } truth && truth.IoU(p.VehicleBox) > 0.3f)
            .OrderBy(p => p.Outcome is PassageOutcome.FirstSeenPastTheLine or PassageOutcome.SameVehicle) // a judged passage says more than a stray track
            .ThenBy(p => Math.Abs(Seconds(p.At) - start))
            .FirstOrDefault();
        if (seen is null)
        {
            return $"{label}: the rule judged no vehicle there (not tracked into its lane before the line, or lost on it)";
        }

        var text = new StringBuilder(label).Append(CultureInfo.InvariantCulture, $": the rule's vehicle #{seen.VehicleTrackId} in {seen.Lane} at {Seconds(seen.At):0.0} s ({seen.Speed:0.00} h/s) ");
        text.Append(seen.Outcome switch
        {
            PassageOutcome.FirstSeenPastTheLine => "was first seen past its line and not seen driving on along it: not judged",
            PassageOutcome.SameVehicle => $"was first seen past its line where vehicle #{seen.Other} had just been lost: taken as that one, not judged again",
            PassageOutcome.TookAnothersBox => $"took the box of vehicle #{seen.Other}, just lost there, on the crosswalk: no candidate from it",
            PassageOutcome.Candidate => "made a candidate that did not match (its moment on the line is outside the window or elsewhere)",
            _ => seen.Pedestrians.Count == 0 ? "crossed with no pedestrian on the crosswalk" : "crossed with no pedestrian counted: " + string.Join(", ", seen.Pedestrians.Select(Verdict)),
        });
        return text.ToString();
    }

    private static string Verdict(PedestrianSeen p) => p.Verdict switch
    {
        PedestrianVerdict.TooBrief => string.Create(CultureInfo.InvariantCulture, $"#{p.TrackId} in the zone for {p.Frames} frame(s) only, too briefly"),
        _ => $"#{p.TrackId} {Words(p.Verdict.ToString())}",
    };

    /// <summary>A false candidate as the rule gave it: vehicle, lane, moment, and each pedestrian counted with where, how far, how fast, how long.</summary>
    private static string Reasons(ViolationCandidate candidate) => string.Create(
        CultureInfo.InvariantCulture,
        $"#{candidate.VehicleTrackId} in {candidate.Lane} on the line at {Seconds(candidate.OnLine.At):0.0} s ({candidate.VehicleSpeed:0.00} h/s{(candidate.StoppedBeforeLine ? ", stopped before the line" : "")}): ") +
        string.Join(", ", candidate.Pedestrians.Select(p => string.Create(CultureInfo.InvariantCulture, $"#{p.TrackId} {p.Where.Text()} ({p.LanesFromVehicleLane:0.00} lanes, {p.Speed:0.00} h/s, {p.FramesInConflict} frames)")));

    private static void Print(List<ClipScore> scores)
    {
        var all = Totals(scores);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"clips {scores.Count}   labelled violations {all.Labelled}   candidates {all.Hits + all.False}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"precision {all.Precision:0.000}   recall {all.Recall:0.000}   F1 {all.F1:0.000}"));
        Table("kind", scores.GroupBy(s => s.Kind));
        Table("condition", scores.GroupBy(s => s.Condition));
        List("missed", scores.SelectMany(s => s.Misses).ToList());
        List("false candidates", scores.SelectMany(s => s.FalseCandidates).ToList());
    }

    private static void Table(string title, IEnumerable<IGrouping<string, ClipScore>> groups)
    {
        Console.WriteLine();
        Console.WriteLine($"{title,-30} clips  labelled  matched  missed  false  precision  recall     F1");
        foreach (var group in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var t = Totals(group);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group.Key,-30} {group.Count(),5} {t.Labelled,9} {t.Hits,8} {t.Labelled - t.Hits,7} {t.False,6} {t.Precision,10:0.000} {t.Recall,7:0.000} {t.F1,6:0.000}"));
        }
    }

    private static void List(string title, List<string> lines)
    {
        Console.WriteLine();
        Console.WriteLine($"{title}: {lines.Count}");
        foreach (var line in lines)
        {
            Console.WriteLine("  " + line);
        }
    }

    /// <summary>Sums over clips; precision is 1 with no candidate and recall 1 with no label (so a clean suite without violations scores 1).</summary>
    private static Tally Totals(IEnumerable<ClipScore> scores)
    {
        int labelled = 0, hits = 0, falses = 0;
        foreach (var s in scores)
        {
            labelled += s.Labelled;
            hits += s.Hits;
            falses += s.FalseCandidates.Count;
        }

        var precision = hits + falses == 0 ? 1 : (double)hits / (hits + falses);
        var recall = labelled == 0 ? 1 : (double)hits / labelled;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Tally(labelled, hits, falses, precision, recall, f1);
    }

    private static double Seconds(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).TotalSeconds;

    /// <summary>"TooFewFrames" → "too few frames".</summary>
    private static string Words(string pascal)
    {
        var text = new StringBuilder();
        foreach (var ch in pascal)
        {
            if (char.IsUpper(ch) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(ch));
        }

        return text.ToString();
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

    /// <summary>One clip's result: how many labelled violations were matched, and a line for each miss and false candidate.</summary>
    internal sealed record ClipScore(string Clip, string Kind, string Condition, int Labelled, int Hits, IReadOnlyList<string> FalseCandidates, IReadOnlyList<string> Misses);

    /// <summary>
    /// What <c>--detections</c> keeps of a clip: its length (to notice a clip made again) and each frame's objects by
    /// sequence number (a recording from before, without them, reads as none and is made again). A trimmed input's
    /// recordings have a name of their own.
    /// </summary>
    private sealed record DetectionRecording(long ClipBytes, RecordedFrame[]? Frames);

    private sealed record Tally(int Labelled, int Hits, int False, double Precision, double Recall, double F1);
}
