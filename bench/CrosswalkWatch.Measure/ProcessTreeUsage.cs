using System.Globalization;

namespace CrosswalkWatch.Measure;

/// <summary>
/// CPU time and resident memory of this process and its direct children (the per-camera ffmpeg processes), read
/// from /proc, for the measuring commands. Children listed in <c>exclude</c> (the camera simulator) are not counted.
/// Children that have ended and been waited for (the evidence builder's short ffmpeg runs: clip cuts)
/// count in <see cref="EndedChildrenCpu"/>, from this process's cutime and cstime.
/// </summary>
internal sealed class ProcessTreeUsage
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private const long PageBytes = 4096;

    /// <summary>All of it: this process, its running children and those ended.</summary>
    public TimeSpan Cpu => OwnCpu + ChildrenCpu + EndedChildrenCpu;

    /// <summary>This process's own threads.</summary>
    public required TimeSpan OwnCpu { get; init; }

    /// <summary>The children running at the sample (the cameras' ffmpeg).</summary>
    public required TimeSpan ChildrenCpu { get; init; }

    /// <summary>The children that have ended (the evidence builder's ffmpeg runs).</summary>
    public required TimeSpan EndedChildrenCpu { get; init; }

    public required long ResidentBytes { get; init; }

    public required int Children { get; init; }

    public static ProcessTreeUsage Sample(IReadOnlySet<int> exclude)
    {
        var self = Environment.ProcessId;
        var (selfCpu, selfRss, _, ended) = Read(self) ?? (0, 0, 0, 0);
        double ticks = 0;
        long rss = selfRss;
        var children = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self || exclude.Contains(pid))
            {
                continue;
            }

            if (Read(pid) is { Parent: var parent } stat && parent == self)
            {
                ticks += stat.Ticks;
                rss += stat.Rss;
                children++;
            }
        }

        return new ProcessTreeUsage
        {
            OwnCpu = TimeSpan.FromSeconds(selfCpu / TicksPerSecond),
            ChildrenCpu = TimeSpan.FromSeconds(ticks / TicksPerSecond),
            EndedChildrenCpu = TimeSpan.FromSeconds(ended / TicksPerSecond),
            ResidentBytes = rss,
            Children = children,
        };
    }

    /// <summary>
    /// The proportional set size (PSS) of this process and its running children, <paramref name="exclude"/> left out:
    /// resident memory with each shared page (the libraries every ffmpeg maps) divided among the processes sharing it,
    /// so that adding a camera adds what it really costs. Reads /proc/PID/smaps_rollup, which walks the page tables:
    /// sample it every few seconds, not in a tight loop.
    /// </summary>
    public static (long Own, long Children) ProportionalBytes(IReadOnlySet<int> exclude)
    {
        var self = Environment.ProcessId;
        var children = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != self && !exclude.Contains(pid) &&
                Read(pid) is { Parent: var parent } && parent == self)
            {
                children += Pss(pid);
            }
        }

        return (Pss(self), children);
    }

    /// <summary>The Pss line of /proc/PID/smaps_rollup, in bytes; 0 when the process is gone.</summary>
    private static long Pss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    return long.Parse(line["Pss:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return 0;
    }

    /// <summary>utime+stime (ticks), resident bytes, parent pid and cutime+cstime (ticks) of one process; null when it is gone.</summary>
    private static (double Ticks, long Rss, int Parent, double EndedChildren)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
        var rss = long.Parse(fields[21], CultureInfo.InvariantCulture) * PageBytes;
        var ended = double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture);
        return (ticks, rss, parent, ended);
    }
}
