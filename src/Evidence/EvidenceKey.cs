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

        // Owner-only from the first byte (the mode is given to open(2) itself), into a new file: a stale or planted
        // key.part (a link to somewhere an attacker reads) is removed, never written through.
        var partial = path + ".part";
        File.Delete(partial);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(partial, options))
        {
            stream.Write(fresh);
        }

        try
        {
            File.Move(partial, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the key first: use that one.
            File.Delete(partial);
            return LoadOrCreate(path);
        }

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
