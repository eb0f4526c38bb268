using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Storage;

/// <summary>The console's accounts, lockouts, acknowledgements and audit rows, the same on SQLite and PostgreSQL.</summary>
public abstract class ConsoleStoreContract : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    protected TempFolder Temp { get; } = new();

    protected abstract StorageConfig Storage { get; }

    [Fact]
    public async Task Create_SameNameTwice_KeepsTheFirstAndAuditsOnce()
    {
        using var store = await OpenAsync();
        Assert.True(await store.CreateAsync(new Account("ann", "police", "hash-1"), "root", At));
        Assert.False(await store.CreateAsync(new Account("ann", "admin", "hash-2"), "root", At));

        var ann = await store.FindAsync("ann");
        Assert.Equal(("police", "hash-1"), (ann!.Role, ann.PasswordHash));
        using var cases = Stores.OpenCases(Storage, Temp.Path);
        Assert.Single(await cases.AuditAsync("account:ann"));
    }

    [Fact]
    public async Task Failures_LockAtTheLimit_AndASuccessForgetsThemBeforeIt()
    {
        using var store = await OpenAsync();
        await store.CreateAsync(new Account("bo", "office", "h"), "root", At);

        await store.RecordFailureAsync("bo", 3, TimeSpan.FromMinutes(15), At);
        await store.RecordFailureAsync("bo", 3, TimeSpan.FromMinutes(15), At);
        await store.RecordSuccessAsync("bo", At);
        var reset = await store.FindAsync("bo");
        Assert.Equal(0, reset!.FailedSignIns);

        Account? after = null;
        for (var i = 0; i < 3; i++)
        {
            after = await store.RecordFailureAsync("bo", 3, TimeSpan.FromMinutes(15), At.AddSeconds(i));
        }

        Assert.True(after!.IsLocked(At.AddMinutes(10)));
        Assert.False(after.IsLocked(At.AddMinutes(16)));
        using var cases = Stores.OpenCases(Storage, Temp.Path);
        Assert.Single(await cases.AuditAsync("account:bo"), a => a.Action == "account-locked");
        Assert.Null(await store.RecordFailureAsync("nobody", 3, TimeSpan.FromMinutes(15), At));
    }

    [Fact]
    public async Task Change_WritesBeforeAndAfterWithoutTheHash()
    {
        using var store = await OpenAsync();
        await store.CreateAsync(new Account("cy", "operator", "secret-hash"), "root", At);

        var changed = await store.ChangeAsync("cy", a => a with { Role = "police", PasswordHash = "new-hash" }, "account-changed", "root", At);

        Assert.Equal("police", changed!.Role);
        using var cases = Stores.OpenCases(Storage, Temp.Path);
        var rows = await cases.AuditAsync("account:cy");
        var row = rows[^1];
        Assert.Contains("\"role\":\"operator\"", row.BeforeJson, StringComparison.Ordinal);
        Assert.Contains("\"passwordChanged\":true", row.AfterJson, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", row.BeforeJson + row.AfterJson, StringComparison.Ordinal);
        Assert.Null(await store.ChangeAsync("nobody", a => a, "account-changed", "root", At));
    }

    [Fact]
    public async Task Acknowledge_ANoticeThatWasNeverIssued_IsRefused_AndAConsoleChangeIsAudited()
    {
        using var store = await OpenAsync();
        Assert.False(await store.AcknowledgeAsync("F001", "2026", 3, "office", At));
        Assert.Empty(await store.NoticeAcksAsync());

        var id = await store.RecordChangeAsync("op", "scene:cam1", "scene-saved", new { v = 1 }, new { v = 2 }, At);
        using var cases = Stores.OpenCases(Storage, Temp.Path);
        var row = Assert.Single(await cases.AuditAsync("scene:cam1"));
        Assert.Equal((id, "op", "scene-saved", "{\"v\":2}"), (row.Id, row.Actor, row.Action, row.AfterJson));
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<ConsoleStore> OpenAsync()
    {
        var store = ConsoleStore.Open(Storage, Temp.Path);
        await store.MigrateAsync();
        return store;
    }
}

public sealed class SqliteConsoleStoreTests : ConsoleStoreContract
{
    protected override StorageConfig Storage { get; } = new();
}

[Collection(PostgresServer.Collection)]
public sealed class PostgresConsoleStoreTests(PostgresServer server) : ConsoleStoreContract
{
    protected override StorageConfig Storage { get; } = new() { Type = StorageKind.Postgres, ConnectionString = server.CreateDatabase() };
}
