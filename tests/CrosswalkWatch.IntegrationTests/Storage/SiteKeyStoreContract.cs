using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Sites;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Storage;

/// <summary>The sites' public keys: added once, one site per key, retired (sooner, never later), audited; the same on SQLite and PostgreSQL.</summary>
public abstract class SiteKeyStoreContract : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
    private readonly EvidenceSigner _a = EvidenceSigner.CreateEphemeral();
    private readonly EvidenceSigner _b = EvidenceSigner.CreateEphemeral();

    protected TempFolder Temp { get; } = new();

    protected abstract StorageConfig Storage { get; }

    [Fact]
    public async Task Add_SameKeyTwice_KeepsTheFirst_AndAnotherSitesKeyIsRefused()
    {
        using var store = await OpenAsync();

        var (first, added) = await store.AddAsync(Key("site-a", _a, At), "root");
        var (again, addedAgain) = await store.AddAsync(Key("site-a", _a, At.AddDays(1)), "root");
        var refused = await Assert.ThrowsAsync<StorageException>(() => store.AddAsync(Key("site-b", _a, At), "box b"));

        Assert.True(added);
        Assert.False(addedAgain);
        Assert.Equal(first, again);
        Assert.Contains($"key {_a.KeyId} is already site site-a's", refused.Message, StringComparison.Ordinal);
        Assert.Equal([first], await store.ListAsync());
        Assert.Empty(await store.ListAsync("site-b"));
        using var cases = Stores.OpenCases(Storage, Temp.Path);
        Assert.Single(await cases.AuditAsync($"site-key:site-a/{_a.KeyId}"));
    }

    [Fact]
    public async Task Retire_KeepsTheEarliestRetirement_AndAnUnknownKeyIsNull()
    {
        using var store = await OpenAsync();
        await store.AddAsync(Key("site-a", _a, At), "root");
        await store.AddAsync(Key("site-a", _b, At.AddDays(1)), "root");

        var retired = await store.RetireAsync("site-a", _a.KeyId, At.AddDays(2), "root");
        var later = await store.RetireAsync("site-a", _a.KeyId, At.AddDays(5), "root");
        var sooner = await store.RetireAsync("site-a", _a.KeyId, At.AddDays(1), "root");

        Assert.Equal(At.AddDays(2), retired!.RetiredAt);
        Assert.Equal(At.AddDays(2), later!.RetiredAt);
        Assert.Equal(At.AddDays(1), sooner!.RetiredAt);
        Assert.Null(await store.RetireAsync("site-b", _a.KeyId, At, "root"));
        Assert.Equal([(_a.KeyId, (DateTimeOffset?)At.AddDays(1)), (_b.KeyId, null)], (await store.ListAsync("site-a")).Select(k => (k.KeyId, k.RetiredAt)));

        // Registering a retired key again does not bring it back.
        Assert.False((await store.AddAsync(Key("site-a", _a, At.AddDays(9)), "box")).Added);
        Assert.NotNull((await store.ListAsync("site-a"))[0].RetiredAt);
        using var cases = Stores.OpenCases(Storage, Temp.Path);
        Assert.Equal(["site-key-added", "site-key-retired", "site-key-retired"], (await cases.AuditAsync($"site-key:site-a/{_a.KeyId}")).Select(a => a.Action));
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private static SiteKey Key(string site, EvidenceSigner signer, DateTimeOffset at) => new(site, signer.KeyId, signer.PublicKeyPem, at);

    private async Task<SiteKeyStore> OpenAsync()
    {
        var store = SiteKeyStore.Open(Storage, Temp.Path);
        await store.MigrateAsync();
        return store;
    }
}

public sealed class SqliteSiteKeyStoreTests : SiteKeyStoreContract
{
    protected override StorageConfig Storage { get; } = new();
}

[Collection(PostgresServer.Collection)]
public sealed class PostgresSiteKeyStoreTests(PostgresServer server) : SiteKeyStoreContract
{
    protected override StorageConfig Storage { get; } = new() { Type = StorageKind.Postgres, ConnectionString = server.CreateDatabase() };
}
