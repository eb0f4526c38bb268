namespace CrosswalkWatch.Domain.Health;

/// <summary>
/// A stretch of time a camera streamed, within one day of the site's time zone (<see cref="Day"/>): what the box
/// records for a camera's hours streaming.
/// </summary>
public sealed record StreamedSpan(string CameraId, DateOnly Day, DateTimeOffset From, DateTimeOffset Until)
{
    public TimeSpan Length => Until - From;
}

/// <summary>How long a camera streamed on one day of the site's time zone, as recorded.</summary>
public sealed record StreamedDay(string CameraId, DateOnly Day, TimeSpan Streamed);

/// <summary>
/// Where the central site keeps the hours streaming the boxes report with their cameras' health: each report is kept
/// as "at least" that much (the store; an interface so messaging needs no database).
/// </summary>
public interface IStreamedHoursStore
{
    Task AtLeastAsync(string site, StreamedDay streamed, CancellationToken cancellationToken = default);
}
