using CrosswalkWatch.Domain.Sites;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Review;

/// <summary>
/// The keys evidence is verified with at a central site (or a one-box install): the sites' public keys in the store,
/// read at each verification (a key added or retired with <c>cww sites</c> counts at once), and the legacy shared key
/// for format-1 packages when the data folder still has one.
/// </summary>
public sealed class StoredEvidenceKeys(SiteKeyStore store, byte[]? legacyKey) : IEvidenceKeys
{
    public byte[]? LegacyKey { get; } = legacyKey;

    public Task<IReadOnlyList<SiteKey>> KeysOfAsync(string siteId, CancellationToken cancellationToken = default) =>
        store.ListAsync(siteId, cancellationToken);

    /// <summary>
    /// Registers a box's own public key for its own site, unless it already is (a retired one stays retired): what a
    /// one-box install does when it starts, so its cases can be reviewed with no setup. True when it was added now.
    /// </summary>
    public static async Task<bool> RegisterOwnAsync(SiteKeyStore store, string siteId, EvidenceSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signer);
        var (_, added) = await store.AddAsync(new SiteKey(siteId, signer.KeyId, signer.PublicKeyPem, DateTimeOffset.UtcNow), "box " + siteId, cancellationToken).ConfigureAwait(false);
        return added;
    }
}
