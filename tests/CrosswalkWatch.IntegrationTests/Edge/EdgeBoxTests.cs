using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Cli.Commands;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Edge;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Review;
using CrosswalkWatch.Scenarios;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// The live edge box end to end: a generated violation served over RTSP by the camera simulator (1080p main stream
/// recorded, 640x360 sub-stream detected), the real detector, tracker and rule, and the evidence package cut from the
/// recording ring, announced through a real mosquitto to a central consumer.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed class EdgeBoxTests(GeneratedSuite suite)
{
    [Fact]
    public async Task EdgeBox_LiveCameraWithAViolation_StoresACaseWithAVerifiedPackageAndTheCentralSiteGetsIt()
    {
        await using var broker = await Mosquitto.StartAsync();
        using var data = new TempFolder();
        await File.WriteAllTextAsync(data.File("broker.password"), Mosquitto.Password);
        using var central = new SqliteCaseStore(data.File("central.db"));
        await central.MigrateAsync();
        using var stopCentral = new CancellationTokenSource();
        await using var consumer = new CentralConsumer(
            new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password), "central-1", "central", new CaseStoreSink(central), NullLogger.Instance);
        var consuming = consumer.RunAsync(stopCentral.Token);

        var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        using var simulator = await CameraSimulator.StartAsync(new SimulatorOptions
        {
            Cameras = [("cam1", clip.VideoPath)],
            Port = CameraSimulator.FreePort(),
            Fps = 10,
        });
        var config = new CwwConfig
        {
            Site = new SiteConfig { Id = "test-site", Name = "test" },
            Paths = new PathsConfig { Data = data.Path, Models = suite.ModelsDirectory },
            Messaging = new MessagingConfig { Broker = BrokerKind.External, Port = broker.Port, Username = Mosquitto.User, PasswordFile = data.File("broker.password") },
            Cameras = [suite.LiveCamera(simulator)],
        };
        var stored = new TaskCompletionSource<CaseRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var loggers = Logging.Create(LogLevel.Warning);

        CaseRecord record;
        var box = await EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: c => stored.TrySetResult(c), CancellationToken.None);
        await using (box)
        {
            // The clip loops every 5 s; the package waits for 5 s of recording after the event.
            record = await stored.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }

        Assert.Equal("cam1", record.CameraId);
        using (var truth = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(clip.TruthPath)))
        {
            // The plate cascade read the violating vehicle's plate on the live 1080p recording.
            Assert.Equal(truth.RootElement.GetProperty("violations")[0].GetProperty("plate").GetString(), record.PlateRead);
        }

        Assert.True(Directory.Exists(record.EvidenceFolder), record.EvidenceFolder);
        // Signed by the box's own key, made owner-only on its first start; the central site verifies with its public key.
        var keyFile = EvidenceSigner.DefaultPath(data.Path);
        Assert.True(OperatingSystem.IsLinux());
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        using var signer = EvidenceSigner.Load(keyFile);
        Assert.Empty((await EvidenceVerifier.VerifyAsync(record.EvidenceFolder, EvidenceKeys.Of("test-site", signer))).Problems);
        foreach (var file in new[] { "clip.mp4", "vehicle.jpg", "plate.json", "manifest.json" })
        {
            Assert.True(new FileInfo(Path.Combine(record.EvidenceFolder, file)).Length > 0, $"{file} missing or empty in {record.EvidenceFolder}");
        }

        Assert.Equal(3, Directory.GetFiles(record.EvidenceFolder, "photo*.jpg").Length);
        using var store = new SqliteCaseStore(Path.Combine(data.Path, config.Storage.SqlitePath));
        Assert.NotNull(await store.GetAsync(record.CaseId));
        Assert.Equal(0, box.Pool.Outstanding);

        // The edge announced it through its outbox; the central consumer stored it with the same evidence reference.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await central.GetAsync(record.CaseId) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the case did not reach the central store: " + broker.Log());
            await Task.Delay(100);
        }

        var there = await central.GetAsync(record.CaseId);
        Assert.Equal(record.EvidenceFolder, there!.EvidenceFolder);
        Assert.Equal(record.ManifestSignature, there.ManifestSignature);
        Assert.Equal(record.CandidateJson, there.CandidateJson);
        Assert.Equal(record.PlateRead, there.PlateRead);
        await stopCentral.CancelAsync();
        await consuming;
    }
}
