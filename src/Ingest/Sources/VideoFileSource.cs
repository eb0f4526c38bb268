using System.Diagnostics;
using CrosswalkWatch.Domain.Config;
using OpenCvSharp;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>
/// A video file decoded with OpenCvSharp: at the file's own rate (like a camera) or as fast as possible (replay),
/// once or looping. Capture times follow the file's timestamps from the moment the run started.
/// </summary>
internal sealed class VideoFileSource : IFrameSource
{
    /// <summary>OpenCV's CAP_PROP_N_THREADS (70) = 1: the file decoded on one thread, beside the detector's.</summary>
    private static readonly int[] OneThread = [70, 1];

    private readonly string _path;
    private readonly IngestSettings _settings;
    private readonly DateTimeOffset? _clockStart;

    /// <param name="clockStart">Capture time of the file's first frame in fast replay; default: when the run starts.</param>
    public VideoFileSource(string path, IngestSettings settings, DateTimeOffset? clockStart = null)
    {
        _path = path;
        _settings = settings;
        _clockStart = clockStart;
    }

    public string Description => _path;

    public bool IsLive => false;

    public async Task<SourceEnd> RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            throw new IngestException($"video file not found: {_path}", permanent: true);
        }

        using var capture = new VideoCapture(_path, VideoCaptureAPIs.FFMPEG, OneThread);
        if (!capture.IsOpened() || capture.FrameWidth <= 0)
        {
            throw new IngestException($"cannot open {_path}: not a video, or a codec this build cannot decode", permanent: true);
        }

        var (width, height) = FrameGeometry.FitWithin(capture.FrameWidth, capture.FrameHeight, _settings.DetectWidth, _settings.DetectHeight);
        sink.OnOpened($"{capture.FrameWidth}x{capture.FrameHeight}", width, height);

        var gate = new RateGate(_settings.DetectFps);
        var clock = Stopwatch.StartNew();
        var start = _clockStart ?? DateTimeOffset.UtcNow;
        var loopOffset = 0.0; // stream seconds of earlier passes through the file
        var lastSeconds = 0.0;
        using var decoded = new Mat();
        var any = false;
        var lastGood = -1; // index of the last frame decoded
        var frameCount = capture.FrameCount;
        while (!cancellationToken.IsCancellationRequested)
        {
            var grabbed = capture.Grab();
            if (!grabbed && any && SkipDamage(capture, lastGood, frameCount) is { } resumedAt)
            {
                sink.OnWarning($"{_path}: frames {lastGood + 1} to {resumedAt - 1} could not be decoded (damaged file?); skipped");
                lastGood = resumedAt;
                grabbed = true;
            }

            if (!grabbed)
            {
                if (!any)
                {
                    throw new IngestException($"{_path}: no frame could be decoded", permanent: true);
                }

                if (!_settings.Loop)
                {
                    return SourceEnd.EndOfInput;
                }

                loopOffset = lastSeconds + (1.0 / Math.Max(1, capture.Fps));
                capture.Set(VideoCaptureProperties.PosFrames, 0);
                lastGood = -1;
                continue;
            }

            lastGood = Math.Max(lastGood + 1, (int)capture.Get(VideoCaptureProperties.PosFrames) - 1);
            any = true;
            var seconds = loopOffset + (capture.Get(VideoCaptureProperties.PosMsec) / 1000.0);
            lastSeconds = seconds;
            if (!gate.Pass(seconds))
            {
                continue;
            }

            if (_settings.RealTime)
            {
                var wait = TimeSpan.FromSeconds(seconds) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }

            if (!capture.Retrieve(decoded) || decoded.Empty())
            {
                sink.OnWarning($"{_path}: frame at {seconds:0.000} s could not be decoded; skipped");
                continue;
            }

            var frame = sink.Rent(width, height);
            MatCopy.ResizeInto(decoded, frame);
            frame.CapturedAt = _settings.RealTime ? DateTimeOffset.UtcNow : start.AddSeconds(seconds);
            await sink.OnFrameAsync(frame, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return SourceEnd.EndOfInput;
    }

    /// <summary>
    /// After a frame that will not decode, seeks forward a second at a time past the damage; returns the index of the
    /// frame it could decode, or null at the end of the file.
    /// </summary>
    private static int? SkipDamage(VideoCapture capture, int lastGood, int frameCount)
    {
        var step = Math.Max(1, (int)Math.Round(capture.Fps));
        for (var next = lastGood + step; next < frameCount; next += step)
        {
            capture.Set(VideoCaptureProperties.PosFrames, next);
            if (capture.Grab())
            {
                return next;
            }
        }

        return null;
    }
}
