using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Ingest.Cameras;

namespace CrosswalkWatch.Web.Operators;

/// <summary>
/// What is known of the cameras' health, and from where: <see cref="Source"/> says where it comes from,
/// <see cref="WrittenAt"/> when it was taken, <see cref="Stale"/> that it is too old to be live (the edge box has
/// stopped writing), <see cref="Problem"/> why nothing is known. <see cref="Source"/> and <see cref="Problem"/> are in
/// English, for logs; <see cref="SourceText"/> and <see cref="ProblemText"/> say the same in the console's languages.
/// </summary>
public sealed record CameraHealthReport(IReadOnlyList<CameraHealth> Cameras, string Source, DateTimeOffset? WrittenAt, bool Stale, string? Problem)
{
    /// <summary><see cref="Source"/> as a console text (null where it is only the file's path).</summary>
    public OperatorText? SourceText { get; init; }

    /// <summary><see cref="Problem"/> as a console text (null when there is none).</summary>
    public OperatorText? ProblemText { get; init; }
}

/// <summary>Where the operator's page reads camera health: the edge box in the same process, or what it last wrote.</summary>
public interface ICameraHealthSource
{
    /// <summary>The health of each camera as last known, at <paramref name="now"/>.</summary>
    CameraHealthReport Read(DateTimeOffset now);
}

/// <summary>Health read live from a function (the edge box of this process, e.g. <c>cww demo</c>).</summary>
public sealed class LiveCameraHealth(Func<IReadOnlyList<CameraHealth>> read) : ICameraHealthSource
{
    public CameraHealthReport Read(DateTimeOffset now) =>
        new(read(), "live from the edge box in this process", now, Stale: false, Problem: null) { SourceText = new("operator.health.live") };
}

/// <summary>
/// Health from the file the edge box (<c>cww run</c>, <c>cww demo</c>) writes every few seconds into the data
/// folder (<see cref="CameraHealthFile"/>), for a console running as its own process; older than
/// <see cref="StaleAfter"/> it is shown as stale, not as live.
/// </summary>
public sealed class FileCameraHealth(string dataDirectory) : ICameraHealthSource
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    public CameraHealthReport Read(DateTimeOffset now)
    {
        var path = CameraHealthFile.PathIn(dataDirectory);
        CameraHealthSnapshot? snapshot;
        try
        {
            snapshot = CameraHealthFile.Read(dataDirectory);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new CameraHealthReport([], path, null, Stale: true, $"the health file {path} cannot be read: {e.Message}")
            {
                ProblemText = new("operator.health.unreadable", ("file", path), ("reason", e.Message)),
            };
        }

        if (snapshot is null)
        {
            return new CameraHealthReport([], path, null, Stale: true, $"no health file at {path}: the edge box (cww run) writes it every 5 s; is it running with this data folder?")
            {
                ProblemText = new("operator.health.missing", ("file", path)),
            };
        }

        var age = now - snapshot.WrittenAt;
        var stale = age > StaleAfter;
        return new CameraHealthReport(
            snapshot.Cameras,
            $"{path}, written by {snapshot.Writer}",
            snapshot.WrittenAt,
            stale,
            stale ? $"the health file is {Age(age).English} old: the edge box has stopped writing it (is cww run still running?); the last known health is shown" : null)
        {
            SourceText = new("operator.health.written", ("file", path), ("writer", snapshot.Writer)),
            ProblemText = stale ? new("operator.health.stale", ("age", Age(age).Text)) : null,
        };
    }

    /// <summary>How old the file is, in the largest unit that reads well: in English and as a console text.</summary>
    private static (string English, OperatorText Text) Age(TimeSpan age) =>
        age.TotalHours >= 2 ? Count(age.TotalHours, "hours", "operator.health.age.hours")
        : age.TotalMinutes >= 2 ? Count(age.TotalMinutes, "minutes", "operator.health.age.minutes")
        : Count(age.TotalSeconds, "seconds", "operator.health.age.seconds");

    private static (string English, OperatorText Text) Count(double value, string unit, string key)
    {
        var n = value.ToString("0", CultureInfo.InvariantCulture);
        return ($"{n} {unit}", new(key, ("n", n)));
    }
}
