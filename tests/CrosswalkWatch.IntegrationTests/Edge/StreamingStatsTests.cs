using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>A real edge box watching a camera served over RTSP by the camera simulator records, on stop, the time the camera streamed.</summary>
public sealed class StreamingStatsTests
{
    [Fact]
    public async Task EdgeBox_ACameraStreamingForAFewSeconds_HasItsTimeRecordedForTodayOnStop()
    {
        using var simulator = await TestCameras.StartSimulatorAsync();
        using var data = new TempFolder();
        var config = new CwwConfig
        {
            Site = new SiteConfig { Id = "stats-site", Name = "test" },
            Paths = new PathsConfig { Data = data.Path },
            Messaging = new MessagingConfig { Broker = BrokerKind.None },
            // No scene: the box only watches the camera (no detector, no model needed).
            Cameras = [new CameraConfig { Id = "cam1", Url = simulator.MainUrl("cam1"), Ingest = new IngestSettings { Record = false } }],
        };
        var logs = new LogLines();
        using var loggers = logs.Factory(LogLevel.Warning);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(config.Site.TimeZone);

        var started = DateTimeOffset.UtcNow;
        await using (var box = await EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: null, CancellationToken.None))
        {
            // Two seconds of frames at the simulator's 25 fps.
            await Eventually.WaitForAsync(
                () => Task.FromResult(box.Ingest.Health().Single() is { State: CameraState.Streaming, Frames: >= 50 }),
                "cam1 streaming 50 frames");
        }

        var elapsed = DateTimeOffset.UtcNow - started;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(started, zone).DateTime);
        using var store = StreamingStore.Open(config.Storage, data.Path);
        var days = await store.DaysAsync(today, today.AddDays(1)); // two days should the test run over midnight
        Assert.NotEmpty(days);
        Assert.All(days, d => Assert.Equal("cam1", d.CameraId));
        Assert.InRange(TimeSpan.FromTicks(days.Sum(d => d.Streamed.Ticks)), TimeSpan.FromSeconds(1), elapsed);
    }
}
