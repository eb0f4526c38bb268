using System.Diagnostics;
using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Decision.Signals;
using CrosswalkWatch.Decision.Tracking;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Signals;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;
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
/// <para>
/// With a <see cref="ViewWatch"/>, the camera's view is checked against its reference picture: while it is moved or
/// blocked nothing is detected and no candidate comes out (the tracker and the rule start afresh when it is put
/// right); a candidate is handed on only once a check after it found the view sound, so that one completed between
/// a knock and the check that sees it is dropped, not counted against the scene that no longer fits. A scene saved
/// meanwhile (<see cref="ViewStep.Scene"/>) replaces the scene in use, with a fresh tracker and rule.
/// </para>
/// </summary>
public sealed class CameraPipeline : IDisposable, ISignalFeedTarget
{
    private readonly IObjectDetector _detector;
    private readonly Dictionary<ObjectClass, HashSet<int>> _tracksSeen = [];
    private readonly Box? _region;
    private readonly double? _idleFps;
    private readonly ViewWatch? _view;
    private readonly List<ViolationCandidate> _held = [];
    private ByteTracker _tracker;
    private YieldRule _rule;
    private SignalHeadReader? _heads;
    private SignalState[] _raw;
    private DetectionGate? _gate;
    private bool _paused;
    private long _detectTicks;
    private long _decideTicks;

