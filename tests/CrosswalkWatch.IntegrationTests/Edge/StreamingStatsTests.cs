using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge;
using CrosswalkWatch.Edge.Streaming;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// A real edge box watching a camera served over RTSP by the camera simulator records, on stop, the time the camera
/// streamed; the recorder knows each camera's total for today after each write, for the health the box publishes.
/// </summary>
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

    [Fact]
    public async Task Recorder_AfterEachWrite_KnowsTodaysTotalPerCamera_ARestartedOneGoesOnFromIt()
    {
        using var data = new TempFolder();
        var storage = new StorageConfig();
        using (var other = StreamingStore.Open(storage, data.Path))
        {
            await other.MigrateAsync();
            // The same camera id at another site, in the same database (a central one): not this box's total.
            await other.AddAsync("site-b", [new StreamedSpan("cam1", new DateOnly(2026, 12, 1), Local(2026, 12, 1, 8), Local(2026, 12, 1, 9))]);
        }

        var clock = new ManualClock(Local(2026, 12, 1, 9));
        IReadOnlyList<CameraHealth> cameras =
        [
            new CameraHealth { CameraId = "cam1", State = CameraState.Streaming, StateSince = Local(2026, 12, 1, 8) },
            new CameraHealth { CameraId = "cam2", State = CameraState.Connecting, StateSince = Local(2026, 12, 1, 8) },
        ];
        await using (var recorder = new StreamingRecorder(StreamingStore.Open(storage, data.Path), "site-a", Shanghai, () => cameras, NullLogger.Instance, clock))
        {
            Assert.Null(recorder.Today("cam1"));
            clock.Advance(TimeSpan.FromMinutes(10));
            Assert.True(await recorder.RecordAsync());
            Assert.Equal(new StreamedDay("cam1", new DateOnly(2026, 12, 1), TimeSpan.FromMinutes(10)), recorder.Today("cam1"));
            Assert.Null(recorder.Today("cam2")); // nothing streamed, nothing stored

            clock.Advance(TimeSpan.FromMinutes(10));
            Assert.True(await recorder.RecordAsync());
            Assert.Equal(TimeSpan.FromMinutes(20), recorder.Today("cam1")?.Streamed);
        }

        // Restarted 10 minutes later: today's total read back at start, then it goes on adding (the time it was down not counted).
        clock.Advance(TimeSpan.FromMinutes(10));
        await using (var recorder = new StreamingRecorder(StreamingStore.Open(storage, data.Path), "site-a", Shanghai, () => cameras, NullLogger.Instance, clock))
        {
            await recorder.ReadTodayAsync();
            Assert.Equal(TimeSpan.FromMinutes(20), recorder.Today("cam1")?.Streamed);
            clock.Advance(TimeSpan.FromMinutes(10));
            Assert.True(await recorder.RecordAsync());
            Assert.Equal(TimeSpan.FromMinutes(30), recorder.Today("cam1")?.Streamed);

            // Past the site's midnight: the new day's total.
            clock.Advance(Local(2026, 12, 2, 0, 5) - clock.GetUtcNow());
            Assert.True(await recorder.RecordAsync());
            Assert.Equal(new StreamedDay("cam1", new DateOnly(2026, 12, 2), TimeSpan.FromMinutes(5)), recorder.Today("cam1"));
        }
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
