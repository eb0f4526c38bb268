using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Ingest.Cameras;
using CrosswalkWatch.Scenarios;
using CrosswalkWatch.Web.Operators;

namespace CrosswalkWatch.Cli.Commands;

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
        var serve = new Option<bool>("--serve") { Description = "Also serve the web console (web.bind) from this process, with the cameras' live health." };
        var command = new Command("run", "Run the edge pipeline for the cameras of a configuration file.") { config, seconds, serve };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetRequiredValue(config).FullName;
            var settings = ConfigLoader.Load(path);
            await RunEdgeAsync(settings, result.GetValue(seconds), null, cancellationToken, result.GetValue(serve) ? box => ServeAsync(settings, path, null, box, cancellationToken) : null).ConfigureAwait(false);
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
            "The main job on the embedded default: the camera simulator serves the real sample footage (cam1) and a generated violation with a registered official's plate (cam2); the box ingests both, records, detects, tracks, applies the yield rule, builds evidence with the plate read, and matches it against the sample registry.")
        {
            seconds, port,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var footage = Assets.SampleFootage();
            var repo = Assets.RepositoryRoot() ?? Environment.CurrentDirectory;
            var home = Path.Combine(repo, "var", "demo");
            Directory.CreateDirectory(home);
            var violation = await DemoViolationAsync(repo, home, cancellationToken).ConfigureAwait(false);
            var rtspPort = PortIsFree(result.GetValue(port)) ? result.GetValue(port) : CameraSimulator.FreePort();
            using var simulator = await CameraSimulator.StartAsync(
                new SimulatorOptions { Cameras = [("cam1", footage), ("cam2", violation.VideoPath)], Port = rtspPort, Fps = 10 },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"camera simulator: {string.Join("  ", simulator.Urls)}");
            Console.WriteLine($"  cam1: the real sample footage {footage}");
            Console.WriteLine($"  cam2: a generated violation {violation.VideoPath} (the vehicle's plate is in the sample registry)");

            var configPath = Path.Combine(home, "cww.yaml");
            var brokerPort = PortIsFree(1883) ? 1883 : CameraSimulator.FreePort();
            var scenes = DemoScenes(home, Path.Combine(repo, "samples", "scenes", "rox_crosswalk_elevated.yaml"), Path.Combine(Path.GetDirectoryName(violation.VideoPath)!, "scene.yaml"));
            await File.WriteAllTextAsync(configPath, DemoConfig(simulator, scenes[0], scenes[1], brokerPort), cancellationToken).ConfigureAwait(false);
            var settings = ConfigLoader.Load(configPath);
            Console.WriteLine($"configuration: {configPath}");

            // The sample registry of fictional officials, whose plates are those of the generated scenario suite.
            var registered = await RegistryCommands.ImportAsync(RegistryCommands.SampleFile(), (settings.Storage, settings.Paths.Data), cancellationToken).ConfigureAwait(false);
            if (registered != 0)
            {
                return registered;
            }

            Console.WriteLine($"recordings:    {CameraFactory.RecordingDirectory(settings.Paths.Data, "cam1")}");

            var webBind = $"http://127.0.0.1:{(PortIsFree(8080) ? 8080 : CameraSimulator.FreePort())}";
            var accounts = await DemoAccountsAsync(settings, cancellationToken).ConfigureAwait(false);
            var clipsDone = false;
            await RunEdgeAsync(settings, result.GetValue(seconds), async (ingest, elapsed) =>
            {
                // Once enough is recorded, show the evidence path working: a 10 s clip around 7 s ago.
                if (!clipsDone && elapsed > TimeSpan.FromSeconds(16) && ingest.Camera("cam1").Ring is { } ring)
                {
                    clipsDone = true;
                    var at = DateTimeOffset.UtcNow.AddSeconds(-8);
                    var output = Path.Combine(home, "clips", $"cam1-{at.ToLocalTime():yyyyMMdd-HHmmss}.mp4");
                    var clip = await ring.CutClipAsync(at.AddSeconds(-5), at.AddSeconds(5), output, cancellationToken).ConfigureAwait(false);
                    Console.WriteLine($"evidence clip: {clip.Path} ({clip.Duration.TotalSeconds:0.0} s from {clip.Segments} segments, plays in a browser)");
                }
            }, cancellationToken, box => ServeAsync(settings, configPath, webBind, box, cancellationToken, accounts)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Runs the edge box of <paramref name="config"/>: prints candidates as they are decided and health every few seconds.</summary>
    private static async Task RunEdgeAsync(
        CwwConfig config, double seconds, Func<IngestService, TimeSpan, Task>? onTick, CancellationToken cancellationToken, Func<EdgeBox, Task<IAsyncDisposable>>? alongside = null)
    {
        using var loggers = Logging.Create();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (seconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        Console.WriteLine($"running {config.Cameras.Count(c => c.Enabled)} camera(s){(seconds > 0 ? $" for {seconds:0} s" : "; Ctrl+C stops")}");
        await using var box = await EdgeBox.StartAsync(
            config,
            loggers,
            candidate => Console.WriteLine("candidate " + JsonSerializer.Serialize(candidate, EvidenceJson.Compact)),
            onStored: null,
            stop.Token).ConfigureAwait(false);
        await using var beside = alongside is null ? null : await alongside(box).ConfigureAwait(false);

        var started = DateTimeOffset.UtcNow;
        WriteHealth(config, box);
        using var timer = new PeriodicTimer(HealthEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                WriteHealth(config, box);
                Console.Write(HealthTable.Render(box.Ingest.Health().Select(box.CameraClocks.Apply)));
                Console.Write(HealthTable.Render(box.Evidence.Health));
                Console.Write(HealthTable.Render(box.Clock.Health));
                await box.PublishHealthAsync(stop.Token).ConfigureAwait(false);
                if (box.Pipelines.Count > 0)
                {
                    Console.WriteLine(HealthTable.Render(box.Scheduler.Shares(), box.Scheduler.Overloaded));
                }

                if (onTick is not null)
                {
                    await onTick(box.Ingest, DateTimeOffset.UtcNow - started).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by --seconds or Ctrl+C.
        }

        if (box.Evidence.Pending > 0)
        {
            Console.WriteLine($"finishing {box.Evidence.Pending} evidence package(s) while the cameras keep recording (up to {EdgeBox.FinishTimeout.TotalSeconds:0} s)…");
        }

        await box.StopAsync().ConfigureAwait(false);
        foreach (var pipeline in box.Pipelines)
        {
            var tracks = string.Join(", ", pipeline.TracksByClass.Select(p => $"{p.Value} {p.Key}"));
            Console.WriteLine($"camera {pipeline.CameraId}: {pipeline.Frames} frames detected, tracks: {(tracks.Length == 0 ? "none" : tracks)}");
        }

        WriteHealth(config, box);
        Console.WriteLine("stopped; final health:");
        Console.Write(HealthTable.Render(box.Ingest.Health()));
        Console.Write(HealthTable.Render(box.Evidence.Health));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frames handed on: {box.Pool.Rented}, still held: {box.Pool.Outstanding}; violation candidates: {box.Candidates}, evidence packages: {box.Evidence.Written} ({box.Evidence.Failed} failed, {box.Evidence.Health.Held} held for lack of space or a clock off)"));
    }

    /// <summary>The web console beside the edge box, reading the box's live camera health; prints the demo accounts when given.</summary>
    private static async Task<IAsyncDisposable> ServeAsync(CwwConfig settings, string configPath, string? bind, EdgeBox box, CancellationToken cancellationToken, IReadOnlyList<(string User, string Password)>? accounts = null)
    {
        var console = await ServeCommands.StartAsync(settings, configPath, bind, new LiveCameraHealth(box.Ingest.Health), cancellationToken).ConfigureAwait(false);
        if (accounts is not null)
        {
            Console.WriteLine("  demo accounts (this demo's data only; user / password):");
            foreach (var (user, password) in accounts)
            {
                Console.WriteLine($"    {user,-9} / {password,-22} {Web.Accounts.Roles.Title(user)}: {Web.Accounts.Roles.Home(user)}");
            }
        }

        return console;
    }

    /// <summary>One account per role for the demo, named as the role, made once in the demo's store.</summary>
    private static async Task<IReadOnlyList<(string User, string Password)>> DemoAccountsAsync(CwwConfig settings, CancellationToken cancellationToken)
    {
        using var store = Storage.ConsoleStore.Open(settings.Storage, settings.Paths.Data);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var service = new Web.Accounts.AccountService(store, settings.Web, TimeProvider.System);
        var accounts = Web.Accounts.Roles.All.Select(role => (role, $"demo-{role}-password")).ToList();
        foreach (var (user, password) in accounts)
        {
            if (await store.FindAsync(user, cancellationToken).ConfigureAwait(false) is null)
            {
                await service.CreateAsync(user, user, password, "cww demo", cancellationToken).ConfigureAwait(false);
            }
        }

        return accounts;
    }

    /// <summary>
    /// The demo cameras' scene files, copied once into var/demo/scenes: operators edit these from the console, never
    /// the repository's samples.
    /// </summary>
    private static string[] DemoScenes(string home, params string[] sources)
    {
        var folder = Path.Combine(home, "scenes");
        Directory.CreateDirectory(folder);
        return sources.Select((source, i) =>
        {
            var copy = Path.Combine(folder, $"cam{i + 1}.yaml");
            if (!File.Exists(copy))
            {
                File.Copy(source, copy);
            }

            return copy;
        }).ToArray();
    }

    /// <summary>The cameras' health into DATA/health/cameras.json, for a web console running as its own process (`cww serve`).</summary>
    private static void WriteHealth(CwwConfig config, EdgeBox box)
    {
        try
        {
            CameraHealthFile.Write(config.Paths.Data, box.Health(), DateTimeOffset.UtcNow, $"cww (process {Environment.ProcessId})", box.Clock.Health);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cannot write the health file {CameraHealthFile.PathIn(config.Paths.Data)}: {e.Message}");
        }
    }

    private static string DemoConfig(CameraSimulator simulator, string scene, string generatedScene, int brokerPort) => $"""
        # Written by `cww demo`: two simulated cameras, the real sample footage and a generated violation.
        site:
          id: demo-01
          name: Demo intersection (sample footage)
        paths:
          data: .
          models: ../models
        messaging:
          port: {brokerPort}
        cameras:
          - id: cam1
            place: Sample crossing (rox_crosswalk_elevated)
            direction: eastbound
            url: {simulator.MainUrl("cam1")}
            subUrl: {simulator.SubUrl("cam1")}
            scene: {scene}
          - id: cam2
            place: Generated crossing (sample registry plates)
            direction: towards the camera
            url: {simulator.MainUrl("cam2")}
            subUrl: {simulator.SubUrl("cam2")}
            scene: {generatedScene}
        ingest:
          detectFps: 5
          keepMinutes: 10
        """;

    /// <summary>
    /// The demo's generated violation: clip 1 of the seed-7 suite (a vehicle passing a pedestrian in its lane), whose
    /// plate the sample registry gives to a fictional official. Made once into var/demo/scenario (about half a minute).
    /// </summary>
    private static async Task<ScenarioClip> DemoViolationAsync(string repo, string home, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(home, "scenario");
        var existing = Directory.Exists(folder) ? Directory.GetFiles(folder, "001-*.mp4").FirstOrDefault() : null;
        if (existing is not null && File.Exists(Path.Combine(folder, "scene.yaml")))
        {
            return new ScenarioClip(Path.GetFileNameWithoutExtension(existing), ScenarioKind.PedestrianInLane, 7, existing, Path.ChangeExtension(existing, ".json"), 1);
        }

        Console.WriteLine($"making the demo's generated violation in {folder} (once)…");
        var clips = await ScenarioGenerator.GenerateAsync(
            ScenarioOptions.FromRepository(repo, folder, seed: 7, count: 2),
            progress: null,
            cancellationToken).ConfigureAwait(false);
        return clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
    }

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
