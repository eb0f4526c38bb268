using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge.Clock;
using CrosswalkWatch.Ingest;
using CrosswalkWatch.Ingest.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrosswalkWatch.UnitTests.Clock;

/// <summary>How a camera's clock reading is judged under clock.maxOffsetMs and shown in its health.</summary>
public sealed class CameraClockWatchTests
{
    [Theory]
    [InlineData(3002.4, CameraClockState.Off, "OFF: 3002 ms ahead of the box's clock (3 sender reports), more than 1000 ms (clock.maxOffsetMs)")]
    [InlineData(-1500.0, CameraClockState.Off, "OFF: 1500 ms behind the box's clock (3 sender reports), more than 1000 ms (clock.maxOffsetMs)")]
    [InlineData(-12.0, CameraClockState.Ok, "ok: 12 ms behind the box's clock (3 sender reports)")]
    [InlineData(1000.0, CameraClockState.Ok, "ok: 1000 ms ahead of the box's clock (3 sender reports)")]
    public void Judge_Offset_StateUnderMaxOffset(double offset, CameraClockState state, string detail)
    {
        var reading = CameraClockWatch.Judge(new CameraClockReading(offset, 3), 1000);

        Assert.Equal((state, offset, detail), (reading.State, reading.OffsetMs!.Value, reading.Detail));
    }

    [Fact]
    public void Judge_NoReports_NoReportsAndNoError()
    {
        var reading = CameraClockWatch.Judge(new CameraClockReading(null, 0), 1000);

        Assert.Equal((CameraClockState.NoReports, (double?)null), (reading.State, reading.OffsetMs));
    }

    [Fact]
    public async Task CheckAsync_ProbeFails_UnknownWithTheReasonInTheHealth()
    {
        await using var watch = new CameraClockWatch([("cam1", "rtsp://u:secret@h/x")], new ClockConfig(), NullLogger.Instance,
            (_, _) => throw new IngestException("rtsp://h/x: cannot connect: Connection refused"));

        await watch.CheckAsync("cam1", "rtsp://u:secret@h/x", CancellationToken.None);
        var health = watch.Apply(new CameraHealth { CameraId = "cam1" });
        var other = watch.Apply(new CameraHealth { CameraId = "file-camera" });

        Assert.Equal((CameraClockState.Unknown, "not measured: rtsp://h/x: cannot connect: Connection refused"), (health.ClockState, health.ClockDetail));
        Assert.Equal(CameraClockState.NotChecked, other.ClockState);
    }
}
