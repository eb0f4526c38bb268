using System.Globalization;

namespace CrosswalkWatch.Media.Clips;

/// <summary>
/// Mends the first segment a recording session writes. ffmpeg gives the first packet it reads from an RTSP camera (the
/// key frame, with the parameter sets from the SDP) no timestamp, with or without wall-clock timestamps; recording by
/// stream copy then writes it at about 0 while every later packet carries the wall clock (modulo MPEG-TS's 33 bits), a
/// jump of hours inside the segment. A clip cut across that segment then held one undecodable packet (an H.265 clip
/// with no picture, whose H.264 rendition had no video stream at all), and a photo taken in it was the segment's
/// second frame whatever the moment asked. The key frame gets the time one frame before the next packet's, written
/// back by stream copy (the pictures unchanged).
/// </summary>
public static class FirstPacketRepair
{
    /// <summary>Packets further apart than this (seconds) at a segment's start are a jump, not a frame interval.</summary>
    private const double JumpSeconds = 10;

    /// <summary>
    /// Gives <paramref name="segment"/>'s first packet the time one frame before its second's when the two are further
    /// apart than a frame can be; a segment whose times are in order is left as it is.
    /// </summary>
    /// <exception cref="MediaException">ffprobe cannot read the segment, or ffmpeg cannot write it again.</exception>
    public static async Task RepairAsync(string segment, CancellationToken cancellationToken = default)
    {
        var (ticks, timeBase) = await FirstTimestampsAsync(segment, cancellationToken).ConfigureAwait(false);
        if (ticks.Count < 3 || Math.Abs(ticks[1] - ticks[0]) * timeBase <= JumpSeconds)
        {
            return;
        }

        var first = ticks[1] - (ticks[2] - ticks[1]);
        var expression = string.Create(CultureInfo.InvariantCulture, $"setts=ts=if(eq(N\\,0)\\,{first}\\,TS)");
        await FfmpegFile.WriteAsync(
            [
                "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y",
                "-copyts", "-i", segment,
                "-map", "0:v:0", "-c", "copy", "-bsf:v", expression, "-mpegts_copyts", "1", "-f", "mpegts",
            ],
            segment,
            $"mending the first packet's time in {segment}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first three video packets' decoding times, in ticks of the stream's time base (seconds a tick).</summary>
    private static async Task<(List<long> Ticks, double TimeBase)> FirstTimestampsAsync(string segment, CancellationToken cancellationToken)
    {
        var (output, _) = await FfmpegFile.ProbeAsync(
            segment,
            ["-select_streams", "v:0", "-read_intervals", "%+#3", "-show_entries", "stream=time_base:packet=dts", "-of", "default=noprint_wrappers=1"],
            "ffprobe could not read its packets",
            cancellationToken).ConfigureAwait(false);
        var ticks = new List<long>();
        var timeBase = 1 / 90000.0;
        foreach (var line in output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("dts=", StringComparison.Ordinal) && long.TryParse(line[4..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var dts))
            {
                ticks.Add(dts);
            }
            else if (line.StartsWith("time_base=", StringComparison.Ordinal) && line[10..].Split('/') is [var n, var d]
                && double.TryParse(n, CultureInfo.InvariantCulture, out var numerator) && double.TryParse(d, CultureInfo.InvariantCulture, out var denominator) && denominator > 0)
            {
                timeBase = numerator / denominator;
            }
        }

        return (ticks, timeBase);
    }
}
