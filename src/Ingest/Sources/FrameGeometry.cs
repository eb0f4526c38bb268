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
/// Passes a frame when at least 90 % of the detection interval has gone by since the last one passed, measured in
/// stream time. Never duplicates frames: a slower stream passes every frame, a gap passes the next frame at once.
/// The same rule runs inside ffmpeg for RTSP (its <c>select</c> filter), see <see cref="FfmpegArguments"/>.
/// </summary>
internal sealed class RateGate
{
    private readonly double _minimumGapSeconds;
    private double? _lastPassed;

    public RateGate(double framesPerSecond) => _minimumGapSeconds = MinimumGapSeconds(framesPerSecond);

    public static double MinimumGapSeconds(double framesPerSecond) => 0.9 / framesPerSecond;

    public bool Pass(double streamSeconds)
    {
        if (_lastPassed is { } last && streamSeconds - last < _minimumGapSeconds && streamSeconds >= last)
        {
            return false;
        }

        _lastPassed = streamSeconds;
        return true;
    }

    public void Reset() => _lastPassed = null;
}
