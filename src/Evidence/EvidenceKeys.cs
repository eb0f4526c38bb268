using CrosswalkWatch.Domain.Sites;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// What a package is verified with: each site's public keys (by site and key id, with when each was retired), and the
/// legacy shared HMAC key for format-1 packages when there still is one. The central site's are in its store
/// (<c>cww sites</c>); a one-box install's own key is registered there when the box starts.
/// </summary>
public interface IEvidenceKeys
{
    /// <summary>Every key registered for <paramref name="siteId"/>, retired ones too; empty when the site has none.</summary>
    Task<IReadOnlyList<SiteKey>> KeysOfAsync(string siteId, CancellationToken cancellationToken = default);

    /// <summary>The legacy shared key (HMAC-SHA256) that verifies format-1 packages, or null.</summary>
    byte[]? LegacyKey { get; }
}

/// <summary>Keys held in memory: a verifier's own list (tests, a one-off check).</summary>
public sealed class EvidenceKeys(IEnumerable<SiteKey> keys, byte[]? legacyKey = null) : IEvidenceKeys
{
    private readonly IReadOnlyList<SiteKey> _keys = [.. keys];

    public byte[]? LegacyKey { get; } = legacyKey;

    /// <summary><paramref name="signer"/>'s public key as <paramref name="siteId"/>'s only key.</summary>
    public static EvidenceKeys Of(string siteId, EvidenceSigner signer, byte[]? legacyKey = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return new([new SiteKey(siteId, signer.KeyId, signer.PublicKeyPem, DateTimeOffset.UnixEpoch)], legacyKey);
    }

    public Task<IReadOnlyList<SiteKey>> KeysOfAsync(string siteId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SiteKey>>([.. _keys.Where(k => string.Equals(k.SiteId, siteId, StringComparison.Ordinal))]);
}
