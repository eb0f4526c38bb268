using System.Diagnostics;
using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Decision.Signals;
using CrosswalkWatch.Decision.Tracking;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Signals;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Domain.Violations;

namespace CrosswalkWatch.Edge.Pipeline;

/// <summary>
/// One camera's decision chain after ingest: detect → track → yield rule. Holds the camera's tracker and rule
/// state; the detector is shared by every camera of the box. The pedestrian signal heads the scene marks are read on
/// every frame processed and, with the signal controller's feed (<see cref="Signal"/>), given to the rule with the frame.
/// With a <see cref="DetectionGate"/>, frames where nothing moves and nothing is near the crosswalk skip the detector,
/// the tracker and the rule (the signal heads are still read, so their hysteresis follows every frame).
/// </summary>
public sealed class CameraPipeline : IDisposable
{
    private readonly IObjectDetector _detector;
    private readonly ByteTracker _tracker;
    private readonly YieldRule _rule;
    private readonly Dictionary<ObjectClass, HashSet<int>> _tracksSeen = [];

    private readonly Box? _region;
    private readonly SignalHeadReader? _heads;
    private readonly SignalState[] _raw;
    private readonly DetectionGate? _gate;
    private long _detectTicks;
    private long _decideTicks;

    /// <param name="region">Detect only inside this box (normalised); null for the whole picture.</param>
    /// <param name="idleFps">Gate the detector on motion, at this keep-alive rate while the picture is still; null to detect every frame.</param>
    public CameraPipeline(string cameraId, IObjectDetector detector, SceneModel scene, YieldRuleSettings rule, Box? region = null, double? idleFps = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        CameraId = cameraId;
        _detector = detector;
        _region = region;
        _tracker = new ByteTracker(cameraId);
        _rule = new YieldRule(cameraId, scene, rule);
        var signals = scene.Definition.Signals;
        _heads = signals.Count == 0 ? null : SignalHeadReader.For(signals);
        _raw = new SignalState[signals.Count];
        Signal = new CrossingSignal(signals.Count, rule.SignalFrames, TimeSpan.FromSeconds(rule.SignalFeedSeconds));
        _gate = idleFps is { } idle ? new DetectionGate(scene.Definition, region, idle) : null;
    }

    public string CameraId { get; }

    public long Frames { get; private set; }

    public long Detections { get; private set; }

    /// <summary>Whether the detector is gated on motion (<see cref="DetectionGate"/>).</summary>
    public bool Gating => _gate is not null;

    /// <summary>Frames the motion gate kept from the detector (0 without a gate).</summary>
    public long Gated => _gate?.Gated ?? 0;

    /// <summary>True while the camera is detected at the gate's keep-alive rate: nothing moves, nothing near the crosswalk.</summary>
    public bool Idle => _gate?.Idle ?? false;

    /// <summary>Distinct confirmed track ids per class seen so far.</summary>
    public IReadOnlyDictionary<ObjectClass, int> TracksByClass => _tracksSeen.ToDictionary(p => p.Key, p => p.Value.Count);

    public YieldRule Rule => _rule;

    /// <summary>The crossing's pedestrian signal: the heads read from the frames and the controller's feed (<see cref="CrossingSignal.Observe"/>).</summary>
    public CrossingSignal Signal { get; }

    /// <summary>The signal the rule was given with the last frame processed; null when the camera has no signal.</summary>
    public SignalReading? LastSignal { get; private set; }

    /// <summary>Time spent so far in detection (the shared detector's runs for this camera) and in deciding (motion gate, tracker, signal heads, rule).</summary>
    public (TimeSpan Detect, TimeSpan Decide) Busy =>
        (Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _detectTicks)), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _decideTicks)));

    /// <summary>Runs one frame through; the caller keeps ownership of the frame. Returns completed candidates.</summary>
    public IReadOnlyList<ViolationCandidate> Process(Frame frame)
    {
        var start = Stopwatch.GetTimestamp();
        if (_gate is not null && !_gate.ShouldDetect(frame))
        {
            ReadSignal(frame);
            Interlocked.Add(ref _decideTicks, Stopwatch.GetTimestamp() - start);
            return [];
        }

        var gated = Stopwatch.GetTimestamp(); // the motion check counts as deciding, the model's run as detecting
        var detections = _detector.Detect(frame, _region);
        _gate?.Detected(detections);
        var detected = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _detectTicks, detected - gated);
        Interlocked.Add(ref _decideTicks, gated - start);
        try
        {
            return Decide(frame, detections);
        }
        finally
        {
            Interlocked.Add(ref _decideTicks, Stopwatch.GetTimestamp() - detected);
        }
    }

    private IReadOnlyList<ViolationCandidate> Decide(Frame frame, FrameDetections detections)
    {
        Frames++;
        Detections += detections.Items.Count;
        var tracks = _tracker.Update(detections);
        foreach (var track in tracks.Tracks)
        {
            if (!_tracksSeen.TryGetValue(track.Class, out var ids))
            {
                ids = [];
                _tracksSeen[track.Class] = ids;
            }

            ids.Add(track.TrackId);
        }

        ReadSignal(frame);
        return _rule.Update(LastSignal is null ? tracks : tracks with { Signal = LastSignal });
    }

    private void ReadSignal(Frame frame)
    {
        if (_heads is not null)
        {
            _heads.Read(frame, _raw);
            Signal.ObserveHeads(_raw);
        }

        LastSignal = Signal.Current(frame.CapturedAt);
    }

    /// <summary>End of input: candidates of vehicles still on the crosswalk.</summary>
    public IReadOnlyList<ViolationCandidate> Flush() => _rule.Flush();

    public void Dispose()
    {
        _heads?.Dispose();
        _gate?.Dispose();
    }
}
