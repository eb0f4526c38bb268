using CrosswalkWatch.Cli.Commands;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Edge;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>Thresholds an operator saved into a camera's scene file apply when the edge box starts.</summary>
public sealed class EdgeBoxSceneRuleTests(DetectionModels models) : IClassFixture<DetectionModels>
{
    [Fact]
    public async Task StartAsync_SceneFileWithARuleBlock_JudgesWithItOverTheConfiguredRule()
    {
        using var data = new TempFolder();
        var scene = data.File("cam1.yaml");
        await File.WriteAllTextAsync(scene, await File.ReadAllTextAsync(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml")) + "rule:\n  minPedestrians: 2\n");
        var configured = new YieldRuleSettings { MinConflictSeconds = 0.6, MinPedestrians = 1 };
        var config = new CwwConfig
        {
            Paths = new PathsConfig { Data = data.Path, Models = models.ModelsDirectory },
            Messaging = new MessagingConfig { Broker = BrokerKind.None },
            Cameras = [new CameraConfig { Id = "cam1", Url = TestAssets.CrosswalkFootage, Scene = scene, Rule = configured, Ingest = new IngestSettings { Record = false } }],
        };
        using var loggers = Logging.Create(LogLevel.Warning);

        await using var box = await EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: null, CancellationToken.None);

        Assert.Equal(configured with { MinPedestrians = 2 }, Assert.Single(box.Pipelines).Rule.Settings);
    }
}
