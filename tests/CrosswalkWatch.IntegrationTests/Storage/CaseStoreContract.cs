using System.Globalization;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Outbox;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Storage;

/// <summary>
/// What every case store must do (cases, the outbox written with them, parked messages), run against each
/// implementation, SQLite and PostgreSQL, as Dapper's provider tests do.
/// </summary>
public abstract class CaseStoreContract : IDisposable
{
    protected TempFolder Temp { get; } = new();

    /// <summary>A store over the same database each time it is called (to test reopening).</summary>
    protected abstract ICaseStore OpenStore();

    protected static CaseRecord Case(string id, int minute) => new(
        id, "site-01", "cam1", new DateTimeOffset(2026, 11, 28, 9, minute, 12, 250, TimeSpan.FromHours(8)), "S1", "southbound", 7,
        CaseStatus.Candidate, "/var/cww/evidence/" + id, "{\"vehicleTrackId\":7}", "abc123", new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));

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
        Assert.Equal(record with { EventAt = stored.EventAt, CreatedAt = stored.CreatedAt, Confirmations = stored.Confirmations }, stored);
        Assert.Equal(record.Confirmations, stored.Confirmations); // a list: the record compares its reference, this its items
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

    [Fact]
    public async Task Add_WithAnnouncement_QueuesItOnceOldestFirstUntilMarkedSent()
    {
        using var store = OpenStore();
        await store.MigrateAsync();
        Assert.Empty(await store.PendingAsync(10));

        Assert.True(await store.AddAsync(Case("c1", 30), new OutboxMessage("c1", "cww/site-01/candidates", "{\"n\":1}")));
        Assert.True(await store.AddAsync(Case("c2", 31), new OutboxMessage("c2", "cww/site-01/candidates", "{\"n\":2}")));
        Assert.False(await store.AddAsync(Case("c1", 32), new OutboxMessage("c1", "cww/site-01/candidates", "{\"n\":3}")));

        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], (await store.PendingAsync(10)).Select(m => m.Payload));
        Assert.Equal(["c1"], (await store.PendingAsync(1)).Select(m => m.Id));
        Assert.Equal(2, await store.PendingCountAsync());

        await store.MarkSentAsync("c1");

        Assert.Equal(new OutboxMessage("c2", "cww/site-01/candidates", "{\"n\":2}"), Assert.Single(await store.PendingAsync(10)));
        Assert.Equal(1, await store.PendingCountAsync());
    }

    [Fact]
    public async Task Add_WithoutAnnouncement_QueuesNothing()
    {
        using var store = OpenStore();
        await store.MigrateAsync();

        Assert.True(await store.AddAsync(Case("c1", 30)));

        Assert.Equal(0, await store.PendingCountAsync());
    }

    [Fact]
    public async Task Park_ThenParked_OldestFirstWithReasonAndTime()
    {
        using var store = OpenStore();
        await store.MigrateAsync();
        Assert.Empty(await store.ParkedAsync());
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await store.ParkAsync("cww/x/candidates", "not json", "malformed");
        await store.ParkAsync("cww/y/candidates", "{}", "version 9 is not known");

        var parked = await store.ParkedAsync();
        Assert.Equal([("cww/x/candidates", "not json", "malformed"), ("cww/y/candidates", "{}", "version 9 is not known")], parked.Select(p => (p.Topic, p.Payload, p.Reason)));
        Assert.All(parked, p => Assert.InRange(p.ReceivedAt, before, DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Single(await store.ParkedAsync(1));
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

[Collection(PostgresServer.Collection)]
public sealed class PostgresCaseStoreTests(PostgresServer server) : CaseStoreContract
{
    private readonly string _database = server.CreateDatabase();

    protected override ICaseStore OpenStore() => new PostgresCaseStore(_database);

    [Fact]
    public async Task Migrate_TwoProcessesAtOnce_AppliesEachMigrationOnce()
    {
        using var first = OpenStore();
        using var second = OpenStore();

        await Task.WhenAll(first.MigrateAsync(), second.MigrateAsync());

        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM schema_version", connection);
        Assert.Equal((long)CrosswalkWatch.Storage.Migrations.Scripts(CrosswalkWatch.Storage.Migrations.Postgres).Count, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Server_StoppedThenStarted_ClearErrorWhileDownThenTheSameStoreWorks()
    {
        using var store = await WithOneCaseAsync();

        server.Stop();
        try
        {
            var error = await Assert.ThrowsAsync<StorageException>(() => store.AddAsync(Case("while-down", 11)));
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL 127.0.0.1:{server.Port}/cww_test_"), error.Message, StringComparison.Ordinal);
            Assert.Contains("could not store case while-down", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(" at Npgsql", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            server.Start();
        }

        Assert.True(await store.AddAsync(Case("after", 12)));
        Assert.Equal(["before", "after"], (await store.ListAsync()).Select(c => c.CaseId));
    }

    [Fact]
    public async Task Server_RestartedBetweenCalls_TheNextCallWorks()
    {
        using var store = await WithOneCaseAsync();

        server.Stop();
        server.Start();

        Assert.True(await store.AddAsync(Case("after", 12)));
        Assert.Equal(2, (await store.ListAsync()).Count);
    }

    private async Task<ICaseStore> WithOneCaseAsync()
    {
        var store = OpenStore();
        await store.MigrateAsync();
        Assert.True(await store.AddAsync(Case("before", 10)));
        return store;
    }

    [Fact]
    public void Open_BadConnectionString_SaysWhichKeyWithoutQuotingIt()
    {
        var error = Assert.Throws<StorageException>(() => new PostgresCaseStore("Host=db;Pasword=secret"));
        Assert.Contains("storage.connectionString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
