namespace CrosswalkWatch.Domain.Sites;

/// <summary>
/// A site's public key as the central site keeps it: which site, its id (the first 16 hex of the SHA-256 of the
/// SubjectPublicKeyInfo), the key as PEM, when it was added and, once rotated out, retired. A retired key still
/// vouches for packages of events before <see cref="RetiredAt"/>, never for one after it.
/// </summary>
public sealed record SiteKey(string SiteId, string KeyId, string PublicKeyPem, DateTimeOffset AddedAt, DateTimeOffset? RetiredAt = null)
{
    /// <summary>Whether the key vouches for an event at <paramref name="eventAt"/>: not retired, or retired after it.</summary>
    public bool CoversEventAt(DateTimeOffset eventAt) => RetiredAt is not { } retired || eventAt < retired;
}
