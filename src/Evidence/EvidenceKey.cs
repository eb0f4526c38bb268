using System.Security.Cryptography;

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
        var fresh = RandomNumberGenerator.GetBytes(32);
        var partial = path + ".part";
        File.WriteAllBytes(partial, fresh);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(partial, path);
        return fresh;
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
