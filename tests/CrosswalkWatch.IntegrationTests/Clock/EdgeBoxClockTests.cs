using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Cli.Commands;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Scenarios;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.IntegrationTests.Clock;

/// <summary>
/// The live edge box (camera simulator over RTSP, the real detector) measuring its clock against a real chronyd 2 s
/// ahead, and its camera's own clock 3 s ahead from its RTCP sender reports: its health says the clock is off, and the
/// package of a violation made meanwhile records both offsets, signed, and still verifies with `cww evidence verify`.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed class EdgeBoxClockTests(GeneratedSuite suite)
{
    [Fact]
    public async Task EdgeBox_ClockTwoSecondsOff_HealthErrorAndThePackageRecordsTheOffsetAndVerifies()
    {
        await using var chrony = await ChronyServer.StartAsync(TimeSpan.FromSeconds(2));
        await using var server = new ConsoleServer();
        var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        // The camera's own clock 3 s ahead of the box's, in the RTCP sender reports it sends.
        using var simulator = await CameraSimulator.StartAsync(new SimulatorOptions { Cameras = [("cam1", clip.VideoPath)], Port = CameraSimulator.FreePort(), Fps = 10, ClockOffset = TimeSpan.FromSeconds(3) });
        var config = new CwwConfig
        {
            Site = new SiteConfig { Id = "test-site", Name = "test" },
            Paths = new PathsConfig { Data = server.Data, Models = suite.ModelsDirectory },
            Messaging = new MessagingConfig { Broker = BrokerKind.None },
            Cameras = [suite.LiveCamera(simulator)],
            Clock = new ClockConfig { Servers = [chrony.Address], CheckSeconds = 4 },
        };
        var stored = System.Threading.Channels.Channel.CreateUnbounded<CaseRecord>();
        using var loggers = Logging.Create(LogLevel.Warning);

        CaseRecord record;
        ClockHealth clock;
        var box = await EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: c => stored.Writer.TryWrite(c), CancellationToken.None);
        await using (box)
        {
            // The clip loops every 5 s: the first package made once the camera's clock was measured (a few seconds in).
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            do
            {
                record = await stored.Reader.ReadAsync(patience.Token);
            }
            while (EvidenceVerifier.ReadManifest(record.EvidenceFolder)?.CameraClock is null);

            clock = box.Clock.Health;
        }

        // The health: an error, with the offset, in the console's table and in the box's message to the central site.
        Assert.Equal(ClockState.Off, clock.State);
        Assert.True(clock.IsError);
        Assert.InRange(clock.OffsetMs!.Value, 1900, 2100);
        Assert.Matches(@"^clock       OFF: off by \+(19\d\d|20\d\d|2100) ms ", HealthTable.Render(clock)); // +1999 ms is as right as +2001
        var (_, payload) = Announcements.BoxHealth("test-site", box.Evidence.Health, clock);
        var summary = Assert.Single(BoxSummary.Of([new BoxHealthRow("test-site", "", "writing", DateTimeOffset.UtcNow, System.Text.Encoding.UTF8.GetString(payload))], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        Assert.Equal(("off", true, 1000), (summary.ClockState, summary.ClockError, summary.ClockMaxOffsetMs));
        Assert.InRange(summary.ClockOffsetMs!.Value, 1900, 2100);

        // The package made meanwhile: the offset inside the signed manifest, and it verifies.
        var recorded = EvidenceVerifier.ReadManifest(record.EvidenceFolder)!.Clock;
        Assert.NotNull(recorded);
        Assert.InRange(recorded.OffsetMs, 1900, 2100);
        Assert.True(recorded.Exceeded);
        var camera = EvidenceVerifier.ReadManifest(record.EvidenceFolder)!.CameraClock!;
        Assert.InRange(camera.OffsetMs, 2700, 3300); // the camera's own clock, from its sender reports
        Assert.True(camera.Exceeded);
        var verified = await CwwProcess.RunAsync(TimeSpan.FromMinutes(1), "evidence", "verify", record.EvidenceFolder, "--data", server.Data);
        Assert.True(verified.ExitCode == 0, verified.All);
        Assert.Contains("intact", verified.Output, StringComparison.Ordinal);

        // The police's case page is told both, from the verified package.
        await server.AddAccountsAsync();
        await server.StartAsync();
        using var police = await server.SignedInClientAsync("police");
        using var page = System.Text.Json.JsonDocument.Parse(await police.GetStringAsync(new Uri($"/api/cases/{record.CaseId}", UriKind.Relative)));
        var evidence = page.RootElement.GetProperty("evidence");
        Assert.True(evidence.GetProperty("clock").GetProperty("exceeded").GetBoolean());
        Assert.True(evidence.GetProperty("cameraClock").GetProperty("exceeded").GetBoolean());
        Assert.InRange(evidence.GetProperty("cameraClock").GetProperty("offsetMs").GetDouble(), 2700, 3300);
    }
}
