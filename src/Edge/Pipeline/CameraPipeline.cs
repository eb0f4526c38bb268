using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Decision.Tracking;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Violations;

namespace CrosswalkWatch.Edge.Pipeline;

/// <summary>
/// One camera's decision chain after ingest: detect → track → yield rule. Holds the camera's tracker and rule
/// state; the detector is shared by every camera of the box.
/// </summary>
public sealed class CameraPipeline
{
    private readonly IObjectDetector _detector;
    private readonly ByteTracker _tracker;
    private readonly YieldRule _rule;
    private readonly Dictionary<ObjectClass, HashSet<int>> _tracksSeen = [];

    private readonly Box? _region;

    /// <param name="region">Detect only inside this box (normalised); null for the whole picture.</param>
    public CameraPipeline(string cameraId, IObjectDetector detector, SceneModel scene, YieldRuleSettings rule, Box? region = null)
    {
        CameraId = cameraId;
        _detector = detector;
        _region = region;
        _tracker = new ByteTracker(cameraId);
        _rule = new YieldRule(cameraId, scene, rule);
    }

    public string CameraId { get; }

    public long Frames { get; private set; }

    public long Detections { get; private set; }

    /// <summary>Distinct confirmed track ids per class seen so far.</summary>
    public IReadOnlyDictionary<ObjectClass, int> TracksByClass => _tracksSeen.ToDictionary(p => p.Key, p => p.Value.Count);

    public YieldRule Rule => _rule;

    /// <summary>Runs one frame through; the caller keeps ownership of the frame. Returns completed candidates.</summary>
    public IReadOnlyList<ViolationCandidate> Process(Frame frame)
    {
        var detections = _detector.Detect(frame, _region);
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

        return _rule.Update(tracks);
    }

    /// <summary>End of input: candidates of vehicles still on the crosswalk.</summary>
    public IReadOnlyList<ViolationCandidate> Flush() => _rule.Flush();
}
