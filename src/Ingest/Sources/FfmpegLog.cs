using System.Text.RegularExpressions;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>
/// Reads ffmpeg's standard error (<c>-loglevel level+info</c>): the input and output stream sizes, and error lines
/// turned into messages an operator can act on.
/// </summary>
internal sealed partial class FfmpegLog
{
    private readonly Dictionary<int, double> _inputStarts = [];
    private readonly Dictionary<int, string> _inputCodecs = [];
    private double _timeBase;
    private string? _section; // "Input" or "Output"
    private int _sectionIndex;

    /// <summary>Size of the first input's video (the stream the detector reads).</summary>
    public string? InputSize { get; private set; }

    /// <summary>Size of the raw frames on standard output (output #0).</summary>
    public (int Width, int Height)? OutputSize { get; private set; }

    /// <summary>The most telling error seen so far, already explained.</summary>
    public string? LastError { get; private set; }

    /// <summary>ffmpeg could not write a segment: no space left on the recording disk.</summary>
    public bool DiskFull { get; private set; }

    /// <summary>
    /// The first timestamp of input <paramref name="index"/> in seconds: with wall-clock timestamps, the Unix time
    /// its first packet arrived.
    /// </summary>
    public double? InputStart(int index) => _inputStarts.TryGetValue(index, out var start) ? start : null;

    /// <summary>The video codec of input <paramref name="index"/> as operators name it ("H.264", "H.265"), once ffmpeg has described it.</summary>
    public string? InputCodec(int index) => _inputCodecs.TryGetValue(index, out var codec) ? codec : null;

    /// <summary>
    /// Reads the time of a frame from a <c>showinfo</c> line (the detection chain's last filter): the Unix time its
    /// first packet arrived, since every input carries wall-clock timestamps. False for other lines.
    /// </summary>
    public bool TryFrameTime(string line, out double seconds)
    {
        seconds = 0;
        if (!line.Contains("Parsed_showinfo", StringComparison.Ordinal))
        {
            return false;
        }

        if (TimeBasePattern().Match(line) is { Success: true } timeBase)
        {
            _timeBase = double.Parse(timeBase.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) /
                        double.Parse(timeBase.Groups[2].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            return false;
        }

        if (_timeBase > 0 && FramePattern().Match(line) is { Success: true } frame)
        {
            seconds = long.Parse(frame.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) * _timeBase;
            return true;
        }

        return false;
    }

    /// <summary>Takes one line; returns true when it was an error worth surfacing.</summary>
    public bool Take(string line)
    {
        if (SectionPattern().Match(line) is { Success: true } section)
        {
            _section = section.Groups[1].Value;
            _sectionIndex = int.Parse(section.Groups[2].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (line.Contains("Stream mapping", StringComparison.Ordinal))
        {
            _section = null;
        }

        if (_section == "Input" && StartPattern().Match(line) is { Success: true } start &&
            double.TryParse(start.Groups[1].ValueSpan, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            _inputStarts.TryAdd(_sectionIndex, seconds);
        }

        if (_section == "Input" && InputCodecPattern().Match(line) is { Success: true } codec)
        {
            _inputCodecs.TryAdd(int.Parse(codec.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture), Media.FfmpegFile.CodecName(codec.Groups[2].Value));
        }

        if (line.Contains("Video:", StringComparison.Ordinal) && _sectionIndex == 0 && SizePattern().Match(line) is { Success: true } size)
        {
            var width = int.Parse(size.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            var height = int.Parse(size.Groups[2].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            if (_section == "Input" && InputSize is null)
            {
                InputSize = $"{width}x{height}";
            }
            else if (_section == "Output" && OutputSize is null)
            {
                OutputSize = (width, height);
            }
        }

        if (line.Contains("[error]", StringComparison.Ordinal) || line.Contains("[fatal]", StringComparison.Ordinal))
        {
            DiskFull |= line.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);
            LastError = Explain(line) ?? LastError ?? Strip(line);
            return true;
        }

        return false;
    }

    /// <summary>Turns known ffmpeg errors into a cause and a hint; null for lines that add nothing new.</summary>
    internal static string? Explain(string line)
    {
        var text = Strip(line);
        if (text.Contains("Connection refused", StringComparison.OrdinalIgnoreCase))
        {
            return "connection refused: nothing listens at that host and port (camera off, or wrong port?)";
        }

        if (text.Contains("404", StringComparison.Ordinal))
        {
            return "the camera answered 404 Not Found: no stream at that path (wrong URL path?)";
        }

        if (text.Contains("401", StringComparison.Ordinal))
        {
            return "the camera answered 401 Unauthorized: wrong user name or password in the URL";
        }

        if (text.Contains("timed out", StringComparison.OrdinalIgnoreCase) || text.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            return "no answer from the camera in time (frozen camera, or a firewall dropping packets?)";
        }

        if (text.Contains("resolve", StringComparison.OrdinalIgnoreCase) || text.Contains("Name or service not known", StringComparison.OrdinalIgnoreCase))
        {
            return "the camera's host name could not be resolved (typo in the URL?)";
        }

        if (text.Contains("No route to host", StringComparison.OrdinalIgnoreCase) || text.Contains("Network is unreachable", StringComparison.OrdinalIgnoreCase))
        {
            return "no route to the camera's address (network cable, VLAN or address?)";
        }

        if (text.Contains("No space left on device", StringComparison.OrdinalIgnoreCase))
        {
            return "the recording disk is full: no space left on device";
        }

        if (text.Contains("Invalid data found", StringComparison.OrdinalIgnoreCase))
        {
            return "the camera sent data that is not a readable video stream: " + text;
        }

        // Per-packet complaints: corrupt frames the decoder conceals ("error while decoding MB …"), and timestamps the
        // muxer mends ("non monotonically increasing dts"). Nothing for the operator to do.
        if (text.Contains("decoding", StringComparison.OrdinalIgnoreCase) || text.Contains("concealing", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("non monotonically increasing dts", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return text;
    }

    /// <summary>The line without the "[tag @ 0x…] [level]" prefixes.</summary>
    internal static string Strip(string line) => PrefixPattern().Replace(line, "").Trim();

    [GeneratedRegex(@", (\d{2,5})x(\d{2,5})(?=[ ,\[]|$)")]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"Stream #(\d+):\d+\S*: Video: (\w+)")]
    private static partial Regex InputCodecPattern();

    [GeneratedRegex(@"\] (Input|Output) #(\d+),")]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"config in time_base: (\d+)/(\d+)")]
    private static partial Regex TimeBasePattern();

    [GeneratedRegex(@"\bn:\s*\d+ pts:\s*(-?\d+) ")]
    private static partial Regex FramePattern();

    [GeneratedRegex(@"Duration: .*, start: (-?[0-9.]+)")]
    private static partial Regex StartPattern();

    [GeneratedRegex(@"^(\[[^\]]*\]\s*)+")]
    private static partial Regex PrefixPattern();
}
