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
        Assert.NotNull(await store.StartSessionAsync("bo", "h", "session-0", At, At.AddHours(-12)));
        var reset = await store.FindAsync("bo");
        Assert.Equal(0, reset!.FailedSignIns);

        Account? after = null;
        for (var i = 0; i < 3; i++)
        {
            after = await store.RecordFailureAsync("bo", 3, TimeSpan.FromMinutes(15), At.AddSeconds(i));
        }

        Assert.True(after!.IsLocked(At.AddMinutes(10)));
        Assert.False(after.IsLocked(At.AddMinutes(16)));

        // While locked a failure changes nothing (the lock is not extended); after it, counting starts again.
        Assert.Null(await store.RecordFailureAsync("bo", 3, TimeSpan.FromMinutes(15), At.AddMinutes(5)));
        Assert.Equal(after.LockedUntil, (await store.FindAsync("bo"))!.LockedUntil);
        var again = await store.RecordFailureAsync("bo", 3, TimeSpan.FromMinutes(15), At.AddMinutes(16));
        Assert.Equal((1, false), (again!.FailedSignIns, again.IsLocked(At.AddMinutes(16))));
        using var cases = Stores.OpenCases(Storage, Temp.Path);
        Assert.Single(await cases.AuditAsync("account:bo"), a => a.Action == "account-locked");
        Assert.Null(await store.RecordFailureAsync("nobody", 3, TimeSpan.FromMinutes(15), At));
    }

    [Fact]
    public async Task Failures_ManyAtOnce_CountEveryOne()
    {
        using var store = await OpenAsync();
        await store.CreateAsync(new Account("dee", "police", "h"), "root", At);

        // Each on its own connection where the database has several (PostgreSQL): a read-then-write would lose some.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => store.RecordFailureAsync("dee", 1000, TimeSpan.FromMinutes(15), At.AddMilliseconds(i)))));

        Assert.Equal(40, (await store.FindAsync("dee"))!.FailedSignIns);
    }

    [Fact]
    public async Task Failures_ManyAtOnceAcrossTheLimit_LockOnceAndAuditOnce()
    {
        using var store = await OpenAsync();
        await store.CreateAsync(new Account("eve", "police", "h"), "root", At);

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => store.RecordFailureAsync("eve", 5, TimeSpan.FromMinutes(15), At))));

        var eve = await store.FindAsync("eve");
        Assert.Equal((5, At.AddMinutes(15)), (eve!.FailedSignIns, eve.LockedUntil));
        Assert.Equal(5, results.Count(r => r is not null));
        using var cases = Stores.OpenCases(Storage, Temp.Path);
        Assert.Single(await cases.AuditAsync("account:eve"), a => a.Action == "account-locked");
    }

    [Fact]
    public async Task Sessions_EndOnPasswordRoleAndDisable_NotOnALockoutOrUnlock()
    {
        using var store = await OpenAsync();
        foreach (var name in new[] { "fay", "gus", "hal" })
        {
            await store.CreateAsync(new Account(name, "police", "h"), "root", At);
            Assert.NotNull(await store.StartSessionAsync(name, "h", "s-" + name, At, At.AddHours(-12)));
            Assert.Equal(new SessionState(name, "police", false, At), await store.SessionAsync("s-" + name));
        }

        for (var i = 0; i < 3; i++)
        {
            await store.RecordFailureAsync("fay", 3, TimeSpan.FromMinutes(15), At);
        }

        await store.ChangeAsync("fay", a => a with { FailedSignIns = 0, LockedUntil = null }, "account-unlocked", "root", At);
        Assert.NotNull(await store.SessionAsync("s-fay"));

        await store.ChangeAsync("fay", a => a with { PasswordHash = "h2" }, "account-password-set", "root", At);
        await store.ChangeAsync("gus", a => a with { Role = "office" }, "account-changed", "root", At);
        await store.ChangeAsync("hal", a => a with { Disabled = true }, "account-disabled", "root", At);
        foreach (var name in new[] { "fay", "gus", "hal" })
        {
            Assert.Null(await store.SessionAsync("s-" + name));
            Assert.Equal(0, await store.OpenSessionsAsync(name));
        }
    }

    [Fact]
    public async Task StartSession_WithAnOldHashLockedOrDisabled_WritesNothing_AndSignOutEndsOne()
    {
        using var store = await OpenAsync();
        await store.CreateAsync(new Account("ida", "office", "h"), "root", At);

        Assert.Null(await store.StartSessionAsync("ida", "old-hash", "s1", At, At.AddHours(-12)));
        await store.RecordFailureAsync("ida", 1, TimeSpan.FromMinutes(15), At);
        Assert.Null(await store.StartSessionAsync("ida", "h", "s2", At.AddMinutes(1), At.AddHours(-12)));
        Assert.NotNull(await store.StartSessionAsync("ida", "h", "s3", At.AddMinutes(16), At.AddHours(-12)));
        await store.ChangeAsync("ida", a => a with { Disabled = true }, "account-disabled", "root", At.AddMinutes(17));
        Assert.Null(await store.StartSessionAsync("ida", "h", "s4", At.AddMinutes(18), At.AddHours(-12)));
        Assert.Equal(0, await store.OpenSessionsAsync("ida"));

        await store.ChangeAsync("ida", a => a with { Disabled = false }, "account-enabled", "root", At.AddMinutes(19));
        Assert.NotNull(await store.StartSessionAsync("ida", "h", "s5", At.AddMinutes(20), At.AddHours(-12)));
        Assert.True(await store.EndSessionAsync("s5"));
        Assert.False(await store.EndSessionAsync("s5"));
        Assert.Null(await store.SessionAsync("s5"));
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
