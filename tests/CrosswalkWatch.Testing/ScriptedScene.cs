using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Violations;

namespace CrosswalkWatch.Testing;

/// <summary>
/// A straight two-way road seen from above, for scripted rule tests. The road runs down the image between x 0.3 and
/// 0.7 with its centre line at x 0.5. Southbound traffic (down the image) uses lanes S1 (x 0.5–0.6) and S2 (0.6–0.7)
/// and stops at y 0.5; northbound traffic uses N1 (0.4–0.5) and N2 (0.3–0.4) and stops at y 0.7. The crosswalk is the
/// band y 0.55–0.65; sidewalks beyond the road; optionally a refuge at the centre, and optionally (<see cref="Movements"/>)
/// a junction south of the crosswalk whose side roads' turning vehicles leave northbound across it.
/// </summary>
internal static class ScriptedScene
{
    public const string Yaml = """
        crosswalk: [[0.2, 0.55], [0.8, 0.55], [0.8, 0.65], [0.2, 0.65]]
        centerLine: [[0.5, 0.0], [0.5, 1.0]]
        approaches:
          - name: southbound
            direction: [[0.55, 0.2], [0.55, 0.9]]
            stopLine: [[0.5, 0.5], [0.7, 0.5]]
            lanes:
              - { id: S1, polygon: [[0.5, 0.0], [0.6, 0.0], [0.6, 1.0], [0.5, 1.0]] }
              - { id: S2, polygon: [[0.6, 0.0], [0.7, 0.0], [0.7, 1.0], [0.6, 1.0]] }
          - name: northbound
            direction: [[0.45, 0.9], [0.45, 0.2]]
            stopLine: [[0.3, 0.7], [0.5, 0.7]]
            lanes:
              - { id: N1, polygon: [[0.4, 0.0], [0.5, 0.0], [0.5, 1.0], [0.4, 1.0]] }
              - { id: N2, polygon: [[0.3, 0.0], [0.4, 0.0], [0.4, 1.0], [0.3, 1.0]] }
        sidewalks:
          - [[0.2, 0.5], [0.3, 0.5], [0.3, 0.7], [0.2, 0.7]]
          - [[0.7, 0.5], [0.8, 0.5], [0.8, 0.7], [0.7, 0.7]]
        """;

    public const string Refuge = """
        refuges:
          - [[0.47, 0.54], [0.53, 0.54], [0.53, 0.66], [0.47, 0.66]]
        """;

    /// <summary>
    /// Side roads join south of the crosswalk, past the northbound stop line (y 0.7): from the east (x 0.72–0.95) a
    /// vehicle crosses the southbound carriageway and turns right into N1 or N2; from the west (x 0.05–0.28) one turns
    /// left into N2 or N1. (Drawn as the picture shows it: on this road traffic keeps left, or the picture is mirrored.)
    /// </summary>
    public const string Movements = """
        movements:
          - name: right turn from the east side road
            turn: right
            entry: [[0.72, 0.72], [0.95, 0.72], [0.95, 0.9], [0.72, 0.9]]
            lanes: [N1, N2]
          - name: left turn from the west side road
            turn: left
            entry: [[0.05, 0.72], [0.28, 0.72], [0.28, 0.9], [0.05, 0.9]]
            lanes: [N2, N1]
        """;

    /// <param name="withRefuge">With the refuge at the centre (<see cref="Refuge"/>).</param>
    /// <param name="extra">More of the scene file, appended (e.g. <see cref="Movements"/>).</param>
    /// <param name="slanted">The southbound direction drawn down and to the right at 45°, as a lane runs across an elevated camera's picture.</param>
    public static SceneModel Model(bool withRefuge = false, string? extra = null, bool slanted = false) =>
        new(SceneLoader.Parse((slanted ? Yaml.Replace("direction: [[0.55, 0.2], [0.55, 0.9]]", "direction: [[0.55, 0.2], [0.85, 0.5]]", StringComparison.Ordinal) : Yaml) +
            (withRefuge ? "\n" + Refuge : "") + (extra is null ? "" : "\n" + extra), "scripted-scene.yaml"));
}

/// <summary>An object on a scripted path: its box's bottom centre moves linearly between waypoints in time.</summary>
public sealed record ScriptedObject(int Id, ObjectClass Class, double Width, double Height, (double T, double X, double Y)[] Path)
{
    public (Box Box, double Vx, double Vy)? At(double t)
    {
        if (t < Path[0].T || t > Path[^1].T)
        {
            return null;
        }

        for (var i = 1; i < Path.Length; i++)
        {
            var (t0, x0, y0) = Path[i - 1];
            var (t1, x1, y1) = Path[i];
            if (t <= t1)
            {
                var k = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
                var x = x0 + ((x1 - x0) * k);
                var y = y0 + ((y1 - y0) * k);
                var vx = t1 > t0 ? (x1 - x0) / (t1 - t0) : 0;
                var vy = t1 > t0 ? (y1 - y0) / (t1 - t0) : 0;
                return (new Box((float)(x - (Width / 2)), (float)(y - Height), (float)(x + (Width / 2)), (float)y), vx, vy);
            }
        }

        return null;
    }
}

/// <summary>Turns scripted objects into the tracker's output, frame by frame, as the rule receives it.</summary>
internal static class Script
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(8));

    public static ScriptedObject Car(int id, params (double T, double X, double Y)[] path) => new(id, ObjectClass.MotorVehicle, 0.08, 0.1, path);

    public static ScriptedObject Walker(int id, params (double T, double X, double Y)[] path) => new(id, ObjectClass.Pedestrian, 0.02, 0.06, path);

    /// <summary>Southbound car in lane S1 (or at x) driving through from y 0.3 to 0.95 at constant speed.</summary>
    public static ScriptedObject Southbound(int id, double x = 0.55, double from = 0, double seconds = 4) =>
        Car(id, (from, x, 0.3), (from + seconds, x, 0.95));

    /// <summary>The candidates of a yield rule on the scene fed the script at 5 fps and flushed; every track's state freed by then.</summary>
    public static List<ViolationCandidate> Candidates(SceneModel scene, YieldRuleSettings settings, double seconds, params ScriptedObject[] objects)
    {
        var rule = new YieldRule("cam1", scene, settings);
        var candidates = new List<ViolationCandidate>();
        foreach (var frame in Frames(seconds, 5, objects))
        {
            candidates.AddRange(rule.Update(frame));
        }

        candidates.AddRange(rule.Flush());
        Assert.Equal(0, rule.TrackedStates);
        return candidates;
    }

    public static IEnumerable<TrackFrame> Frames(double seconds, double fps, params ScriptedObject[] objects)
    {
        var seen = new HashSet<int>();
        var frames = (int)Math.Round(seconds * fps);
        for (var n = 0; n <= frames; n++)
        {
            var t = n / fps;
            var tracks = new List<TrackedObject>();
            var retired = new List<int>();
            foreach (var o in objects)
            {
                if (o.At(t) is { } s)
                {
                    seen.Add(o.Id);
                    tracks.Add(new TrackedObject(o.Id, o.Class, s.Box, 0.9f, (float)s.Vx, (float)s.Vy, n + 1, Start));
                }
                else if (seen.Remove(o.Id))
                {
                    retired.Add(o.Id);
                }
            }

            yield return new TrackFrame("cam1", n + 1, Start.AddSeconds(t), tracks, retired);
        }

        // The end of the script retires everyone still tracked.
        yield return new TrackFrame("cam1", frames + 2, Start.AddSeconds((frames + 1) / fps), [], [.. seen]);
    }
}
