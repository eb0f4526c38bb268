using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Storage;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Storage;

/// <summary>Each camera's hours streaming: added up per site, camera and day, time counted once however often it is written; the same on SQLite and PostgreSQL.</summary>
public abstract class StreamingStoreContract : IDisposable
{
    private static readonly DateOnly First = new(2026, 12, 1);
    private static readonly DateTimeOffset Nine = Local(2026, 12, 1, 9);

    protected TempFolder Temp { get; } = new();

    protected abstract StorageConfig Storage { get; }

    [Fact]
    public async Task Add_TheSameStretchAgainOrOverlapping_CountsEachMomentOnce_AlsoAfterReopening()
    {
        using (var store = await OpenAsync())
        {
            await store.AddAsync("site-a", [Span("cam1", Nine, Nine.AddMinutes(10))]);
            await store.AddAsync("site-a", [Span("cam1", Nine, Nine.AddMinutes(10))]); // a write retried
            await store.AddAsync("site-a", [Span("cam1", Nine.AddMinutes(5), Nine.AddMinutes(20))]); // only its last 10 minutes are new
        }

        // A restarted box: the store opened again, a stretch that ends before the last one counted adds nothing.
        using (var store = await OpenAsync())
        {
            await store.AddAsync("site-a", [Span("cam1", Nine.AddMinutes(1), Nine.AddMinutes(15))]);
            await store.AddAsync("site-a", [Span("cam1", Nine.AddHours(1), Nine.AddHours(1).AddMinutes(40))]);

            Assert.Equal([new StreamedDay("cam1", First, TimeSpan.FromMinutes(60))], await store.DaysAsync(First, First));
        }
    }

    [Fact]
    public async Task Days_PerCameraAndDayInTheRange_EverySiteAddedUp_OneCameraWhenNamed()
    {
        using var store = await OpenAsync();
        Assert.Empty(await store.DaysAsync(First, First.AddDays(6)));
        await store.AddAsync("site-a",
        [
            Span("cam1", Nine, Nine.AddHours(2)),
            Span("cam2", Nine, Nine.AddMinutes(30)),
            Span("cam1", Nine.AddDays(1), Nine.AddDays(1).AddHours(1), day: First.AddDays(1)),
            Span("cam1", Nine.AddDays(9), Nine.AddDays(9).AddHours(1), day: First.AddDays(9)),
        ]);
        await store.AddAsync("site-b", [Span("cam1", Nine, Nine.AddHours(1))]); // the same camera id reported by another box

        var days = await store.DaysAsync(First, First.AddDays(1));

        Assert.Equal(
            [("cam1", First, 3.0), ("cam1", First.AddDays(1), 1.0), ("cam2", First, 0.5)],
            days.Select(d => (d.CameraId, d.Day, d.Streamed.TotalHours)));
        Assert.Equal([First, First.AddDays(1)], (await store.DaysAsync(First, First.AddDays(1), "cam1")).Select(d => d.Day));
    }

    [Fact]
    public async Task AtLeast_AReportedTotal_RaisesTheStoredOneNeverLowersIt_PerSiteCameraAndDay()
    {
        using var store = await OpenAsync();
        await store.AtLeastAsync("site-a", Hours("cam1", First, 2));
        await store.AtLeastAsync("site-a", Hours("cam1", First, 1)); // an older report, late: lowers nothing
        Assert.Equal([2.0], (await store.DaysAsync(First, First)).Select(d => d.Streamed.TotalHours));

        await store.AtLeastAsync("site-a", Hours("cam1", First, 3.5));
        await store.AtLeastAsync("site-a", Hours("cam1", First, 3.5)); // the same report again
        await store.AtLeastAsync("site-a", Hours("cam2", First, 0.5));
        await store.AtLeastAsync("site-a", Hours("cam1", First.AddDays(1), 1));
        await store.AtLeastAsync("site-b", Hours("cam1", First, 1)); // the same camera id on another box

        Assert.Equal(
            [("cam1", First, 4.5), ("cam1", First.AddDays(1), 1.0), ("cam2", First, 0.5)],
            (await store.DaysAsync(First, First.AddDays(1))).Select(d => (d.CameraId, d.Day, d.Streamed.TotalHours)));
        Assert.Equal([Hours("cam1", First, 3.5), Hours("cam2", First, 0.5)], await store.OfSiteAsync("site-a", First));
        Assert.Equal([Hours("cam1", First, 1)], await store.OfSiteAsync("site-b", First));
        Assert.Empty(await store.OfSiteAsync("site-c", First));
    }

    [Fact]
    public async Task AtLeast_TheTotalABoxReadBackOfItsOwnRows_ChangesNothing_AndItsStretchesGoOnAdding()
    {
        // One box that is its own central site: its health's totals come back to the rows it adds to.
        using var store = await OpenAsync();
        await store.AddAsync("site-a", [Span("cam1", Nine, Nine.AddHours(1))]);
        var read = Assert.Single(await store.OfSiteAsync("site-a", First));
        await store.AtLeastAsync("site-a", read);
        await store.AddAsync("site-a", [Span("cam1", Nine.AddHours(1), Nine.AddHours(2))]);

        Assert.Equal([Hours("cam1", First, 2)], await store.OfSiteAsync("site-a", First));
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private static StreamedDay Hours(string camera, DateOnly day, double hours) => new(camera, day, TimeSpan.FromHours(hours));

    private static StreamedSpan Span(string camera, DateTimeOffset from, DateTimeOffset until, DateOnly? day = null) => new(camera, day ?? First, from, until);

    private async Task<StreamingStore> OpenAsync()
    {
        var store = StreamingStore.Open(Storage, Temp.Path);
        await store.MigrateAsync();
        return store;
    }
}

public sealed class SqliteStreamingStoreTests : StreamingStoreContract
{
    protected override StorageConfig Storage { get; } = new();
}

[Collection(PostgresServer.Collection)]
public sealed class PostgresStreamingStoreTests(PostgresServer server) : StreamingStoreContract
{
    protected override StorageConfig Storage { get; } = new() { Type = StorageKind.Postgres, ConnectionString = server.CreateDatabase() };
}
