using CrosswalkWatch.Domain.Health;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>
/// The central site's view of every box: the last health of each box and camera, and the history of their states and
/// silences (<c>box_health</c>, <c>box_events</c>), in the same database as the cases.
/// </summary>
public sealed class BoxStore : DatabaseStore, IBoxHealthStore
{
    private BoxStore(StoreDatabase database)
        : base(database)
    {
    }

    public static BoxStore Open(Domain.Config.StorageConfig storage, string dataDirectory) => new(Stores.Database(storage, dataDirectory));

    /// <summary>Keeps a health message as the latest of its box or camera; a state unlike the one before goes into the history.</summary>
    public Task RecordAsync(BoxHealthRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var before = await connection.QuerySingleOrDefaultAsync<string?>(
                    "SELECT state FROM box_health WHERE site_id = @SiteId AND camera_id = @CameraId", new { row.SiteId, row.CameraId }, transaction).ConfigureAwait(false);
                var at = row.ReceivedAt.ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(
                    """
                    INSERT INTO box_health (site_id, camera_id, state, received_at_ms, payload) VALUES (@SiteId, @CameraId, @State, @at, @Payload)
                    ON CONFLICT (site_id, camera_id) DO UPDATE SET state = excluded.state, received_at_ms = excluded.received_at_ms, payload = excluded.payload
                    """,
                    new { row.SiteId, row.CameraId, row.State, at, row.Payload },
                    transaction).ConfigureAwait(false);
                if (before != row.State)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO box_events (site_id, camera_id, kind, state, at_ms, since_ms) VALUES (@SiteId, @CameraId, @kind, @State, @at, @at) ON CONFLICT DO NOTHING",
                        new { row.SiteId, row.CameraId, kind = BoxEvent.StateChanged, row.State, at },
                        transaction).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            },
            $"record the health of {row.SiteId}/{row.CameraId}",
            cancellationToken);
    }

    /// <summary>The last health of every box and camera, by site then camera (the box's own first).</summary>
    public Task<IReadOnlyList<BoxHealthRow>> LatestAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<BoxHealthRow>>(
            async connection => (await connection.QueryAsync<(string SiteId, string CameraId, string State, long ReceivedAtMs, string Payload)>(
                    "SELECT site_id, camera_id, state, received_at_ms, payload FROM box_health ORDER BY site_id, camera_id").ConfigureAwait(false))
                .Select(r => new BoxHealthRow(r.SiteId, r.CameraId, r.State, DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAtMs), r.Payload))
                .ToList(),
            "read the boxes' health",
            cancellationToken);

    /// <summary>
    /// Records that <paramref name="site"/> has been silent since <paramref name="lastHeard"/> (or, with <paramref name="kind"/>
    /// <see cref="BoxEvent.Back"/>, is heard again): true only for the first consumer to record that episode.
    /// </summary>
    public Task<bool> RecordEpisodeAsync(string site, string kind, DateTimeOffset lastHeard, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection => await connection.ExecuteAsync(
                "INSERT INTO box_events (site_id, camera_id, kind, state, at_ms, since_ms) VALUES (@site, '', @kind, @kind, @at, @since) ON CONFLICT DO NOTHING",
                new { site, kind, at = at.ToUnixTimeMilliseconds(), since = lastHeard.ToUnixTimeMilliseconds() }).ConfigureAwait(false) == 1,
            $"record {site} {kind}",
            cancellationToken);

    /// <summary>The history since <paramref name="from"/>, oldest first (of <paramref name="site"/>, or every box).</summary>
    public Task<IReadOnlyList<BoxEvent>> EventsAsync(DateTimeOffset from, string? site = null, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<BoxEvent>>(
            async connection => (await connection.QueryAsync<(string SiteId, string CameraId, string Kind, string State, long AtMs, long SinceMs)>(
                    "SELECT site_id, camera_id, kind, state, at_ms, since_ms FROM box_events WHERE at_ms >= @from AND (@site IS NULL OR site_id = @site) ORDER BY at_ms, site_id, camera_id",
                    new { from = from.ToUnixTimeMilliseconds(), site }).ConfigureAwait(false))
                .Select(e => new BoxEvent(e.SiteId, e.CameraId, e.Kind, e.State, DateTimeOffset.FromUnixTimeMilliseconds(e.AtMs), DateTimeOffset.FromUnixTimeMilliseconds(e.SinceMs)))
                .ToList(),
            "read the boxes' history",
            cancellationToken);
}
