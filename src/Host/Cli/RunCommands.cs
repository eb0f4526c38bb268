using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CrosswalkWatch.Config;
using CrosswalkWatch.Core;
using CrosswalkWatch.Core.Config;
using CrosswalkWatch.Core.Detection;
using CrosswalkWatch.Core.Frames;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Detector.Scene;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Host.Edge;
using System.Text.Json;
using CrosswalkWatch.Ingest.Cameras;
using CrosswalkWatch.Ingest.Recording;
using CrosswalkWatch.Ingest.Simulator;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Host.Cli;

/// <summary>The main job: <c>cww run</c> with a configuration, and <c>cww demo</c> on the embedded default.</summary>
internal static class RunCommands
{
    private static readonly TimeSpan HealthEvery = TimeSpan.FromSeconds(5);

    public static Option<FileInfo> ConfigOption() => new("--config", "-c")
    {
        Description = "Configuration file (YAML); `cww config defaults` prints every key.",
        Required = true,
    };

    public static Command Run()
    {
        var config = ConfigOption();
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (default: run until Ctrl+C)." };
        var command = new Command("run", "Run the edge pipeline for the cameras of a configuration file.") { config, seconds };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = ConfigLoader.Load(result.GetRequiredValue(config).FullName);
            await RunEdgeAsync(settings, result.GetValue(seconds), null, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    public static Command Demo()
    {
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (default: run until Ctrl+C)." };
        var port = new Option<int>("--port") { Description = "RTSP port of the camera simulator (a free one is taken if it is busy).", DefaultValueFactory = _ => 8554 };
        var command = new Command(
            "demo",
            "The main job on the embedded default: serves the sample footage through the camera simulator, ingests it as a camera, records evidence segments, and detects, tracks and applies the yield rule.")
        {
            seconds, port,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var footage = Assets.SampleFootage();
            var home = Path.Combine(Assets.RepositoryRoot() ?? Environment.CurrentDirectory, "var", "demo");
            Directory.CreateDirectory(home);
            var rtspPort = PortIsFree(result.GetValue(port)) ? result.GetValue(port) : CameraSimulator.FreePort();
            using var simulator = await CameraSimulator.StartAsync(
                new SimulatorOptions { Cameras = [("cam1", footage)], Port = rtspPort },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"camera simulator: {string.Join("  ", simulator.Urls)}  (sample footage {footage})");

            var configPath = Path.Combine(home, "cww.yaml");
            await File.WriteAllTextAsync(configPath, DemoConfig(simulator, Path.Combine(Assets.RepositoryRoot() ?? Environment.CurrentDirectory, "samples", "scenes", "rox_crosswalk_elevated.yaml")), cancellationToken).ConfigureAwait(false);
            var settings = ConfigLoader.Load(configPath);
            Console.WriteLine($"configuration: {configPath}");
            Console.WriteLine($"recordings:    {CameraFactory.RecordingDirectory(settings.Paths.Data, "cam1")}");

            var clipsDone = false;
            await RunEdgeAsync(settings, result.GetValue(seconds), async (ingest, elapsed) =>
            {
                // Once enough is recorded, show the evidence path working: a 10 s clip around 7 s ago.
                if (!clipsDone && elapsed > TimeSpan.FromSeconds(16) && ingest.Camera("cam1").Ring is { } ring)
                {
                    clipsDone = true;
                    var at = DateTimeOffset.UtcNow.AddSeconds(-8);
                    var output = Path.Combine(home, "clips", $"cam1-{at.ToLocalTime():yyyyMMdd-HHmmss}.mp4");
                    var clip = await ClipCutter.CutAsync(ring, at.AddSeconds(-5), at.AddSeconds(5), output, cancellationToken).ConfigureAwait(false);
                    Console.WriteLine($"evidence clip: {clip.Path} ({clip.Duration.TotalSeconds:0.0} s from {clip.Segments} segments, plays in a browser)");
                }
            }, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Runs ingest for every enabled camera, drains frames, prints health every few seconds.</summary>
    private static async Task RunEdgeAsync(CwwConfig config, double seconds, Func<IngestService, TimeSpan, Task>? onTick, CancellationToken cancellationToken)
    {
        using var loggers = Logging.Create();
        var pool = new FramePool();
        using var ingest = new IngestService(config, pool, loggers);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (seconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        Console.WriteLine($"running {ingest.Cameras.Count} camera(s){(seconds > 0 ? $" for {seconds:0} s" : "; Ctrl+C stops")}");
        await ingest.StartAsync(stop.Token).ConfigureAwait(false);

        // One detector for the box; per camera with a scene: tracker and yield rule. Cameras without a scene are
        // only recorded and watched (their frames are released unread).
        using var detector = config.Cameras.Any(c => c.Enabled && c.Scene is not null)
            ? DetectorFactory.Create(ModelCommands.Open(config.Paths.Models), new DetectorOptions(config.Detector.Type, config.Detector.Threads, (float)config.Detector.ScoreThreshold))
            : null;
        var candidates = 0;
        var site = new EvidenceSite(config.Site.Id, config.Site.Name, TimeZoneInfo.FindSystemTimeZoneById(config.Site.TimeZone), EvidenceKey.LoadOrCreate(Path.Combine(config.Paths.Data, "keys", "site.key")));
        using var store = new SqliteCaseStore(Path.Combine(config.Paths.Data, config.Storage.SqlitePath));
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        // The plate cascade runs only on candidates, in the evidence writer, off the cameras' frame loops.
        using var plates = detector is null ? null : PlateReader.Create(ModelCommands.Open(config.Paths.Models), new PlateReaderOptions(IntraOpThreads: config.Detector.Threads));
        await using var evidence = new EvidenceWriter(new EvidenceBuilder(Path.Combine(config.Paths.Data, "evidence"), site, plates), store, loggers.CreateLogger("CrosswalkWatch.Evidence"));
        // Cameras with a scene share the detector through the scheduler; the others are only recorded and watched.
        var judged = new List<(CameraRunner Runner, CameraPipeline Pipeline, double ConfiguredFps)>();
        var sources = new Dictionary<string, (EvidenceCamera Camera, IEvidenceSource? Source)>();
        var consumers = new List<Task>();
        foreach (var camera in ingest.Cameras)
        {
            var settings = config.Cameras.First(c => c.Id == camera.CameraId);
            if (detector is null || settings.Scene is not { } scene)
            {
                consumers.Add(Task.Run(async () =>
                {
                    await foreach (var frame in camera.Frames.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        frame.Dispose();
                    }
                }, CancellationToken.None));
                continue;
            }

            var region = settings.DetectRegion is [var x1, var y1, var x2, var y2] ? new Box((float)x1, (float)y1, (float)x2, (float)y2) : (Box?)null;
            judged.Add((camera, new CameraPipeline(camera.CameraId, detector, new SceneModel(SceneLoader.Load(scene)), settings.Rule, region), settings.Ingest.DetectFps));

            // A live camera's evidence comes from its recording ring, once the recording has passed the event by 5 s.
            sources[camera.CameraId] = (
                new EvidenceCamera(settings.Id, settings.Place, settings.Direction),
                camera.Ring is { } ring ? new RingEvidenceSource(ring, EvidenceBuilder.After + TimeSpan.FromSeconds((3 * settings.Ingest.SegmentSeconds) + 5)) : null);
        }

        var scheduler = new DetectionScheduler(judged, candidate =>
        {
            candidates++;
            Console.WriteLine("candidate " + JsonSerializer.Serialize(candidate, ReplayCommand.Json));
            if (sources[candidate.CameraId] is { Source: { } source } where)
            {
                evidence.Enqueue(candidate, where.Camera, source);
            }
        });
        consumers.Add(Task.Run(() => scheduler.RunAsync(CancellationToken.None), CancellationToken.None));

        var started = DateTimeOffset.UtcNow;
        using var timer = new PeriodicTimer(HealthEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                Console.Write(HealthTable.Render(ingest.Health()));
                if (judged.Count > 0)
                {
                    Console.WriteLine(HealthTable.Render(scheduler.Shares(), scheduler.Overloaded));
                }

                if (onTick is not null)
                {
                    await onTick(ingest, DateTimeOffset.UtcNow - started).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by --seconds or Ctrl+C.
        }

        await ingest.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(consumers).ConfigureAwait(false);
        foreach (var (_, pipeline, _) in judged)
        {
            var tracks = string.Join(", ", pipeline.TracksByClass.Select(p => $"{p.Value} {p.Key}"));
            Console.WriteLine($"camera {pipeline.CameraId}: {pipeline.Frames} frames detected, tracks: {(tracks.Length == 0 ? "none" : tracks)}");
        }

        Console.WriteLine("stopped; final health:");
        Console.Write(HealthTable.Render(ingest.Health()));
        await evidence.DisposeAsync().ConfigureAwait(false); // finish the packages still being built
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frames handed on: {pool.Rented}, still held: {pool.Outstanding}; violation candidates: {candidates}, evidence packages: {evidence.Written} ({evidence.Failed} failed)"));
    }

    private static string DemoConfig(CameraSimulator simulator, string scene) => $"""
        # Written by `cww demo`: one simulated camera serving the sample footage.
        site:
          id: demo-01
          name: Demo intersection (sample footage)
        paths:
          data: .
          models: ../models
        cameras:
          - id: cam1
            place: Sample crossing (rox_crosswalk_elevated)
            direction: eastbound
            url: {simulator.MainUrl("cam1")}
            subUrl: {simulator.SubUrl("cam1")}
            scene: {scene}
        ingest:
          detectFps: 5
          keepMinutes: 10
        """;

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
