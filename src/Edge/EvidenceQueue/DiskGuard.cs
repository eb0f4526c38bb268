namespace CrosswalkWatch.Edge.EvidenceQueue;

/// <summary>
/// The evidence disk's room: the free space kept as a reserve (<c>evidence.minFreeMegabytes</c>) below which no package
/// is started, the headroom wanted above it before building again after the disk was full, and what a write failing
/// for lack of space looks like.
/// </summary>
public sealed class DiskGuard(string root, long reserveBytes)
{
    /// <summary>Free space above the reserve needed before a full disk counts as having room again: a couple of packages.</summary>
    public const long ResumeHeadroomBytes = 16L * 1024 * 1024;

    public string Root { get; } = root;

    public long ReserveBytes { get; } = reserveBytes;

    /// <summary>Room to start a package: the reserve is free.</summary>
    public bool HasRoom(long free) => free >= ReserveBytes;

    /// <summary>Room again after the disk was full: the reserve and a couple of packages' worth are free.</summary>
    public bool HasRoomAgain(long free) => free >= ReserveBytes + ResumeHeadroomBytes;

    public long FreeBytes()
    {
        try
        {
            Directory.CreateDirectory(Root);
            return new DriveInfo(Root).AvailableFreeSpace;
        }
        catch (IOException)
        {
            return 0; // cannot even create the folder: as good as full
        }
    }

    /// <summary>A write failed for lack of space: ENOSPC (or Windows' disk full) anywhere in the chain, or said by ffmpeg.</summary>
    public static bool IsDiskFull(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException { HResult: 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027) }
                || inner.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
