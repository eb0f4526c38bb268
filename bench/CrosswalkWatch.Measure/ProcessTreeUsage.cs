using System.Globalization;

namespace CrosswalkWatch.Measure;

/// <summary>
/// CPU time and resident memory of this process and its direct children (the per-camera ffmpeg processes), read
/// from /proc, for the measuring commands. Children listed in <c>exclude</c> (the camera simulator) are not counted.
/// </summary>
internal sealed class ProcessTreeUsage
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private const long PageBytes = 4096;

    public required TimeSpan Cpu { get; init; }

    public required long ResidentBytes { get; init; }

    public required int Children { get; init; }

    public static ProcessTreeUsage Sample(IReadOnlySet<int> exclude)
    {
        var self = Environment.ProcessId;
        var (selfCpu, selfRss, _) = Read(self) ?? (0, 0, 0);
        double ticks = selfCpu;
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

        return new ProcessTreeUsage { Cpu = TimeSpan.FromSeconds(ticks / TicksPerSecond), ResidentBytes = rss, Children = children };
    }

    /// <summary>utime+stime (ticks), resident bytes and parent pid of one process; null when it is gone.</summary>
    private static (double Ticks, long Rss, int Parent)? Read(int pid)
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
        return (ticks, rss, parent);
    }
}
