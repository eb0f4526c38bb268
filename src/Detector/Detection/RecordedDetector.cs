using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// A detector that keeps, frame after frame, what another one found, or gives back what was kept in the same order.
/// Tuning the tracker and the yield rule on a suite (<c>cww eval --detections</c>) needs the model's boxes only once:
/// they are the same on every run, and the model is most of a run's time.
/// </summary>
public sealed class RecordedDetector : IObjectDetector
{
    private readonly IObjectDetector? _inner;
    private readonly List<DetectedObject[]> _frames;
    private int _next;

    private RecordedDetector(IObjectDetector? inner, string modelKey, List<DetectedObject[]> frames)
    {
        _inner = inner;
        ModelKey = modelKey;
        _frames = frames;
    }

    public string ModelKey { get; }

    /// <summary>What was found so far (recording) or what is given back (replaying), one array per frame.</summary>
    public IReadOnlyList<DetectedObject[]> Frames => _frames;

    /// <summary>Detects with <paramref name="inner"/> (still its owner's) and keeps each frame's objects.</summary>
    public static RecordedDetector Recording(IObjectDetector inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new RecordedDetector(inner, inner.ModelKey, []);
    }

    /// <summary>Gives back <paramref name="frames"/> in order, one per call, whatever the frame shows.</summary>
    public static RecordedDetector Replaying(string modelKey, IEnumerable<DetectedObject[]> frames) => new(null, modelKey, [.. frames]);

    /// <exception cref="DetectorException">Replaying, and the recording has no frame left: it was made from another clip or rate.</exception>
    public FrameDetections Detect(Frame frame, Box? region = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_inner is not null)
        {
            var found = _inner.Detect(frame, region);
            _frames.Add([.. found.Items]);
            return found;
        }

        if (_next >= _frames.Count)
        {
            throw new DetectorException($"the recorded detections end after {_frames.Count} frames, before the clip does: they were made from another clip or at another rate; delete them to record again");
        }

        return new FrameDetections(frame.CameraId, frame.Sequence, frame.CapturedAt, frame.Width, frame.Height, _frames[_next++]);
    }

    /// <summary>Nothing to release: a recording detector's inner detector stays its owner's.</summary>
    public void Dispose()
    {
    }
}
