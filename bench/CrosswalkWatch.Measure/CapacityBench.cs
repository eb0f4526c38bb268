using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge;
using CrosswalkWatch.Scenarios;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Measure;

/// <summary>
/// <c>cww bench capacity</c>: N simulated cameras through the whole edge box (ingest, shared detector, trackers, yield
/// rules, evidence, case store), to find how many cameras one box holds at the detection rate asked for.
/// </summary>
public static class CapacityBench
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static Command Create(Func<LogLevel, ILoggerFactory> logging)
    {
        var cameras = new Option<string>("--cameras") { Description = "Cameras to run, or a list to run one after the other (e.g. 1,2,4,6).", DefaultValueFactory = _ => "1" };
        var fps = new Option<double>("--fps") { Description = "Detection frames per second asked of every camera.", DefaultValueFactory = _ => 5 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per run (after a warm-up).", DefaultValueFactory = _ => 60 };
        var model = new Option<string>("--detector") { Description = "yolox-nano or fastestdet.", DefaultValueFactory = _ => "yolox-nano" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads.", DefaultValueFactory = _ => 2 };
        var load = new Option<string>("--load")
        {
            Description = "stress: a generated violation every 10 s per camera; realistic: the real footage (a busy crossing) four times, then the generated violation, a loop of about a minute, each camera starting it at its own second; quiet: as realistic, with the empty street (nothing moving) instead of the footage, as a crossing at night or off-peak.",
            DefaultValueFactory = _ => "stress",
        };
        load.AcceptOnlyFromAmong("stress", "realistic", "quiet");
        var confirm = new Option<bool>("--confirm") { Description = "After the runs asked for, run the number of cameras the last one projects, to confirm it." };
        var flap = new Option<double>("--flap")
        {
            Description = "For a soak run: the last camera loses its stream every N minutes for 30 s and comes back (its own simulator killed and restarted); with --seconds 1800, memory, threads and open files each minute and the growth after the first quarter. 0 (default): never.",
            DefaultValueFactory = _ => 0,
        };
        var trim = new Option<bool>("--trim-input") { Description = "YOLOX-Nano on the letterboxed picture without its padding (detector.trimInput)." };
        var gate = new Option<bool>("--motion-gate") { Description = "Gate the detector on motion, as a box does by default (ingest.motionGate); --motion-gate false detects every frame at --fps.", DefaultValueFactory = _ => true };
        var command = new Command(
            "capacity",
            "N simulated cameras (1080p25 main stream recorded, 640x360 sub-stream detected; a looped clip with a violation) through the whole edge box: detection fps per camera, drops, candidate latency, CPU per stage and memory, the cameras per box projected from the cost per camera. The headline: the largest N that holds --fps per camera.")
        {
            cameras, fps, seconds, model, threads, load, confirm, flap, gate, trim,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var counts = ParseCounts(result.GetRequiredValue(cameras));
            var repo = Assets.RepositoryRoot() ?? throw new InvalidOperationException("run cww from inside the repository (the folder holding CrosswalkWatch.sln)");
            var work = Path.Combine(repo, "var", "bench", "capacity");
            var clips = await MakeClipsAsync(repo, work, result.GetRequiredValue(load), cancellationToken).ConfigureAwait(false);
            var rows = new List<Row>();
            var options = new RunOptions(result.GetValue(fps), TimeSpan.FromSeconds(result.GetValue(seconds)), result.GetRequiredValue(model), result.GetValue(threads), TimeSpan.FromMinutes(result.GetValue(flap)), result.GetValue(gate), result.GetValue(trim));
            Task<Row> Run(int count) => RunAsync(count, options, clips, work, logging, cancellationToken);
            foreach (var count in counts)
            {
                rows.Add(await Run(count).ConfigureAwait(false));
            }

            if (result.GetValue(confirm) && (int)Math.Floor(rows[^1].Stages.Projected) is var projected and >= 1 and <= 64 && rows.All(r => r.Cameras != projected))
            {
                Console.WriteLine($"confirming the projection: {projected} camera(s)");
                rows.Add(await Run(projected).ConfigureAwait(false));
            }

            if (rows.Count > 1)
            {
                Console.WriteLine();
                Console.WriteLine("cameras  min fps  mean fps  holds  skipped  drops  candidates  decided p50/p95  stored p50/p95  CPU cores  per cam.  projected     peak RSS     peak PSS");
                foreach (var row in rows)
                {
                    Console.WriteLine(row.Line());
                }

                var (fewest, most) = (rows.MinBy(r => r.Cameras)!, rows.MaxBy(r => r.Cameras)!);
                if (most.Cameras > fewest.Cameras)
                {
                    double PerCamera(long a, long b) => (b - a) / (1024.0 * 1024) / (most.Cameras - fewest.Cameras);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory per added camera ({fewest.Cameras} to {most.Cameras}): PSS {PerCamera(fewest.PeakPss, most.PeakPss):0} MB, RSS {PerCamera(fewest.PeakRss, most.PeakRss):0} MB (RSS counts the libraries each ffmpeg shares)"));
                }
            }

            var holding = rows.Where(r => r.Holds).Select(r => r.Cameras).DefaultIfEmpty(0).Max();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"headline: {holding} camera(s) held {result.GetValue(fps)} fps each (of {string.Join(", ", counts)} tried)"));
            return 0;
        });
        return command;
    }

    private static List<int> ParseCounts(string text)
    {
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 64)
            {
                throw new ArgumentException($"--cameras: '{part}' is not a camera count from 1 to 64 (e.g. --cameras 4 or --cameras 1,2,4)");
            }

            counts.Add(n);
        }

        return counts.Count > 0 ? counts : throw new ArgumentException("--cameras: give a count or a list such as 1,2,4");
    }

    private sealed record Clips(string Main, string Sub, string Scene, bool Realistic);

    /// <summary>
    /// One generated pedestrian-in-lane clip (a violation every loop), as a 1080p25 main and a 640x360 sub-stream file,
    /// made once; for the realistic load, the real footage four times before it (the generator draws on that footage,
    /// so the scene is the same); for the quiet load, the generator's empty street for as long.
    /// </summary>
    private static async Task<Clips> MakeClipsAsync(string repo, string work, string load, CancellationToken cancellationToken)
    {
        var realistic = load != "stress"; // a violation a minute, the cameras staggered
        var name = load == "stress" ? "violation" : load;
        var main = Path.Combine(work, $"{name}_1080p25.mp4");
        var sub = Path.Combine(work, $"{name}_360p25.mp4");
        var scenes = Path.Combine(work, "scenario");
        var scene = Path.Combine(scenes, "scene.yaml");
        if (File.Exists(main) && File.Exists(sub) && File.Exists(scene))
        {
            return new Clips(main, sub, scene, realistic);
        }

        Console.WriteLine($"making the capacity clips in {work} (once)…");
        var generated = await ScenarioGenerator.GenerateAsync(
            ScenarioOptions.FromRepository(repo, scenes, seed: 11, count: 1) with { Kinds = [ScenarioKind.PedestrianInLane] },
            progress: null,
            cancellationToken).ConfigureAwait(false);
        var source = generated[0].VideoPath;
        if (load == "realistic")
        {
            var joined = Path.Combine(work, "realistic_joined.mp4");
            await BenchCommands.JoinAsync([.. Enumerable.Repeat(Assets.SampleFootage(), 4), source], "1920:1080", joined, cancellationToken).ConfigureAwait(false);
            source = joined;
        }
        else if (load == "quiet")
        {
            // As long as the footage four times (4 × 143 frames at 30 fps), of the street the generator draws on, empty.
            var still = Path.Combine(work, "quiet_street.mp4");
            await BenchCommands.StillAsync(Path.Combine(scenes, "assets", "background.png"), 4 * 143 / 30.0, still, cancellationToken).ConfigureAwait(false);
            var joined = Path.Combine(work, "quiet_joined.mp4");
            await BenchCommands.JoinAsync([still, source], "1920:1080", joined, cancellationToken).ConfigureAwait(false);
            source = joined;
        }

        await BenchCommands.EncodeAsync(source, "fps=25", sub + ".part.mp4", cancellationToken, size: "640:360").ConfigureAwait(false);
        File.Move(sub + ".part.mp4", sub, overwrite: true);
        await BenchCommands.EncodeAsync(source, "fps=25", main + ".part.mp4", cancellationToken, size: "1920:1080").ConfigureAwait(false);
        File.Move(main + ".part.mp4", main, overwrite: true);
        return new Clips(main, sub, scene, realistic);
    }

    /// <summary>
    /// Camera <paramref name="index"/>'s copy of the realistic clip (<paramref name="loop"/> seconds long), started its share of the loop later (the clip cut
    /// at a whole second and the part before put after it, by stream copy): a city's cameras do not see their
    /// violations in the same second, and the box should not be measured as if they did. Main and sub-stream are cut
    /// at the same second, where both have a key frame (one a second), so they stay in step. Made once per offset.
    /// </summary>
    private static async Task<(string Main, string Sub)> StaggeredAsync(Clips clips, double loop, int index, int count, string work, CancellationToken cancellationToken)
    {
        var offset = (int)Math.Floor(index * loop / count);
        if (offset == 0)
        {
            return (clips.Main, clips.Sub);
        }

        var rotated = new List<string>();
        foreach (var clip in (string[])[clips.Main, clips.Sub])
        {
            var output = Path.Combine(work, "staggered", $"{Path.GetFileNameWithoutExtension(clip)}+{offset}s.mp4");
            if (!File.Exists(output))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(output)!);
                await BenchCommands.RotateAsync(clip, offset, output + ".part.mp4", cancellationToken).ConfigureAwait(false);
                File.Move(output + ".part.mp4", output);
            }

            rotated.Add(output);
        }

        return (rotated[0], rotated[1]);
    }

    /// <summary>How each run goes: the detection rate, the measured window, the detector and its threads, and how often the flapping camera dies (zero: never).</summary>
    private sealed record RunOptions(double Fps, TimeSpan Window, string Model, int Threads, TimeSpan Flap, bool MotionGate, bool TrimInput);

    private static async Task<Row> RunAsync(int count, RunOptions options, Clips clips, string work, Func<LogLevel, ILoggerFactory> logging, CancellationToken cancellationToken)
    {
        var (fps, window, model, threads, flap, motionGate, trimInput) = options;
        var data = Path.Combine(work, $"run-{count}");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }

        // Main and sub-stream served as two paths without re-encoding, so the simulator costs little beside the box.
        var ids = Enumerable.Range(1, count).Select(i => $"cam{i}").ToList();
        var served = new List<(string Path, string File)>();
        var loop = clips.Realistic ? await BenchCommands.DurationAsync(clips.Main, cancellationToken).ConfigureAwait(false) : 0;
        for (var i = 0; i < count; i++)
        {
            var (main, sub) = clips.Realistic ? await StaggeredAsync(clips, loop, i, count, work, cancellationToken).ConfigureAwait(false) : (clips.Main, clips.Sub);
            served.AddRange([(ids[i], main), ($"{ids[i]}-sub", sub)]);
        }

        // A flapping camera has a simulator of its own, killed and restarted on the same port.
        var flapping = flap > TimeSpan.Zero ? ids[^1] : null;
        if (flapping is not null && count < 2)
        {
            throw new ArgumentException("--flap needs two cameras or more: the last one flaps, the others keep streaming");
        }

        bool OfFlapping((string Path, string File) s) => s.Path == flapping || s.Path == $"{flapping}-sub";
        SimulatorOptions Serving(IEnumerable<(string Path, string File)> cameras) => new()
        {
            Cameras = cameras.ToList(),
            Port = CameraSimulator.FreePort(),
            Copy = true,
            SubStream = false,
        };
        using var simulator = await CameraSimulator.StartAsync(Serving(served.Where(s => !OfFlapping(s))), cancellationToken: cancellationToken).ConfigureAwait(false);
        using var flapper = flapping is null ? null : await CameraSimulator.StartAsync(Serving(served.Where(OfFlapping)), cancellationToken: cancellationToken).ConfigureAwait(false);
        CameraSimulator ServerOf(string id) => id == flapping ? flapper! : simulator;
        var ingest = new IngestSettings { DetectFps = fps, KeepMinutes = 5, MinFreeMegabytes = 256, MotionGate = motionGate };
        var config = new CwwConfig
        {
            Site = new SiteConfig { Id = "bench", Name = "capacity benchmark" },
            Paths = new PathsConfig { Data = data, Models = Path.Combine(Assets.RepositoryRoot()!, "var", "models") },
            Detector = new DetectorConfig { Type = model, Threads = threads, TrimInput = trimInput },
            Ingest = ingest,
            Messaging = new MessagingConfig { Port = CameraSimulator.FreePort() }, // the embedded broker, as on a box
            Cameras = ids.Select(id => new CameraConfig
            {
                Id = id,
                Place = "generated crossing",
                Direction = "towards the camera",
                Url = ServerOf(id).MainUrl(id),
                SubUrl = ServerOf(id).MainUrl($"{id}-sub"),
                Scene = clips.Scene,
                Ingest = ingest,
                Rule = clips.Realistic ? new YieldRuleSettings() : new YieldRuleSettings { DedupSeconds = 5 }, // stress: the clip loops every 10 s, each loop's vehicle counts
            }).ToList(),
        };

        using var loggers = logging(LogLevel.Warning);
        var measuring = false;
        var leaving = new ConcurrentDictionary<(string Camera, int Track), DateTimeOffset>();
        var decided = new ConcurrentBag<double>();
        var stored = new ConcurrentBag<double>();
        await using var box = await EdgeBox.StartAsync(
            config,
            loggers,
            candidate =>
            {
                if (Volatile.Read(ref measuring))
                {
                    leaving[(candidate.CameraId, candidate.VehicleTrackId)] = candidate.Leaving.At;
                    decided.Add((DateTimeOffset.UtcNow - candidate.Leaving.At).TotalSeconds);
                }
            },
            onStored: record =>
            {
                if (leaving.TryGetValue((record.CameraId, record.VehicleTrackId), out var at))
                {
                    stored.Add((DateTimeOffset.UtcNow - at).TotalSeconds);
                }
            },
            cancellationToken).ConfigureAwait(false);

        Console.WriteLine($"bench capacity: {count} camera(s), {fps} detection fps each, {(clips.Realistic ? "realistic load (a violation a minute)" : "stress load (a violation every 10 s)")}, {model}{(trimInput ? " trimmed to the picture" : "")} ({threads} threads), motion gate {(motionGate ? "on" : "off")}, {Environment.ProcessorCount} cores");
        foreach (var runner in box.Ingest.Cameras)
        {
            await runner.WaitForAsync(h => h.State == CameraState.Streaming && h.Frames >= 5, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }

        await Task.Delay(WarmUp, cancellationToken).ConfigureAwait(false);
        HashSet<int> Exclude() => [simulator.ProcessId ?? -1, flapper?.ProcessId ?? -1]; // the flapping one's changes
        var before = box.Scheduler.Shares();
        var dropsBefore = box.Ingest.Health().Sum(h => h.Drops);
        var usageBefore = ProcessTreeUsage.Sample(Exclude());
        var busyBefore = box.Pipelines.Select(p => p.Busy).ToList();
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        long peakRss = 0;
        var (peakPss, ownPss, managed) = (0L, 0L, 0L);
        (long Own, long Children) Pss()
        {
            var (own, children) = ProcessTreeUsage.ProportionalBytes(Exclude());
            if (own + children > peakPss)
            {
                (peakPss, ownPss, managed) = (own + children, own, GC.GetGCMemoryInfo().HeapSizeBytes);
            }

            return (own, children);
        }

        using var stopFlapping = new CancellationTokenSource();
        var flaps = flapper is null ? Task.CompletedTask : FlapAsync(flapper, flapping!, flap, clock, stopFlapping.Token);
        var soak = window >= TimeSpan.FromMinutes(5);
        var trend = new List<(double Minutes, long Pss)>();
        var nextMinute = 1;
        while (clock.Elapsed < window)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            peakRss = Math.Max(peakRss, ProcessTreeUsage.Sample(Exclude()).ResidentBytes);
            if ((int)clock.Elapsed.TotalSeconds % 10 == 0 && !soak)
            {
                Pss(); // every 10 s: it walks the page tables
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds:0} s: {string.Join("  ", box.Scheduler.Shares().Select(s => $"{s.CameraId} {s.AchievedFps:0.0} fps"))}{(box.Scheduler.Overloaded ? "  (overloaded)" : "")}"));
            }

            if (soak && clock.Elapsed.TotalMinutes >= nextMinute)
            {
                nextMinute++;
                var (own, children) = Pss();
                trend.Add((clock.Elapsed.TotalMinutes, own + children));
                var cameras = box.Ingest.Health();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalMinutes:0} min: PSS {(own + children) / (1024.0 * 1024):0} MB (cww {own / (1024.0 * 1024):0} MB, managed {GC.GetGCMemoryInfo().HeapSizeBytes / (1024.0 * 1024):0} MB), threads {Process.GetCurrentProcess().Threads.Count}, open files {Directory.GetFiles("/proc/self/fd").Length}, frames held {box.Pool.Outstanding}, min fps {box.Scheduler.Shares().Min(s => s.AchievedFps):0.0}, drops {cameras.Sum(h => h.Drops) - dropsBefore}, reconnects {cameras.Sum(h => h.Reconnects)}, packages {box.Evidence.Written} ({box.Evidence.Failed} failed)"));
            }
        }

        await stopFlapping.CancelAsync().ConfigureAwait(false);
        await flaps.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (trend.Count >= 4)
        {
            var settled = trend[trend.Count / 4]; // after a quarter of the run: warmed up, the first packages built
            var growth = (trend[^1].Pss - settled.Pss) / (double)settled.Pss;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory trend: PSS {settled.Pss / (1024.0 * 1024):0} MB at {settled.Minutes:0} min, {trend[^1].Pss / (1024.0 * 1024):0} MB at {trend[^1].Minutes:0} min: {growth:+0.0%;-0.0%} (a leak grows; flat is under +5 %)"));
        }

        Volatile.Write(ref measuring, false);
        Pss();
        var elapsed = clock.Elapsed.TotalSeconds;
        var usageAfter = ProcessTreeUsage.Sample(Exclude());
        var busyAfter = box.Pipelines.Select(p => p.Busy).ToList();
        var after = box.Scheduler.Shares();
        var health = box.Ingest.Health();
        var perCamera = after.Select((s, i) => (s.CameraId, Fps: (s.Detected - before[i].Detected) / elapsed, Skipped: s.Skipped - before[i].Skipped, Gated: (double)(s.Gated - before[i].Gated) / Math.Max(1, s.Detected - before[i].Detected))).ToList();
        var candidates = decided.Count;
        Console.WriteLine("  finishing the evidence of the candidates decided in the window…");
        await box.StopAsync().ConfigureAwait(false);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measured {elapsed:0.0} s"));
        Console.WriteLine($"camera  detect fps  skipped  ingest drops  reconnects  gated by motion{(motionGate ? "" : " (gate off)")}");
        foreach (var (camera, cameraFps, skipped, gated) in perCamera)
        {
            var h = health.First(x => x.CameraId == camera);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{camera,-6}  {cameraFps,10:0.00}  {skipped,7}  {h.Drops,12}  {h.Reconnects,10}  {gated,15:P0}"));
        }

        var stages = new Stages(
            (usageAfter.ChildrenCpu - usageBefore.ChildrenCpu).TotalSeconds / elapsed / count,
            (usageAfter.EndedChildrenCpu - usageBefore.EndedChildrenCpu).TotalSeconds / elapsed / count,
            (usageAfter.OwnCpu - usageBefore.OwnCpu).TotalSeconds / elapsed / count,
            busyAfter.Zip(busyBefore, (a, b) => (a.Detect - b.Detect).TotalSeconds).Sum() / elapsed / count,
            busyAfter.Zip(busyBefore, (a, b) => (a.Decide - b.Decide).TotalSeconds).Sum() / elapsed / count,
            threads);
        Console.WriteLine(stages.Table());
        // The flapping camera is down a tenth of the time by design: whether the box holds the rate is the others' say.
        var steady = perCamera.Where(c => c.CameraId != flapping).ToList();
        if (flapping is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{flapping} flapped (its stream cut every {flap.TotalMinutes:0.#} min for 30 s): {perCamera.Single(c => c.CameraId == flapping).Fps:0.00} fps; the rate held is judged on the other cameras"));
        }

        var row = new Row(
            count,
            steady.Min(c => c.Fps),
            perCamera.Average(c => c.Fps),
            steady.Min(c => c.Fps) >= fps * 0.95,
            perCamera.Sum(c => c.Skipped),
            health.Sum(h => h.Drops) - dropsBefore,
            candidates,
            Percentiles(decided),
            Percentiles(stored),
            (usageAfter.Cpu - usageBefore.Cpu).TotalSeconds / elapsed,
            peakRss,
            peakPss,
            stages);
        Console.WriteLine(row.Summary(fps, box.Evidence.Written, box.Evidence.Failed, box.Pool.Outstanding));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"at the PSS peak: cww {ownPss / (1024.0 * 1024):0} MB (managed heap {managed / (1024.0 * 1024):0} MB), cameras' ffmpeg {(peakPss - ownPss) / (1024.0 * 1024):0} MB"));
        return row;
    }

    /// <summary>Kills the flapping camera's simulator every <paramref name="every"/> and starts it again 30 s later, until stopped.</summary>
    private static async Task FlapAsync(CameraSimulator flapper, string camera, TimeSpan every, Stopwatch clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(every, stop).ConfigureAwait(false);
            flapper.Kill();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalMinutes:0.0} min: {camera}'s stream cut for 30 s"));
            await Task.Delay(TimeSpan.FromSeconds(30), stop).ConfigureAwait(false);
            await flapper.RestartAsync(stop).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalMinutes:0.0} min: {camera}'s stream back"));
        }
    }

    private static (double P50, double P95)? Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return (At(0.50), At(0.95));
    }

    /// <summary>
    /// Where one camera's time goes, in cores (CPU seconds a second) per camera: from /proc, the cameras' ffmpeg (each
    /// decodes and scales its sub-stream and records its main stream by stream copy, in one process), the evidence
    /// builder's ffmpeg runs (clip cuts: the children that ended) and the box's own process (which decodes the evidence
    /// pictures itself); from the pipelines' timers, the wall time of detection (the shared detector's runs, on
    /// <c>threads</c> threads, so up to that many times as much CPU) and of tracking, signal heads and the yield rule.
    /// </summary>
    private sealed record Stages(double CameraFfmpeg, double EvidenceFfmpeg, double Own, double DetectWall, double DecideWall, int Threads)
    {
        public double Total => CameraFfmpeg + EvidenceFfmpeg + Own;

        /// <summary>Cameras the box's cores hold at this cost per camera (the simulator's share left out).</summary>
        public double Projected => Environment.ProcessorCount / Total;

        public string Table() => string.Create(CultureInfo.InvariantCulture, $"""
            where each camera's time goes (cores per camera):
              camera ffmpeg: sub-stream decode and scaling, recording by stream copy  {CameraFfmpeg,6:0.000}
              evidence ffmpeg: clip cuts                                              {EvidenceFfmpeg,6:0.000}
              cww process                                                             {Own,6:0.000}
                of which detection, wall time ({Threads} threads: up to {Threads}x as much CPU)  {DetectWall,6:0.000}
                of which tracking, signal heads and the yield rule, wall time          {DecideWall,6:0.000}
                the rest: evidence photos and plates, store, broker, reading frames  {Math.Max(0, Own - DetectWall - DecideWall),6:0.000} (or less)
              total                                                                   {Total,6:0.000}
            projected: {Environment.ProcessorCount} cores / {Total:0.000} = {Projected:0.0} cameras at this load (the camera simulator left out)
            """);
    }

    private sealed record Row(
        int Cameras,
        double MinFps,
        double MeanFps,
        bool Holds,
        long Skipped,
        long Drops,
        int Candidates,
        (double P50, double P95)? Decided,
        (double P50, double P95)? Stored,
        double Cores,
        long PeakRss,
        long PeakPss,
        Stages Stages)
    {
        private static string Format((double P50, double P95)? p) =>
            p is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.P50:0.00}/{v.P95:0.00} s") : "none";

        public string Summary(double fps, int written, int failed, long outstanding) => string.Create(CultureInfo.InvariantCulture, $"""
            detection fps per camera: min {MinFps:0.00}, mean {MeanFps:0.00} ({(Holds ? "holds" : "does not hold")} {fps} fps); frames skipped by the scheduler {Skipped}, dropped by ingest {Drops}
            candidates decided in the window: {Candidates}; latency from the leaving frame's capture: decided p50/p95 {Format(Decided)}, stored (evidence package and case, waits for 5 s of recording after) p50/p95 {Format(Stored)}
            evidence packages written {written} ({failed} failed); CPU {Cores:0.00} cores (cww + ffmpeg, simulator excluded); peak RSS {PeakRss / (1024.0 * 1024):0} MB, PSS {PeakPss / (1024.0 * 1024):0} MB (shared libraries counted once); frames still held {outstanding}
            """);

        public string Line() => string.Create(CultureInfo.InvariantCulture, $"{Cameras,7}  {MinFps,7:0.00}  {MeanFps,8:0.00}  {(Holds ? "yes" : "no"),5}  {Skipped,7}  {Drops,5}  {Candidates,10}  {Format(Decided),15}  {Format(Stored),14}  {Cores,9:0.00}  {Stages.Total,8:0.000}  {Stages.Projected,9:0.0}  {PeakRss / (1024.0 * 1024),8:0} MB  {PeakPss / (1024.0 * 1024),8:0} MB");
    }
}
