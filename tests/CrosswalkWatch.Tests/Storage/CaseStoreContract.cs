using CrosswalkWatch.Storage;
using CrosswalkWatch.Tests.Ingest;

namespace CrosswalkWatch.Tests.Storage;

/// <summary>
/// What every case store must do, run against each implementation (SQLite now; PostgreSQL joins with the central
/// site), as Dapper's provider tests do.
/// </summary>
public abstract class CaseStoreContract : IDisposable
{
    protected TempFolder Temp { get; } = new();

    /// <summary>A store over the same database each time it is called (to test reopening).</summary>
    protected abstract ICaseStore OpenStore();

    private static CaseRecord Case(string id, int minute) => new(
        id, "site-01", "cam1", new DateTimeOffset(2026, 11, 28, 9, minute, 12, 250, TimeSpan.FromHours(8)), "S1", "southbound", 7,
        CaseRecord.Candidate, "/var/cww/evidence/" + id, "{\"vehicleTrackId\":7}", "abc123", new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Migrate_Twice_IsHarmless()
    {
        using var store = OpenStore();
        await store.MigrateAsync();
        await store.MigrateAsync();
        Assert.Empty(await store.ListAsync());
    }

    [Fact]
    public async Task Add_ThenGet_RoundTripsEveryFieldToTheMillisecond()
    {
        using var store = OpenStore();
        await store.MigrateAsync();
        var record = Case("c1", 30);

        Assert.True(await store.AddAsync(record));

        var stored = await store.GetAsync("c1");
        Assert.NotNull(stored);
        Assert.Equal(record with { EventAt = stored.EventAt, CreatedAt = stored.CreatedAt }, stored);
        Assert.Equal(record.EventAt.UtcDateTime, stored.EventAt.UtcDateTime);
        Assert.Null(await store.GetAsync("nope"));
    }

    [Fact]
    public async Task Add_SameCaseTwice_StoresItOnce()
    {
        using var store = OpenStore();
        await store.MigrateAsync();

        Assert.True(await store.AddAsync(Case("c1", 30)));
        Assert.False(await store.AddAsync(Case("c1", 31)));

        var only = Assert.Single(await store.ListAsync());
        Assert.Equal(30, only.EventAt.ToOffset(TimeSpan.FromHours(8)).Minute);
    }

    [Fact]
    public async Task List_ByEventTime_OldestFirstAndSurvivesReopening()
    {
        using (var store = OpenStore())
        {
            await store.MigrateAsync();
            await store.AddAsync(Case("late", 45));
            await store.AddAsync(Case("early", 5));
        }

        using var again = OpenStore();
        await again.MigrateAsync();
        Assert.Equal(["early", "late"], (await again.ListAsync()).Select(c => c.CaseId));
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteCaseStoreTests : CaseStoreContract
{
    protected override ICaseStore OpenStore() => new SqliteCaseStore(Temp.File("cww.db"));

    [Fact]
    public void Open_UnwritablePlace_SaysWhichDatabase()
    {
        var error = Assert.Throws<StorageException>(() => new SqliteCaseStore("/proc/cww/cww.db"));
        Assert.Contains("/proc/cww/cww.db", error.Message, StringComparison.Ordinal);
    }
}
