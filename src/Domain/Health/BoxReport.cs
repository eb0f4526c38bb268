namespace CrosswalkWatch.Domain.Health;

/// <summary>The last health a box (<see cref="CameraId"/> empty) or one of its cameras sent to the central site, as received.</summary>
public sealed record BoxHealthRow(string SiteId, string CameraId, string State, DateTimeOffset ReceivedAt, string Payload);

/// <summary>One entry of a box's history: a state change, a silence (<see cref="Since"/>: last heard) or its end.</summary>
public sealed record BoxEvent(string SiteId, string CameraId, string Kind, string State, DateTimeOffset At, DateTimeOffset Since)
{
    public const string StateChanged = "state";

    public const string Silent = "silent";

    public const string Back = "back";
}

/// <summary>Where the central site keeps the boxes' health and history (the store; an interface so messaging needs no database).</summary>
public interface IBoxHealthStore
{
    Task RecordAsync(BoxHealthRow row, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<BoxHealthRow>> LatestAsync(CancellationToken cancellationToken = default);

    Task<bool> RecordEpisodeAsync(string site, string kind, DateTimeOffset lastHeard, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<BoxEvent>> EventsAsync(DateTimeOffset from, string? site = null, CancellationToken cancellationToken = default);
}