    /// <param name="region">Detect only inside this box (normalised); null for the whole picture.</param>
    /// <param name="idleFps">Gate the detector on motion, at this keep-alive rate while the picture is still; null to detect every frame.</param>
    /// <param name="view">Check the camera's view against its reference (live cameras); null not to.</param>
    public CameraPipeline(string cameraId, IObjectDetector detector, SceneModel scene, YieldRuleSettings rule, Box? region = null, double? idleFps = null, ViewWatch? view = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        CameraId = cameraId;
        _detector = detector;
        _region = region;
        _idleFps = idleFps;
        _view = view;
        _tracker = new ByteTracker(cameraId);
        _rule = new YieldRule(cameraId, scene, rule);
        Scene = scene.Definition;
        (_heads, _raw, Signal, _gate) = SceneParts(scene.Definition, rule);
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

    /// <summary>The scene judged with now: the one the pipeline was made with, or the one saved since (<see cref="ViewWatch"/>).</summary>
    public SceneDefinition Scene { get; private set; }

    /// <summary>The view check; null when it is off.</summary>
    public ViewWatch? View => _view;

    /// <summary>Candidates dropped because the view turned out moved or blocked before they were handed on.</summary>
    public long Dropped { get; private set; }

    /// <summary>The crossing's pedestrian signal: the heads read from the frames and the controller's feed (<see cref="CrossingSignal.Observe"/>).</summary>
    public CrossingSignal Signal { get; private set; }

    /// <summary>The signal the rule was given with the last frame processed; null when the camera has no signal.</summary>
    public SignalReading? LastSignal { get; private set; }

    /// <summary>Time spent so far in detection (the shared detector's runs for this camera) and in deciding (motion gate, tracker, signal heads, rule).</summary>
    public (TimeSpan Detect, TimeSpan Decide) Busy =>
        (Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _detectTicks)), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _decideTicks)));

    /// <summary>Runs one frame through; the caller keeps ownership of the frame. Returns completed candidates.</summary>
    public IReadOnlyList<ViolationCandidate> Process(Frame frame)
    {
        var start = Stopwatch.GetTimestamp();
        IReadOnlyList<ViolationCandidate> released = [];
        if (_view is not null)
        {
            var step = _view.Observe(frame);
            if (step.Scene is { } scene)
            {
                Rescene(scene, step.Rule!);
            }

            if (step.Checked)
            {
                released = Release();
            }

            if (!_view.Judging)
            {
                Pause();
                ReadSignal(frame);
                Interlocked.Add(ref _decideTicks, Stopwatch.GetTimestamp() - start);
                return [];
            }

            _paused = false;
        }

        if (_gate is not null && !_gate.ShouldDetect(frame))
        {
            ReadSignal(frame);
            Interlocked.Add(ref _decideTicks, Stopwatch.GetTimestamp() - start);
            return released;
        }

        var gated = Stopwatch.GetTimestamp(); // the motion check counts as deciding, the model's run as detecting
        var detections = _detector.Detect(frame, _region);
        _gate?.Detected(detections);
        var detected = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _detectTicks, detected - gated);
        Interlocked.Add(ref _decideTicks, gated - start);
        try
        {
            var candidates = Decide(frame, detections);
            if (_view is null)
            {
                return candidates;
            }

            _held.AddRange(candidates); // handed on at the next check that finds the view sound
            return released;
        }
        finally
        {
            Interlocked.Add(ref _decideTicks, Stopwatch.GetTimestamp() - detected);
        }
    }

    /// <summary>
    /// The candidates held: handed on when the check just made found the view sound, dropped when the camera is
    /// moved or blocked, still held while a check found a fault the next one may confirm.
    /// </summary>
    private ViolationCandidate[] Release()
    {
        if (_held.Count == 0 || (_view!.Judging && !_view.Sound))
        {
            return [];
        }

        ViolationCandidate[] held = [.. _held];
        _held.Clear();
        if (_view.Sound)
        {
            return held;
        }

        Drop(held.Length);
        return [];
    }

    private void Drop(int count)
    {
        if (count > 0)
        {
            Dropped += count;
            _view?.Dropped(count);
        }
    }

    /// <summary>The view is moved or blocked: what the tracker and the rule hold belongs to a scene that no longer fits.</summary>
    private void Pause()
    {
        if (_paused)
        {
            return;
        }

        _paused = true;
        Drop(_held.Count);
        _held.Clear();
        _tracker = new ByteTracker(CameraId);
        _rule = new YieldRule(CameraId, new SceneModel(Scene), _rule.Settings);
    }

    /// <summary>A saved scene replaces the one in use: a fresh tracker and rule over it (vehicles on the crosswalk now are not judged).</summary>
    private void Rescene(SceneDefinition scene, YieldRuleSettings rule)
    {
        Scene = scene;
        _held.Clear();
        _tracker = new ByteTracker(CameraId);
        _rule = new YieldRule(CameraId, new SceneModel(scene), rule);
        _heads?.Dispose();
        _gate?.Dispose();
        (_heads, _raw, Signal, _gate) = SceneParts(scene, rule);
    }

    /// <summary>The pedestrian signal's heads and state, and the motion gate, for a scene.</summary>
    private (SignalHeadReader? Heads, SignalState[] Raw, CrossingSignal Signal, DetectionGate? Gate) SceneParts(SceneDefinition scene, YieldRuleSettings rule)
    {
        var signals = scene.Signals;
        return (
            signals.Count == 0 ? null : SignalHeadReader.For(signals),
            new SignalState[signals.Count],
            new CrossingSignal(signals.Count, rule.SignalFrames, TimeSpan.FromSeconds(rule.SignalFeedSeconds)),
            _idleFps is { } idle ? new DetectionGate(scene, _region, idle) : null);
    }

    /// <summary>The signal controller's feed, given to the signal of the scene in use.</summary>
    void ISignalFeedTarget.Observe(SignalState state, DateTimeOffset at) => Signal.Observe(state, at);

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

    /// <summary>End of input: the candidates held and those of vehicles still on the crosswalk, unless the view is in doubt.</summary>
    public IReadOnlyList<ViolationCandidate> Flush()
    {
        if (_view is null)
        {
            return _rule.Flush();
        }

        ViolationCandidate[] all = [.. _held, .. _rule.Flush()];
        _held.Clear();
        if (_view.Sound)
        {
            return all;
        }

        // The input ends on a view in doubt: a missed violation is better than one counted on a scene that no longer fits.
        Drop(all.Length);
        return [];
    }

    public void Dispose()
    {
        _heads?.Dispose();
        _gate?.Dispose();
    }
}
