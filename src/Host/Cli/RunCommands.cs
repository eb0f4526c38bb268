using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CrosswalkWatch.Config;
using CrosswalkWatch.Core;
using CrosswalkWatch.Core.Config;
using CrosswalkWatch.Host.Edge;
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

            // The sample registry of fictional officials, whose plates are those of the generated scenario suite.
            var registered = await RegistryCommands.ImportAsync(RegistryCommands.SampleFile(), Path.Combine(settings.Paths.Data, settings.Storage.SqlitePath), cancellationToken).ConfigureAwait(false);
            if (registered != 0)
            {
                return registered;
            }

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

    /// <summary>Runs the edge box of <paramref name="config"/>: prints candidates as they are decided and health every few seconds.</summary>
    private static async Task RunEdgeAsync(CwwConfig config, double seconds, Func<IngestService, TimeSpan, Task>? onTick, CancellationToken cancellationToken)
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
            candidate => Console.WriteLine("candidate " + JsonSerializer.Serialize(candidate, ReplayCommand.Json)),
            onStored: null,
            stop.Token).ConfigureAwait(false);

        var started = DateTimeOffset.UtcNow;
        using var timer = new PeriodicTimer(HealthEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                Console.Write(HealthTable.Render(box.Ingest.Health()));
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

        Console.WriteLine("stopped; final health:");
        Console.Write(HealthTable.Render(box.Ingest.Health()));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frames handed on: {box.Pool.Rented}, still held: {box.Pool.Outstanding}; violation candidates: {box.Candidates}, evidence packages: {box.Evidence.Written} ({box.Evidence.Failed} failed)"));
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
