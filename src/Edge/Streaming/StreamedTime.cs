using CrosswalkWatch.Domain.Health;

namespace CrosswalkWatch.Edge.Streaming;

/// <summary>
/// Turns the cameras' health, looked at now and then, into the stretches each streamed since the last look, split
/// at the site's midnights. Counts nothing before the first look (<see cref="StreamedTime(TimeZoneInfo, DateTimeOffset)"/>),
/// so a restarted box never counts the time before it started; a camera that stopped streaming between two looks is
/// counted up to its state change (<see cref="CameraHealth.StateSince"/>), one that started since, from it.
/// </summary>
public sealed class StreamedTime
{
    private readonly TimeZoneInfo _zone;
    private readonly Dictionary<string, bool> _streaming = new(StringComparer.Ordinal);
    private DateTimeOffset _last;

    public StreamedTime(TimeZoneInfo zone, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(zone);
        _zone = zone;
        _last = start;
    }

    /// <summary>The stretches streamed from the last look to <paramref name="now"/>, by camera, each within one local day.</summary>
    public IReadOnlyList<StreamedSpan> Observe(IEnumerable<CameraHealth> cameras, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cameras);
        var spans = new List<StreamedSpan>();
        if (now <= _last)
        {
            return spans; // the clock stood still or went back: nothing new to count
        }

        foreach (var camera in cameras)
        {
            var streaming = camera.State == CameraState.Streaming;
            var was = _streaming.GetValueOrDefault(camera.CameraId);
            var since = camera.StateSince > _last ? camera.StateSince : _last;
            // Streaming now: since it began or since the last look. Stopped since the last look: up to when it stopped.
            var (from, until) = streaming ? (since, now) : was ? (_last, since < now ? since : now) : (now, now);
            spans.AddRange(Split(camera.CameraId, from, until));
            _streaming[camera.CameraId] = streaming;
        }

        _last = now;
        return spans;
    }

    /// <summary>[<paramref name="from"/>, <paramref name="until"/>) cut at each midnight of the site's zone.</summary>
    public IEnumerable<StreamedSpan> Split(string cameraId, DateTimeOffset from, DateTimeOffset until)
    {
        while (from < until)
        {
            var day = DayOf(from);
            var midnight = StartOf(day.AddDays(1));
            var end = until < midnight ? until : midnight;
            yield return new StreamedSpan(cameraId, day, from, end);
            from = end;
        }
    }

    private DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _zone).DateTime);

    private DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, _zone.GetUtcOffset(local));
    }
}
