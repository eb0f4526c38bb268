using CrosswalkWatch.Core.Config;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Host.Cli;
using CrosswalkWatch.Host.Edge;
using CrosswalkWatch.Ingest.Simulator;
using CrosswalkWatch.Scenarios;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Tests.Ingest;
using CrosswalkWatch.Tests.Scenarios;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Tests.Edge;

/// <summary>
/// The live edge box end to end: a generated violation served over RTSP by the camera simulator (1080p main stream
/// recorded, 640x360 sub-stream detected), the real detector, tracker and rule, and the evidence package cut from the
/// recording ring.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed class EdgeBoxTests(GeneratedSuite suite)
{
    [Fact]
    public async Task EdgeBox_LiveCameraWithAViolation_StoresACaseWithAVerifiedPackageFromTheRing()
    {
        var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        using var simulator = await CameraSimulator.StartAsync(new SimulatorOptions
        {
            Cameras = [("cam1", clip.VideoPath)],
            Port = CameraSimulator.FreePort(),
            Fps = 10,
        });
        using var data = new TempFolder();
        var config = new CwwConfig
        {
            Site = new SiteConfig { Id = "test-site", Name = "test" },
            Paths = new PathsConfig { Data = data.Path, Models = suite.ModelsDirectory },
            Messaging = new MessagingConfig { Broker = BrokerKind.None },
            Cameras =
            [
                new CameraConfig
                {
                    Id = "cam1",
                    Place = "generated crossing",
                    Direction = "northbound",
                    Url = simulator.MainUrl("cam1"),
                    SubUrl = simulator.SubUrl("cam1"),
                    Scene = Path.Combine(suite.Folder, "scene.yaml"),
                    Ingest = new IngestSettings { DetectFps = 5, KeepMinutes = 5, MinFreeMegabytes = 64 },
                },
            ],
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
        Assert.True(Directory.Exists(record.EvidenceFolder), record.EvidenceFolder);
        var key = EvidenceKey.LoadOrCreate(Path.Combine(data.Path, "keys", "site.key"));
        Assert.Empty(EvidenceVerifier.Verify(record.EvidenceFolder, key));
        foreach (var file in new[] { "clip.mp4", "vehicle.jpg", "plate.json", "manifest.json" })
        {
            Assert.True(new FileInfo(Path.Combine(record.EvidenceFolder, file)).Length > 0, $"{file} missing or empty in {record.EvidenceFolder}");
        }

        Assert.Equal(3, Directory.GetFiles(record.EvidenceFolder, "photo*.jpg").Length);
        using var store = new SqliteCaseStore(Path.Combine(data.Path, config.Storage.SqlitePath));
        Assert.NotNull(await store.GetAsync(record.CaseId));
        Assert.Equal(0, box.Pool.Outstanding);
    }
}
