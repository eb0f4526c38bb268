using System.Buffers;
using CrosswalkWatch.Messaging;
using MQTTnet;

namespace CrosswalkWatch.IntegrationTests.Messaging;

/// <summary>
/// Every box at the central site: two real edge boxes (<c>cww run</c>, one with a camera that cannot be reached) send
/// their health through a real mosquitto to <c>cww central</c>; <c>cww boxes</c> lists both with their cameras; one box
/// stopped (SIGTERM) is shown SILENT after messaging.silentSeconds and one alert says so, and started again it is
/// heard again, in the history too. box-a's other camera is knocked (the footage shifted 5 % after 13 s, served over
/// RTSP): the central site names it moved.
/// </summary>
[Collection(UsesDetectionModels.Name)]
public sealed class BoxWatchTests(DetectionModels models) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Boxes_OneStopped_IsShownSilentWithOneAlert_ThenHeardAgain()
    {
        await using var broker = await Mosquitto.StartAsync();
        using var simulator = await CameraSim.CameraSimulator.StartAsync(new CameraSim.SimulatorOptions
        {
            Cameras = [("north", await FootageVariants.MakeAsync(_temp.Path, "north", FootageVariants.Shifted))],
            Port = CameraSim.CameraSimulator.FreePort(),
            Copy = true,
            SubStream = false,
        });
        var central = await ConfigAsync(broker, "central", "  silentSeconds: 10\n", "");
        var boxA = await ConfigAsync(broker, "box-a", "", $"""
            cameras:
              - id: north
                url: {simulator.MainUrl("north")}
                scene: {Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml")}
                ingest:
                  detectFps: 2
                  record: false
                  viewCheckSeconds: 1
              - id: south
                url: rtsp://127.0.0.1:{CameraSim.CameraSimulator.FreePort()}/nothing-here
            """);
        var boxB = await ConfigAsync(broker, "box-b", "", $"""
            cameras:
              - id: east
                url: {TestAssets.CrosswalkFootage}
                ingest:
                  loop: true
                  record: false
            """);

        // Someone listening for the alerts (the central account may read them).
        var alerts = new List<string>();
        using var listener = new MqttClientFactory().CreateMqttClient();
        listener.ApplicationMessageReceivedAsync += e =>
        {
            lock (alerts)
            {
                alerts.Add(System.Text.Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()));
            }

            return Task.CompletedTask;
        };
        await new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password).ConnectAsync(listener, "alerts-listener", TimeSpan.Zero, CancellationToken.None);
        await listener.SubscribeAsync(Topics.BoxAlerts, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);

        using var consumer = CwwProcess.Start("central", "--config", central);
        await consumer.WaitForOutputAsync("boxes: connected to", Patience);
        using var a = CwwProcess.Start("run", "--config", boxA);
        var b = CwwProcess.Start("run", "--config", boxB);
        try
        {
            var both = await WaitForBoxesAsync(central, o => o.Contains("box-a", StringComparison.Ordinal) && o.Contains("box-b", StringComparison.Ordinal) && o.Contains("1 of 2 streaming", StringComparison.Ordinal), "both boxes, box-a's unreachable camera down", consumer);
            Assert.Matches(@"box-b\s+\d+ s ago\s+ok\s+1 of 1 streaming\s+writing, \d+ MB free", both);
            Assert.Matches(@"south (reconnecting|connecting|stalled)", both);

            // box-a's north camera is knocked 13 s into its footage: the central site names it moved, with the shift.
            var moved = await WaitForBoxesAsync(central, o => o.Contains("north MOVED", StringComparison.Ordinal), "north shown moved", consumer);
            Assert.Contains("north MOVED: shifted 5.0 % right", moved, StringComparison.Ordinal);
            Assert.Matches(@"box-a .* \d+\.\d/2\.0 fps", moved); // the detector's load over its one judged camera (detectFps 2)

            // box-b stops: silent after 10 s without health, one alert.
            Assert.Equal(0, await b.StopAsync(TimeSpan.FromSeconds(60)));
            var silent = await WaitForBoxesAsync(central, o => System.Text.RegularExpressions.Regex.IsMatch(o, @"box-b\s+\d+ s ago\s+SILENT"), "box-b shown silent", consumer);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(silent, @"box-a\s+\d+ s ago\s+ok"), $"box-a not shown ok while box-b is silent:\n{silent}"); // whole table on failure
            Assert.Matches(@"box-a .* 1\.0\.0\+[0-9a-f]+", silent); // the version each box runs
            await Eventually.WaitForAsync(() => Task.FromResult(Alerts(alerts).Any(x => x.Contains("\"kind\":\"silent\"", StringComparison.Ordinal))), "the silence alert", Patience);

            // The operators' Boxes page at the central site shows the same (the console reads the central store).
            await using (var console = new ConsoleServer())
            {
                var settings = CrosswalkWatch.Config.ConfigLoader.Load(central);
                await console.AddAccountsAsync(settings.Storage, settings.Paths.Data);
                await console.StartAsync(central);
                var output = await Browser.RunAsync("operator-boxes", new { baseUrl = console.Address.ToString(), password = ConsoleServer.Password, silent = "box-b", heard = "box-a", down = "south", moved = "north" });
                Assert.Contains("scenario operator-boxes: passed", output, StringComparison.Ordinal);
            }

            // Started again: heard again, the history says both.
            b.Dispose();
            b = CwwProcess.Start("run", "--config", boxB);
            await WaitForBoxesAsync(central, o => System.Text.RegularExpressions.Regex.IsMatch(o, @"box-b\s+\d+ s ago\s+ok"), "box-b heard again", consumer);
            await Eventually.WaitForAsync(() => Task.FromResult(Alerts(alerts).Any(x => x.Contains("\"kind\":\"back\"", StringComparison.Ordinal))), "the heard-again alert", Patience);
            var history = await CwwProcess.RunAsync(Patience, "boxes", "--config", central, "--history", "1");
            Assert.Contains("box-b  SILENT (last heard", history.Output, StringComparison.Ordinal);
            Assert.Contains("box-b  heard again", history.Output, StringComparison.Ordinal);
            Assert.Single(Alerts(alerts), x => x.Contains("\"kind\":\"silent\"", StringComparison.Ordinal) && x.Contains("box-b", StringComparison.Ordinal));
        }
        finally
        {
            b.Dispose();
        }
    }

    public void Dispose() => _temp.Dispose();

    private static List<string> Alerts(List<string> alerts)
    {
        lock (alerts)
        {
            return [.. alerts];
        }
    }

    /// <summary>A configuration in its own folder for <paramref name="site"/> on the broker; <paramref name="messaging"/> adds to the messaging section.</summary>
    private async Task<string> ConfigAsync(Mosquitto broker, string site, string messaging, string rest)
    {
        var folder = _temp.File(site);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "cww.yaml");
        await File.WriteAllTextAsync(path, $"site:\n  id: {site}\npaths:\n  data: data\n  models: {models.ModelsDirectory}\n" + await broker.MessagingYamlAsync(folder) + messaging + rest);
        return path;
    }

    /// <summary>Runs <c>cww boxes</c> until its output meets <paramref name="condition"/>; fails with the last output and the consumer's.</summary>
    private static async Task<string> WaitForBoxesAsync(string config, Func<string, bool> condition, string what, CwwProcess.Running consumer)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var output = (await CwwProcess.RunAsync(Patience, "boxes", "--config", config)).All;
            if (condition(output))
            {
                return output;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}; cww boxes said:\n{output}\ncww central said:\n{consumer.Output}");
            await Task.Delay(1000);
        }
    }
}
