using System.Globalization;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Cli.Commands;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge;
using CrosswalkWatch.Ingest;
using CrosswalkWatch.Ingest.Sources;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Clock;

/// <summary>
/// The camera's clock from its RTCP sender reports, against the real RTSP server (the camera simulator, GStreamer's
/// gst-rtsp-server): on time, 3 s ahead (--clock-offset), a wrong path, nothing listening, and an edge box's health.
/// </summary>
[Collection("rtsp")]
public sealed class CameraClockTests(ITestOutputHelper output)
{
    /// <summary>The box's default of three reports (the least delayed: reports read late on a loaded machine do not count), with room to spare.</summary>
    private static readonly CameraClockProbeOptions ThreeReports = new() { Reports = 3, ReportsWithin = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Probe_CameraOnTime_OffsetWithin200Ms()
    {
        using var simulator = await StartAsync(TimeSpan.Zero);

        var reading = await CameraClockProbe.ProbeAsync(simulator.MainUrl("cam1"), ThreeReports);

        output.WriteLine($"camera clock offset {reading.OffsetMs:0.0} ms");
        Assert.Equal(3, reading.Reports);
        Assert.InRange(reading.OffsetMs!.Value, -200, 200);
    }

    [Fact]
    public async Task Probe_CameraClockThreeSecondsAhead_About3000Ms()
    {
        using var simulator = await StartAsync(TimeSpan.FromSeconds(3));

        var reading = await CameraClockProbe.ProbeAsync(simulator.SubUrl("cam1"), ThreeReports);

        output.WriteLine($"camera clock offset {reading.OffsetMs:0.0} ms");
        Assert.Equal(3, reading.Reports);
        Assert.InRange(reading.OffsetMs!.Value, 2700, 3300);
    }

    [Fact]
    public async Task Probe_WrongPath_ErrorNamesTheUrlAndThe404ButNotThePassword()
    {
        using var simulator = await StartAsync(TimeSpan.Zero);
        var url = simulator.MainUrl("nope").Replace("rtsp://", "rtsp://admin:s%40cret@", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<IngestException>(() => CameraClockProbe.ProbeAsync(url, ThreeReports));

        Assert.Equal($"{simulator.MainUrl("nope")}: the camera answered DESCRIBE with 404 Not Found", error.Message);
        Assert.DoesNotContain("cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_NothingListening_CannotConnect()
    {
        var url = $"rtsp://127.0.0.1:{CameraSimulator.FreePort()}/cam1";

        var error = await Assert.ThrowsAsync<IngestException>(() => CameraClockProbe.ProbeAsync(url, ThreeReports));

        Assert.StartsWith($"{url}: cannot connect", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EdgeBox_CameraClockThreeSecondsAhead_ErrorInItsHealthTableAndMetrics()
    {
        using var simulator = await StartAsync(TimeSpan.FromSeconds(3));
        using var data = new TempFolder();
        var config = new CwwConfig
        {
            Site = new SiteConfig { Id = "test-site", Name = "test" },
            Paths = new PathsConfig { Data = data.Path },
            Messaging = new MessagingConfig { Broker = BrokerKind.None },
            Metrics = new MetricsConfig { Port = CameraSimulator.FreePort() },
            // Watched only (no scene): no detector; the clock is measured on its own connection all the same.
            Cameras = [new CameraConfig { Id = "cam1", Url = simulator.MainUrl("cam1"), SubUrl = simulator.SubUrl("cam1") }],
            Clock = new ClockConfig { CheckSeconds = 4 },
        };
        using var loggers = Logging.Create(LogLevel.Warning);

        await using var box = await EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: null, CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        CameraHealth health;
        while ((health = box.Health().Single()).ClockState != CameraClockState.Off)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the camera's clock was not found off within 45 s: {health.ClockState} {health.ClockDetail}");
            await Task.Delay(200);
        }

        output.WriteLine(health.ClockDetail);
        Assert.InRange(health.ClockOffsetMs!.Value, 2700, 3300);
        Assert.Matches(@"^OFF: (2[789]|3[0-3])\d\d ms ahead of the box's clock \(3 sender reports\), more than 1000 ms \(clock.maxOffsetMs\)$", health.ClockDetail);
        Assert.Contains($"\n            camera clock {health.ClockDetail}\n", HealthTable.Render([health]).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(box.Metrics!.Address);
        var line = Assert.Single(metrics.Split('\n'), l => l.StartsWith("cww_camera_clock_offset_seconds{camera=\"cam1\"} ", StringComparison.Ordinal));
        Assert.InRange(double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture), 2.7, 3.3);
    }

    private static Task<CameraSimulator> StartAsync(TimeSpan clockOffset) =>
        CameraSimulator.StartAsync(new SimulatorOptions
        {
            Cameras = [("cam1", TestAssets.CrosswalkFootage)],
            Port = CameraSimulator.FreePort(),
            Fps = 10,
            ClockOffset = clockOffset,
        });
}
