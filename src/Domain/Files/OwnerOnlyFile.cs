namespace CrosswalkWatch.Domain.Files;

/// <summary>Files written readable by the owner only from their first byte (the mode goes to open(2) itself).</summary>
public static class OwnerOnlyFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> through a new file beside it: a stale or planted
    /// <c>.part</c> (a link to somewhere someone else reads) is removed, never written through. With
    /// <paramref name="replace"/> false an existing <paramref name="path"/> is left as it is and the answer is false
    /// (another process made the file first: the caller reads that one). The folder is made if it is missing.
    /// </summary>
    public static bool WriteNew(string path, ReadOnlySpan<byte> bytes, bool replace)
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
            stream.Write(bytes);
        }

        try
        {
            File.Move(partial, path, overwrite: replace);
            return true;
        }
        catch (IOException) when (!replace && File.Exists(path))
        {
            File.Delete(partial);
            return false;
        }
    }
}
