namespace CrosswalkWatch.Ingest.Sources;

/// <summary>Small pure helpers shared by the sources: frame sizing and the detection-rate gate.</summary>
internal static class FrameGeometry
{
    /// <summary>
    /// The largest even size with the source's aspect ratio that fits in the box, never larger than the source.
    /// </summary>
    public static (int Width, int Height) FitWithin(int sourceWidth, int sourceHeight, int boxWidth, int boxHeight)
    {
        if (sourceWidth <= 0 || sourceHeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sourceWidth), $"source size {sourceWidth}x{sourceHeight} is not a picture");
        }

        var scale = Math.Min(1.0, Math.Min((double)boxWidth / sourceWidth, (double)boxHeight / sourceHeight));
        var width = Math.Max(2, (int)Math.Round(sourceWidth * scale / 2) * 2);
        var height = Math.Max(2, (int)Math.Round(sourceHeight * scale / 2) * 2);
        return (Math.Min(width, boxWidth - (boxWidth % 2)), Math.Min(height, boxHeight - (boxHeight % 2)));
    }
}

/// <summary>
/// Passes frames at no more than the detection rate, on average exactly that rate, measured in stream time: each
/// passed frame books the next slot one interval later, and a frame up to half an interval early takes its slot, so
/// arrival jitter costs no frames. Never duplicates frames: a slower stream passes every frame, and after a gap the
/// next frame passes but a backlog arriving all at once does not. The same rule runs inside ffmpeg for RTSP (its
/// <c>select</c> filter, see <see cref="FfmpegArguments"/>).
/// </summary>
internal sealed class RateGate
{
    /// <summary>A detection rate of this or more passes every frame (no gate): what <c>cww probe</c> uses.</summary>
    public const double EveryFrame = 60;

    private readonly double _interval;
    private double _due = double.NegativeInfinity;
    private double _last = double.NegativeInfinity;

    public RateGate(double framesPerSecond) => _interval = 1.0 / framesPerSecond;

    /// <summary>The same rule as an ffmpeg <c>select</c> expression (variable 0 holds the next slot; commas escaped).</summary>
    public static string FfmpegSelectExpression(double framesPerSecond)
    {
        var interval = (1.0 / framesPerSecond).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        var half = (0.5 / framesPerSecond).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        return $"if(gte(t\\,ld(0)-{half})\\,st(0\\,max(ld(0)\\,t)+{interval})*0+1\\,0)";
    }

    public bool Pass(double streamSeconds)
    {
        if (_interval <= 1.0 / EveryFrame)
        {
            return true;
        }

        if (streamSeconds < _last)
        {
            _due = double.NegativeInfinity; // time went back: a looped file started again
        }

        _last = streamSeconds;
        if (streamSeconds < _due - (_interval / 2))
        {
            return false;
        }

        _due = Math.Max(_due, streamSeconds) + _interval;
        return true;
    }
}
