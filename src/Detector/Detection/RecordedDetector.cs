using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// A detector that keeps what another one found on each frame, or gives back what was kept for the frame of the same
/// sequence number. Tuning the tracker and the yield rule on a suite (<c>cww eval --detections</c>) needs the model's
/// boxes only once: they are the same on every run, and the model is most of a run's time. Keyed by frame, a recording
/// of every frame also serves a run that skips some (the motion gate).
/// </summary>
public sealed class RecordedDetector : IObjectDetector
{
    private readonly IObjectDetector? _inner;
    private readonly List<RecordedFrame> _frames;
    private readonly Dictionary<long, DetectedObject[]> _bySequence;

    private RecordedDetector(IObjectDetector? inner, string modelKey, List<RecordedFrame> frames)
    {
        _inner = inner;
        ModelKey = modelKey;
        _frames = frames;
        _bySequence = inner is null ? frames.ToDictionary(f => f.Sequence, f => f.Objects) : [];
    }

    public string ModelKey { get; }

    /// <summary>What was found so far (recording) or what is given back (replaying), one entry per frame detected.</summary>
    public IReadOnlyList<RecordedFrame> Frames => _frames;

    /// <summary>Detects with <paramref name="inner"/> (still its owner's) and keeps each frame's objects.</summary>
    public static RecordedDetector Recording(IObjectDetector inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new RecordedDetector(inner, inner.ModelKey, []);
    }

    /// <summary>Gives back, for each frame, the objects of <paramref name="frames"/> with its sequence number, whatever the frame shows.</summary>
    /// <exception cref="ArgumentException">Two recorded frames have the same sequence number.</exception>
    public static RecordedDetector Replaying(string modelKey, IEnumerable<RecordedFrame> frames) => new(null, modelKey, [.. frames]);

    /// <exception cref="DetectorException">Replaying, and nothing was recorded for this frame: the recording was made from another clip or rate.</exception>
    public FrameDetections Detect(Frame frame, Box? region = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_inner is not null)
        {
            var found = _inner.Detect(frame, region);
            _frames.Add(new RecordedFrame(frame.Sequence, [.. found.Items]));
            return found;
        }

        if (!_bySequence.TryGetValue(frame.Sequence, out var objects))
        {
            throw new DetectorException($"the recorded detections ({_frames.Count} frames) have none for frame {frame.Sequence}: they were made from another clip or at another rate; delete them to record again");
        }

        return new FrameDetections(frame.CameraId, frame.Sequence, frame.CapturedAt, frame.Width, frame.Height, objects);
    }

    /// <summary>Nothing to release: a recording detector's inner detector stays its owner's.</summary>
    public void Dispose()
    {
    }
}

/// <summary>What a detector found on the frame of one sequence number.</summary>
public sealed record RecordedFrame(long Sequence, DetectedObject[] Objects);
