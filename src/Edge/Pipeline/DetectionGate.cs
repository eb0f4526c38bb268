using CrosswalkWatch.Detector.Motion;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.Edge.Pipeline;

/// <summary>
/// Motion first, as Frigate does it: decides frame by frame whether the detector runs. It runs on every frame at the
/// camera's detection rate while
/// <list type="bullet">
/// <item>something moved in the detect region since the detector's last frame (<see cref="MotionMeter"/>), or</item>
/// <item>the detector found anything on or near the crosswalk — the scene's crosswalk, lanes, stop lines, entry
/// regions, refuges and sidewalks, and a margin of <see cref="Margin"/> around them — in the last <see cref="Hold"/>
/// (longer than the tracker keeps a lost track, so a vehicle waiting at the line or a pedestrian hidden behind a bus
/// is followed at the full rate), or</item>
/// <item>the detector has not run for the keep-alive interval (1 / idle rate): a parked car or a still picture is
/// looked at often enough that the tracker keeps its ids.</item>
/// </list>
/// Otherwise the frame is gated: the tracker and the rule do not see it, as if the camera had sent fewer frames while
/// nothing happened. Not thread-safe: one gate per camera pipeline.
/// </summary>
public sealed class DetectionGate : IDisposable
{
    /// <summary>How long an object found near the crosswalk keeps the detector at the full rate.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(2);

    /// <summary>Margin around the scene's drawing (0–1 of the picture) within which an object counts as near.</summary>
    public const float Margin = 0.05f;

    private readonly MotionMeter _motion;
    private readonly Box _near;
    private readonly TimeSpan _keepAlive;
    private DateTimeOffset? _lastDetected;
    private DateTimeOffset _holdUntil;

    /// <param name="scene">The camera's scene: what is near the crosswalk.</param>
    /// <param name="region">The detect region (0–1), where motion is looked for; null for the whole picture.</param>
    /// <param name="idleFps">The keep-alive rate while nothing moves and nothing is near the crosswalk.</param>
    public DetectionGate(SceneDefinition scene, Box? region, double idleFps)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(idleFps);
        _motion = new MotionMeter(region);
        _near = Near(scene);
        _keepAlive = TimeSpan.FromSeconds(1 / idleFps);
    }

    /// <summary>True when the last frame offered was gated: the camera is idle, detected at the keep-alive rate.</summary>
    public bool Idle { get; private set; }

    /// <summary>Frames gated so far.</summary>
    public long Gated { get; private set; }

    /// <summary>Whether the detector should run on <paramref name="frame"/> (the caller keeps it); counts the frame as gated when not.</summary>
    public bool ShouldDetect(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var moved = _motion.Moved(frame); // always measured: the frame becomes the reference if the detector runs on it
        var at = frame.CapturedAt;
        var detect = moved
            || _lastDetected is not { } last
            || at < last // the clock went back (a reconnect, a replay from the start): start again
            || at < _holdUntil
            || at - last >= _keepAlive;
        Idle = !detect;
        if (!detect)
        {
            Gated++;
        }

        return detect;
    }

    /// <summary>The detector ran on the frame last offered and found <paramref name="detections"/>.</summary>
    public void Detected(FrameDetections detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        _lastDetected = detections.CapturedAt;
        _motion.KeepAsReference();
        var items = detections.Items;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Box.Intersection(_near) > 0)
            {
                _holdUntil = detections.CapturedAt + Hold;
                break;
            }
        }
    }

    public void Dispose() => _motion.Dispose();

    /// <summary>The box around everything the scene draws, with the margin, clipped to the picture.</summary>
    internal static Box Near(SceneDefinition scene)
    {
        var points = scene.Crosswalk
            .Concat(scene.Approaches.SelectMany(a => a.StopLine.Concat(a.Lanes.SelectMany(l => l.Polygon))))
            .Concat(scene.Movements.SelectMany(m => m.Entry))
            .Concat(scene.Refuges.SelectMany(r => r))
            .Concat(scene.Sidewalks.SelectMany(s => s))
            .ToList();
        if (points.Count == 0)
        {
            return new Box(0, 0, 1, 1);
        }

        return new Box(
            Math.Max(0, (float)points.Min(p => p[0]) - Margin),
            Math.Max(0, (float)points.Min(p => p[1]) - Margin),
            Math.Min(1, (float)points.Max(p => p[0]) + Margin),
            Math.Min(1, (float)points.Max(p => p[1]) + Margin));
    }
}
