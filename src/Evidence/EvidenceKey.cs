using System.Security.Cryptography;
using CrosswalkWatch.Domain.Files;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// The old shared secret (HMAC-SHA256, 32 random bytes in DATA/keys/site.key) that signed format-1 packages before
/// each box had its own key (<see cref="EvidenceSigner"/>). Kept only to verify those packages, which are marked as
/// having a legacy shared-key signature: every box held the same key, so it shows a package is unchanged, not which box made it.
/// </summary>
public static class EvidenceKey
{
    /// <summary>Where the legacy key is kept in a data folder.</summary>
    public static string LegacyPath(string dataDirectory) => Path.Combine(dataDirectory, "keys", "site.key");

    /// <summary>The legacy key at <paramref name="path"/>, or null when there is none.</summary>
    public static byte[]? Load(string path) => File.Exists(path) ? Read(path) : null;

    /// <summary>Reads the key, or makes one (owner-only from its first byte) when there is none. Tests make format-1 packages with it.</summary>
    public static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }

        var fresh = RandomNumberGenerator.GetBytes(32);
        return OwnerOnlyFile.WriteNew(path, fresh, replace: false) ? fresh : Read(path); // another process made it first: use that one
    }

    private static byte[] Read(string path)
    {
        var key = File.ReadAllBytes(path);
        return key.Length >= 32
            ? key
            : throw new EvidenceException($"evidence key {path} is {key.Length} bytes; expected at least 32 (the legacy shared key that signed format-1 packages)");
    }
}

/// <summary>An evidence package could not be built or does not verify.</summary>
public sealed class EvidenceException : Exception
{
    public EvidenceException()
    {
    }

    public EvidenceException(string message)
        : base(message)
    {
    }

    public EvidenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
