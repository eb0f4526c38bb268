using CrosswalkWatch.Domain.Sites;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>
/// The sites' public keys, in the same database as the cases (<c>site_keys</c>): added, listed, retired, each change
/// with its audit row (subject <c>site-key:SITE/KEYID</c>). A key id belongs to one site only.
/// </summary>
public sealed class SiteKeyStore : DatabaseStore
{
    private const string Select =
        "SELECT site_id AS SiteId, key_id AS KeyId, public_key_pem AS PublicKeyPem, added_at_ms AS AddedAtMs, retired_at_ms AS RetiredAtMs FROM site_keys";

    private SiteKeyStore(StoreDatabase database)
        : base(database)
    {
    }

    /// <summary>The keys' store in the database the configuration names, beside the cases.</summary>
    public static SiteKeyStore Open(Domain.Config.StorageConfig storage, string dataDirectory) => new(Stores.Database(storage, dataDirectory));

    /// <summary>
    /// Registers <paramref name="key"/> (its retirement, if any, is not taken) with its audit row. Returns the key as
    /// stored and whether it was added: a key already registered for the same site is left as it is (a retired one
    /// stays retired); one registered for another site is refused with a <see cref="StorageException"/>.
    /// </summary>
    public Task<(SiteKey Key, bool Added)> AddAsync(SiteKey key, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var rows = await connection.ExecuteAsync(
                    "INSERT INTO site_keys (key_id, site_id, public_key_pem, added_at_ms, retired_at_ms) VALUES (@KeyId, @SiteId, @PublicKeyPem, @atMs, NULL) ON CONFLICT (key_id) DO NOTHING",
                    new { key.KeyId, key.SiteId, key.PublicKeyPem, atMs = key.AddedAt.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                var stored = (await connection.QuerySingleAsync<Row>(Select + " WHERE key_id = @KeyId", new { key.KeyId }, transaction).ConfigureAwait(false)).ToKey();
                if (!string.Equals(stored.SiteId, key.SiteId, StringComparison.Ordinal))
                {
                    throw new StorageException($"key {key.KeyId} is already site {stored.SiteId}'s; a key belongs to one site only (give site {key.SiteId} its own box's key)");
                }

                if (rows > 0)
                {
                    await AuditLog.AppendAsync(connection, transaction, key.AddedAt, actor, Subject(stored), "site-key-added", (View?)null, View.Of(stored)).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return (stored, rows > 0);
            },
            $"add key {key.KeyId} of site {key.SiteId}",
            cancellationToken);
    }

    /// <summary>The keys of <paramref name="siteId"/> (every site's when null), by site and then as added, retired ones too.</summary>
    public Task<IReadOnlyList<SiteKey>> ListAsync(string? siteId = null, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<SiteKey>>(
            async connection => (await connection.QueryAsync<Row>(
                    Select + (siteId is null ? "" : " WHERE site_id = @siteId") + " ORDER BY site_id, added_at_ms, key_id", new { siteId }).ConfigureAwait(false))
                .Select(r => r.ToKey()).ToList(),
            siteId is null ? "list the sites' keys" : $"read the keys of site {siteId}",
            cancellationToken);

    /// <summary>
    /// Retires <paramref name="keyId"/> of <paramref name="siteId"/> at <paramref name="at"/>, with its audit row: it then
    /// vouches only for events before that moment. Null when the site has no such key; a key already retired keeps its
    /// first retirement unless <paramref name="at"/> is earlier (retiring sooner is always allowed, later never).
    /// </summary>
    public Task<SiteKey?> RetireAsync(string siteId, string keyId, DateTimeOffset at, string actor, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var before = (await connection.QuerySingleOrDefaultAsync<Row>(Select + " WHERE key_id = @keyId AND site_id = @siteId", new { keyId, siteId }, transaction).ConfigureAwait(false))?.ToKey();
                if (before is null)
                {
                    return null;
                }

                if (before.RetiredAt is { } retired && retired <= at)
                {
                    return before;
                }

                var after = before with { RetiredAt = at };
                await connection.ExecuteAsync(
                    "UPDATE site_keys SET retired_at_ms = @atMs WHERE key_id = @keyId", new { keyId, atMs = at.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
                await AuditLog.AppendAsync(connection, transaction, DateTimeOffset.UtcNow, actor, Subject(after), "site-key-retired", View.Of(before), View.Of(after)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return after;
            },
            $"retire key {keyId} of site {siteId}",
            cancellationToken);

    private static string Subject(SiteKey key) => $"site-key:{key.SiteId}/{key.KeyId}";

    /// <summary>A key as the audit log shows it.</summary>
    private sealed record View(string SiteId, string KeyId, string PublicKeyPem, DateTimeOffset AddedAt, DateTimeOffset? RetiredAt)
    {
        public static View Of(SiteKey k) => new(k.SiteId, k.KeyId, k.PublicKeyPem, k.AddedAt, k.RetiredAt);
    }

    private sealed class Row
    {
        public string SiteId { get; set; } = "";

        public string KeyId { get; set; } = "";

        public string PublicKeyPem { get; set; } = "";

        public long AddedAtMs { get; set; }

        public long? RetiredAtMs { get; set; }

        public SiteKey ToKey() => new(
            SiteId,
            KeyId,
            PublicKeyPem,
            DateTimeOffset.FromUnixTimeMilliseconds(AddedAtMs),
            RetiredAtMs is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
    }
}
