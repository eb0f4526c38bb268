using System.Globalization;
using System.Text;

namespace CrosswalkWatch.Media.Clips;

/// <summary>One recorded segment with its wall-clock span.</summary>
public sealed record RecordedSegment(string Path, DateTimeOffset Start, DateTimeOffset End, string Session)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>A clip cut from recorded segments: where it is, the wall-clock span its segments cover, and its codec as ffprobe names it ("h264", "hevc").</summary>
public sealed record ClipResult(string Path, DateTimeOffset Start, DateTimeOffset End, int Segments, bool CoversWindow, string Codec)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>
/// Cuts an evidence clip from the recording ring without re-encoding: joins the segments that overlap the window
/// and trims to it at keyframes, into an MP4 with its index at the front (faststart) so a browser plays it at once.
/// The clip starts at most one GOP before the window. It is written beside the target and renamed when complete,
/// so a half-written clip is never seen.
/// </summary>
public static class ClipCutter
{
    /// <param name="all">The recorded segments, oldest first.</param>
    /// <param name="where">Where they are, for the message when none covers the window.</param>
    public static async Task<ClipResult> CutAsync(IReadOnlyList<RecordedSegment> all, string where, DateTimeOffset from, DateTimeOffset to, string output, CancellationToken cancellationToken = default)
    {
        if (to <= from)
        {
            throw new ArgumentException($"the clip window ends ({to:O}) before it starts ({from:O})", nameof(to));
        }

        var segments = all.Where(s => s.End > from && s.Start < to).ToList();
        if (segments.Count == 0)
        {
            var held = all.Count == 0 ? "nothing" : $"{all[0].Start:O} to {all[^1].End:O}";
            throw new MediaException($"no recording in {where} covers {from:O} to {to:O}; the ring holds {held}", permanent: true);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(directory);
        var list = Path.Combine(directory, $".{Path.GetFileName(output)}.{Environment.ProcessId}.concat.txt");
        var text = new StringBuilder("ffconcat version 1.0\n");
        foreach (var segment in segments)
        {
            text.Append("file '").Append(segment.Path.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
            text.Append(CultureInfo.InvariantCulture, $"duration {segment.Duration.TotalSeconds:0.######}\n");
        }

        await File.WriteAllTextAsync(list, text.ToString(), cancellationToken).ConfigureAwait(false);
        var first = segments[0];
        var start = from > first.Start ? from : first.Start;
        var end = to < segments[^1].End ? to : segments[^1].End;
        var offset = (start - first.Start).TotalSeconds;
        var length = (end - start).TotalSeconds;
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y",
            "-f", "concat", "-safe", "0",
            "-ss", offset.ToString("0.###", CultureInfo.InvariantCulture),
            "-i", list,
            "-t", length.ToString("0.###", CultureInfo.InvariantCulture),
            "-map", "0:v:0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4",
        ];
        try
        {
            await FfmpegFile.WriteAsync(arguments, output, $"cutting {output}", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(list);
        }

        var covers = first.Start <= from && segments[^1].End >= to && Contiguous(segments);
        return new ClipResult(output, start, end, segments.Count, covers, await FfmpegFile.CodecOfAsync(output, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>True when no gap over a second separates consecutive segments (a reconnect leaves one).</summary>
    private static bool Contiguous(List<RecordedSegment> segments)
    {
        for (var i = 1; i < segments.Count; i++)
        {
            if (segments[i].Start - segments[i - 1].End > TimeSpan.FromSeconds(1))
            {
                return false;
            }
        }

        return true;
    }
}
