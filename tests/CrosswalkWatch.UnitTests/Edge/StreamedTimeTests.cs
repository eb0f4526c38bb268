using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge.Streaming;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>Hours streaming from the cameras' health: cut at the site's midnight, nothing before the box started, state changes between two looks.</summary>
public sealed class StreamedTimeTests
{
    [Fact]
    public void Observe_StreamingOverShanghaiMidnight_CutIntoTheTwoLocalDays()
    {
        var start = Local(2026, 12, 1, 23, 30); // 15:30 UTC: the UTC day does not change at 00:00 in Shanghai
        var time = new StreamedTime(Shanghai, start);

        var spans = time.Observe([Camera("cam1", CameraState.Streaming, start.AddHours(-1))], Local(2026, 12, 2, 0, 45));

        Assert.Equal(
            [(new DateOnly(2026, 12, 1), TimeSpan.FromMinutes(30)), (new DateOnly(2026, 12, 2), TimeSpan.FromMinutes(45))],
            spans.Select(s => (s.Day, s.Length)));
        Assert.Equal(Local(2026, 12, 2, 0, 0), spans[1].From);
    }

    [Fact]
    public void Observe_ACameraStreamingLongBeforeTheBoxStarted_CountsFromTheStartOnly()
    {
        var start = Local(2026, 12, 1, 9);
        var time = new StreamedTime(Shanghai, start);

        var span = Assert.Single(time.Observe([Camera("cam1", CameraState.Streaming, start.AddHours(-3))], start.AddMinutes(1)));

        Assert.Equal((start, TimeSpan.FromMinutes(1)), (span.From, span.Length));
    }

    [Fact]
    public void Observe_StatesChangingBetweenLooks_CountsOnlyTheTimeStreaming()
    {
        var start = Local(2026, 12, 1, 9);
        var time = new StreamedTime(Shanghai, start);
        var minute = start.AddMinutes(1);
        time.Observe([Camera("up", CameraState.Connecting, start), Camera("down", CameraState.Streaming, start), Camera("dead", CameraState.Failed, start)], start.AddSeconds(1));

        var spans = time.Observe(
        [
            Camera("up", CameraState.Streaming, start.AddSeconds(20)),   // began streaming 40 s before the look
            Camera("down", CameraState.Stalled, start.AddSeconds(16)),   // streamed 15 s of the minute, then stalled
            Camera("dead", CameraState.Failed, start),
        ], minute);
        var later = time.Observe([Camera("up", CameraState.Streaming, start.AddSeconds(20)), Camera("down", CameraState.Reconnecting, minute.AddSeconds(5))], minute.AddMinutes(1));

        Assert.Equal([("up", 40.0), ("down", 15.0)], spans.Select(s => (s.CameraId, s.Length.TotalSeconds)));
        Assert.Equal([("up", 60.0)], later.Select(s => (s.CameraId, s.Length.TotalSeconds)));
    }

    [Fact]
    public void Observe_NoCamerasOrTheClockGoingBack_CountsNothing()
    {
        var start = Local(2026, 12, 1, 9);
        var time = new StreamedTime(Shanghai, start);

        Assert.Empty(time.Observe([], start.AddMinutes(1)));
        Assert.Empty(time.Observe([Camera("cam1", CameraState.Streaming, start)], start.AddSeconds(30)));
    }

    private static CameraHealth Camera(string id, CameraState state, DateTimeOffset since) => new() { CameraId = id, State = state, StateSince = since };
}
