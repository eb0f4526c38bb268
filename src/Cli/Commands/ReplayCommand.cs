using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Edge.EvidenceQueue;
using CrosswalkWatch.Edge.Pipeline;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Matcher.Matching;
using CrosswalkWatch.Matcher.Registry;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww replay</c>: the edge pipeline on a video file, as fast as possible, one JSON line per candidate.</summary>
internal static class ReplayCommand
{
    /// <summary>The replay's signing key's default place: var/keys/site-private.pem in the repository.</summary>
    internal static string DefaultKeyPath() => EvidenceSigner.DefaultPath(Path.Combine(Assets.RepositoryRoot() ?? Environment.CurrentDirectory, "var"));

    /// <summary>The site id a replay's evidence is issued for.</summary>
    private const string ReplaySite = "replay";

    public static Command Create()
    {
        var video = new Argument<FileInfo>("VIDEO") { Description = "Video file to replay (or a folder of images)." };
        var scene = new Option<FileInfo>("--scene") { Description = "The camera's scene file.", Required = true };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Also write candidates.jsonl and summary.json here." };
        var fps = new Option<double>("--fps") { Description = "Detection frames per second of video.", DefaultValueFactory = _ => 5 };
        var model = new Option<string>("--detector") { Description = "Detector model: yolox-nano or fastestdet.", DefaultValueFactory = _ => "yolox-nano" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads.", DefaultValueFactory = _ => 2 };
        var key = new Option<FileInfo?>("--key") { Description = "Private signing key (ECDSA P-256 PEM) for evidence marks and signatures (default var/keys/site-private.pem, made owner-only on first use); with --out its public key is registered for site 'replay' in OUT/cases.db." };
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Take the yield rule's, the motion gate's, the detector's input trimming and plate reading's settings (rule:, ingest.motionGate and idleFps, detector.trimInput, plates:) from this configuration, to see what a change would do." };
        var registry = new Option<FileInfo?>("--registry") { Description = "Officials' registry CSV (as for `cww registry import`): with --out, each candidate's plate read is matched against it on the event's date, and it is imported into OUT/cases.db with each stored case matched." };
        var command = new Command("replay", "Run the edge pipeline (detect, track, yield rule) on a video file as fast as possible: one JSON line per candidate, then a summary.")
        {
            video, scene, output, fps, model, threads, key, registry, config,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var definition = SceneLoader.Load(result.GetRequiredValue(scene).FullName);
            var models = PipelineFactory.OpenModels();
            var settings = result.GetValue(config) is { } configFile ? ConfigLoader.Load(configFile.FullName) : new CwwConfig();
            using var detector = PipelineFactory.CreateDetector(models, result.GetRequiredValue(model), result.GetValue(threads), trimInput: settings.Detector.TrimInput);
            var file = result.GetRequiredValue(video).FullName;
            var clockStart = File.GetLastWriteTimeUtc(file);
            using var pipeline = PipelineFactory.CreatePipeline("replay", detector, definition, settings.Rule, idleFps: PipelineFactory.IdleFps(settings.Ingest));
            using var loggers = Logging.Create(LogLevel.Warning);
            var outDir = result.GetValue(output);
            if (outDir is not null && File.Exists(outDir.FullName))
            {
                throw new ConfigException($"--out {outDir.FullName}: that is a file; give a folder (made if missing)");
            }

            outDir?.Create();
            await using var lines = outDir is null ? null : new StreamWriter(Path.Combine(outDir.FullName, "candidates.jsonl"));
            var clock = Stopwatch.StartNew();
            var candidates = 0;

            // With --out, each candidate gets its evidence package, cut from the replayed file itself.
            using var plates = outDir is null ? null : PipelineFactory.CreatePlateReader(models, settings.Plates, result.GetValue(threads));
            using var signer = outDir is null ? null : EvidenceSigner.LoadOrCreate(result.GetValue(key)?.FullName ?? DefaultKeyPath());
            var evidence = outDir is null ? null : new EvidenceBuilder(
                Path.Combine(outDir.FullName, "evidence"),
                new EvidenceSite(ReplaySite, Path.GetFileName(file), TimeZoneInfo.Local, signer!),
                plates);
            var evidenceSource = new FileEvidenceSource(file, clockStart);
            // The replay keeps its own cases beside its evidence, whatever the configured store.
            using var cases = outDir is null ? null : Stores.OpenCases(new StorageConfig { SqlitePath = "cases.db" }, outDir.FullName);
            if (cases is not null)
            {
                await cases.MigrateAsync(cancellationToken).ConfigureAwait(false);

                // The replay's store is its own central site: its key is registered there, so `cww review --data OUT` verifies its packages.
                using var siteKeys = SiteKeyStore.Open(new StorageConfig { SqlitePath = "cases.db" }, outDir!.FullName);
                await StoredEvidenceKeys.RegisterOwnAsync(siteKeys, ReplaySite, signer!, cancellationToken).ConfigureAwait(false);
            }

            // The scene goes into each package's candidate.json, so a reviewer sees the geometry the decision was made on.
            var evidenceCamera = new EvidenceCamera(pipeline.CameraId, Path.GetFileName(file), "") { Scene = definition };
            var officials = result.GetValue(registry) is { } csv ? ReadRegistry(csv.FullName) : null;
            var index = officials is null ? null : PlateIndex.Build(officials.Value.Snapshot);
            var plateSettings = settings.Plates;

            // With --out and --registry, the registry is imported into the replay's store too and each stored case is
            // matched like an edge box matches it, so `cww review` and `cww serve` on that store see its official.
            using var officialsStore = cases is null || officials is null ? null : Stores.OpenRegistry(new StorageConfig { SqlitePath = "cases.db" }, outDir!.FullName);
            var intake = officialsStore is null ? null : new CaseIntake(officialsStore, TimeZoneInfo.Local);
            if (officialsStore is not null)
            {
                await officialsStore.ReplaceAsync(officials!.Value.Snapshot, officials.Value.Source, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            }

            // With --out, the same chain as an edge box's: package, case, plate matched, stored.
            var recorder = evidence is null ? null : new CaseRecorder(evidence, cases!, intake, plateSettings);

            async Task EmitAsync(CrosswalkWatch.Domain.Violations.ViolationCandidate candidate)
            {
                candidates++;
                var package = recorder is null ? null : (await recorder.RecordAsync(candidate, evidenceCamera, evidenceSource, cancellationToken).ConfigureAwait(false)).Package;

                var doubt = package?.Plate is { } voted ? PlateCertainty.Doubt(voted, plateSettings) : null;
                var plate = package?.Plate is { } p
                    ? new { text = p.Text, valid = p.Valid, colour = p.Colour, minConfidence = p.MinConfidence, reads = p.Reads, agreeing = p.Agreeing, doubt, characters = p.Characters.Select(c => new { symbol = c.Symbol.ToString(), confidence = c.Confidence }) }
                    : null;
                var match = index is not null && package?.Plate is { } read
                    ? Describe(index.Match(read.Text, DateOnly.FromDateTime(candidate.OnLine.At.LocalDateTime), read.Characters.Select(c => (double)c.Confidence).ToList()), doubt)
                    : null;
                var line = JsonSerializer.Serialize(new { candidate, evidence = package?.Folder, plate, match }, EvidenceJson.Compact);
                Console.WriteLine(line);
                if (lines is not null)
                {
                    await lines.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            var health = await FileReplay.RunAsync(file, result.GetValue(fps), pipeline, clockStart, loggers, EmitAsync, cancellationToken).ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            var summary = new
            {
                video = file,
                frames = pipeline.Frames,
                gated = pipeline.Gated,
                seconds = Math.Round(seconds, 2),
                fps = Math.Round(pipeline.Frames / Math.Max(seconds, 1e-9), 1),
                detections = pipeline.Detections,
                tracks = pipeline.TracksByClass,
                candidates,
                deduplicated = pipeline.Rule.Deduplicated,
                detector = detector.ModelKey,
                state = health.State,
                lastError = health.LastError,
            };
            var text = JsonSerializer.Serialize(summary, EvidenceJson.Compact);
            Console.WriteLine(text);
            if (outDir is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(outDir.FullName, "summary.json"), text, cancellationToken).ConfigureAwait(false);
            }

            return health.State == Domain.Health.CameraState.Failed ? 1 : 0;
        });
        return command;
    }

    /// <summary>The registry of a CSV file and where it came from; a bad file stops the replay with every error listed.</summary>
    private static (RegistrySnapshot Snapshot, RegistrySource Source)? ReadRegistry(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var read = RegistryCsv.Read(bytes, path);
        if (!read.Ok)
        {
            throw new ConfigException($"--registry {path}: {read.Errors.Count} error(s):\n" + string.Join('\n', read.Errors));
        }

        return (read.Snapshot!, new RegistrySource(Path.GetFileName(path), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), read.Encoding));
    }

    /// <summary>
    /// A match for the candidate's JSON line: the accountable official (an exact match of a sure plate only), or the
    /// suggestions a reviewer must confirm — an exact match of a plate in doubt is one of them.
    /// </summary>
    private static object Describe(MatchResult match, string? plateDoubt)
    {
        var suggestions = match.Suggestions.Select(s => new { officialId = s.Official.Id, plate = s.Vehicle.Plate, score = Math.Round(s.Score, 3), doubts = s.Doubts.Select(d => d.ToString()) }).ToList();
        if (plateDoubt is not null && match.Exact is { } exact)
        {
            suggestions.Insert(0, new { officialId = exact.Official.Id, plate = exact.Vehicle.Plate, score = 1.0, doubts = Enumerable.Repeat("plate in doubt: " + plateDoubt, 1) });
        }

        var official = plateDoubt is null ? match.AccountableOfficial : null;
        return new
        {
            kind = official is null && match.Kind == MatchKind.Exact ? MatchKind.Suggested : match.Kind,
            official = official is { } o ? new { o.Id, o.Name, o.Department } : null,
            suggestions,
        };
    }
}
