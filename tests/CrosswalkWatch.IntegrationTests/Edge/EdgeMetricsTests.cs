using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Edge;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// The edge box's /metrics scraped by a real Prometheus started on 127.0.0.1: the camera streaming, the detector's
/// frames and the motion gate's counter, the evidence and the outbox answer PromQL queries as operators' dashboards ask them.
/// </summary>
public sealed class EdgeMetricsTests(DetectionModels models) : IClassFixture<DetectionModels>
{
    [Fact]
    public async Task Start_MetricsPortTaken_FailsSayingWhichAndStartsNothing()
    {
        using var data = new TempFolder();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var config = Config(data, port);
        using var loggers = new LogLines().Factory(LogLevel.Warning);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: null, CancellationToken.None));

        Assert.Contains($"metrics: cannot listen on 127.0.0.1:{port} (metrics.host, metrics.port)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_ScrapingARunningBox_AnswersQueriesOnItsCamerasDetectorAndEvidence()
    {
        using var data = new TempFolder();
        var scene = data.File("cam1.yaml");
        File.Copy(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml"), scene);
        var config = Config(data, CameraSimulator.FreePort()) with
        {
            Cameras = [new CameraConfig { Id = "cam1", Url = TestAssets.CrosswalkFootage, Scene = scene, Ingest = new IngestSettings { Record = false, Loop = true } }],
        };
        using var loggers = new LogLines().Factory(LogLevel.Warning);
        await using var box = await EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: null, CancellationToken.None);
        Assert.NotNull(box.Metrics);
        await using var prometheus = await PrometheusServer.StartAsync(box.Metrics.Address);

        await Eventually.WaitForAsync(async () => await prometheus.QueryAsync("up{job=\"cww\"}") == 1, "Prometheus to scrape the box");
        await Eventually.WaitForAsync(async () => await prometheus.QueryAsync("cww_camera_state{camera=\"cam1\",state=\"streaming\"}") == 1, "cam1 to be streaming in Prometheus");
        await Eventually.WaitForAsync(async () => await prometheus.QueryAsync("cww_detector_frames_total{camera=\"cam1\"}") > 10, "the detector's frames of cam1 to count up in Prometheus");

        // The gate's counter and the evidence's series are there for dashboards and alerts, with the box's own values.
        Assert.Equal(1, await prometheus.QueryAsync("cww_detector_gated_frames_total{camera=\"cam1\"} <= bool cww_detector_frames_total{camera=\"cam1\"}"));
        Assert.Equal(0, await prometheus.QueryAsync("cww_evidence_failed_total"));
        Assert.NotNull(await prometheus.QueryAsync("cww_outbox_depth"));
        Assert.True(await prometheus.QueryAsync("cww_evidence_disk_free_bytes") > 0);
        Assert.Equal(1, await prometheus.QueryAsync("count(cww_camera_state{camera=\"cam1\"} == 1)"));

        // Every query of the Grafana dashboard in the repository runs and finds its series.
        await prometheus.RunDashboardAsync(Path.Combine(TestAssets.RepositoryRoot, "samples", "grafana", "edge-box.json"), atLeast: 15);
    }

    /// <summary>A box with no broker and /metrics on <paramref name="port"/>; no camera.</summary>
    private CwwConfig Config(TempFolder data, int port) => new()
    {
        Site = new SiteConfig { Id = "metrics-site", Name = "test" },
        Paths = new PathsConfig { Data = data.Path, Models = models.ModelsDirectory },
        Messaging = new MessagingConfig { Broker = BrokerKind.None },
        Metrics = new MetricsConfig { Port = port },
    };
}
