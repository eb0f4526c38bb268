using System.Security.Cryptography;
using CrosswalkWatch.Domain.Files;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// The site's secret for anti-forgery marks and manifest signatures (HMAC-SHA256): 32 random bytes in a file readable by
/// the owner only, made on first use. Whoever holds it can issue evidence for this site; keep a copy off the box.
/// </summary>
public static class EvidenceKey
{
    public static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var key = File.ReadAllBytes(path);
            if (key.Length < 32)
            {
                throw new EvidenceException($"evidence key {path} is {key.Length} bytes; expected at least 32 (delete it to make a new one, which makes older packages unverifiable)");
            }

            return key;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

        // Owner-only from the first byte, through a new file (a stale or planted key.part is removed, never written
        // through); when another process made the key first, that one is kept and read here.
        OwnerOnlyFile.WriteNew(path, RandomNumberGenerator.GetBytes(32), replace: false);
        return LoadOrCreate(path);
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
