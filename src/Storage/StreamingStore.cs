using System.Globalization;
using CrosswalkWatch.Domain.Health;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>
/// Each camera's hours streaming per local day (<c>camera_streaming</c>), in the same database as the cases: the box
/// adds what it saw stream; the console and <c>cww stats</c> read it. Adding is idempotent: a day keeps the end of
/// the last stretch it counted, and time up to it is not counted again. At a central site the boxes' own totals,
/// reported with their cameras' health, are kept "at least" (<see cref="AtLeastAsync"/>).
/// </summary>
public sealed class StreamingStore : DatabaseStore, IStreamedHoursStore
{
    // Only the part of a stretch after the day's last counted moment adds (CASE, not MAX/GREATEST: portable).
    private const string Add =
        """
        INSERT INTO camera_streaming (site_id, camera_id, day, streamed_ms, through_ms) VALUES (@site, @CameraId, @day, @ms, @until)
        ON CONFLICT (site_id, camera_id, day) DO UPDATE SET
            streamed_ms = camera_streaming.streamed_ms + CASE
                WHEN excluded.through_ms <= camera_streaming.through_ms THEN 0
                WHEN @from >= camera_streaming.through_ms THEN excluded.streamed_ms
                ELSE excluded.through_ms - camera_streaming.through_ms END,
            through_ms = CASE WHEN excluded.through_ms > camera_streaming.through_ms THEN excluded.through_ms ELSE camera_streaming.through_ms END
        """;

    // A box's reported total for a day raises the stored one, never lowers it: a repeated or late report changes
    // nothing. through_ms 0: no stretch is counted in it, so it never hides a box's own stretches (CASE: portable).
    private const string AtLeast =
        """
        INSERT INTO camera_streaming (site_id, camera_id, day, streamed_ms, through_ms) VALUES (@site, @camera, @day, @ms, 0)
        ON CONFLICT (site_id, camera_id, day) DO UPDATE SET
            streamed_ms = CASE WHEN excluded.streamed_ms > camera_streaming.streamed_ms THEN excluded.streamed_ms ELSE camera_streaming.streamed_ms END
        """;

    private StreamingStore(StoreDatabase database)
        : base(database)
    {
    }

    /// <summary>The hours' store in the database the configuration names, beside the cases.</summary>
    public static StreamingStore Open(Domain.Config.StorageConfig storage, string dataDirectory) => new(Stores.Database(storage, dataDirectory));

    /// <summary>Adds the stretches <paramref name="site"/>'s cameras streamed, in one transaction; time already counted for a camera's day is left out.</summary>
    public Task AddAsync(string site, IReadOnlyList<StreamedSpan> spans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return Task.CompletedTask;
        }

        return Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                foreach (var span in spans)
                {
                    await connection.ExecuteAsync(
                        Add,
                        new
                        {
                            site,
                            span.CameraId,
                            day = Day(span.Day),
                            ms = (long)span.Length.TotalMilliseconds,
                            from = span.From.ToUnixTimeMilliseconds(),
                            until = span.Until.ToUnixTimeMilliseconds(),
                        },
                        transaction).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            },
            $"record the hours streaming of {site}'s cameras",
            cancellationToken);
    }

    /// <summary>
    /// Keeps <paramref name="streamed"/> (a box's own total for one camera and day, as it reported it) as at least
    /// what <paramref name="site"/>'s camera streamed that day: a higher total raises the stored one, a lower leaves it.
    /// </summary>
    public Task AtLeastAsync(string site, StreamedDay streamed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamed);
        return Database.RunAsync(
            async connection => await connection.ExecuteAsync(
                AtLeast,
                new { site, camera = streamed.CameraId, day = Day(streamed.Day), ms = (long)streamed.Streamed.TotalMilliseconds }).ConfigureAwait(false),
            $"record the hours streaming {site}/{streamed.CameraId} reported",
            cancellationToken);
    }

    /// <summary>What each of <paramref name="site"/>'s cameras streamed on <paramref name="day"/> as stored (that site only), by camera.</summary>
    public Task<IReadOnlyList<StreamedDay>> OfSiteAsync(string site, DateOnly day, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<StreamedDay>>(
            async connection => (await connection.QueryAsync<(string CameraId, long Ms)>(
                    "SELECT camera_id, streamed_ms FROM camera_streaming WHERE site_id = @site AND day = @day ORDER BY camera_id",
                    new { site, day = Day(day) }).ConfigureAwait(false))
                .Select(r => new StreamedDay(r.CameraId, day, TimeSpan.FromMilliseconds(r.Ms)))
                .ToList(),
            $"read the hours streaming of {site}'s cameras",
            cancellationToken);

    /// <summary>Each camera's time streaming per day from <paramref name="first"/> to <paramref name="last"/> (included), every site's added up; by camera then day.</summary>
    public Task<IReadOnlyList<StreamedDay>> DaysAsync(DateOnly first, DateOnly last, string? camera = null, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<StreamedDay>>(
            async connection => (await connection.QueryAsync<(string CameraId, string Day, long Ms)>(
                    """
                    SELECT camera_id, day, CAST(SUM(streamed_ms) AS BIGINT) FROM camera_streaming
                    WHERE day >= @first AND day <= @last AND (@camera IS NULL OR camera_id = @camera)
                    GROUP BY camera_id, day ORDER BY camera_id, day
                    """,
                    new { first = Day(first), last = Day(last), camera }).ConfigureAwait(false))
                .Select(r => new StreamedDay(r.CameraId, DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(r.Ms)))
                .ToList(),
            "read the hours streaming",
            cancellationToken);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
