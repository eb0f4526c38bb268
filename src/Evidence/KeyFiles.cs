namespace CrosswalkWatch.Evidence;

/// <summary>Secret key files: written once, readable by the owner only from their first byte, never through a planted link.</summary>
internal static class KeyFiles
{
    /// <summary>
    /// Writes <paramref name="contents"/> to a new file at <paramref name="path"/>, owner-only from the first byte (the
    /// mode is given to open(2) itself), through a fresh <c>.part</c> file: a stale or planted <c>.part</c> (a link to
    /// somewhere an attacker reads) is removed, never written through. False, and nothing written, when another process
    /// made the file first: the caller reads that one.
    /// </summary>
    public static bool CreateOwnerOnly(string path, ReadOnlySpan<byte> contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var partial = path + ".part";
        File.Delete(partial);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(partial, options))
        {
            stream.Write(contents);
        }

        try
        {
            File.Move(partial, path);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(partial);
            return false;
        }
    }
}
