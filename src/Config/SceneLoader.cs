using System.Globalization;
using CrosswalkWatch.Domain;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;
using YamlDotNet.RepresentationModel;

namespace CrosswalkWatch.Config;

/// <summary>
/// Reads a camera's scene file (YAML) into a <see cref="SceneDefinition"/> and checks its geometry: every point in
/// 0–1, polygons with an area, a convex crosswalk, lines of two distinct points, unique lane ids, every lane and the
/// centre line reaching the crosswalk, turning movements with unique names, an entry polygon and motor lanes of the
/// scene, signal heads' boxes with an area. All problems are reported at once with line and key, like cww.yaml.
/// An optional <c>rule:</c> block holds yield-rule thresholds for the camera, checked with the bounds of
/// <see cref="YieldRuleSettings"/> and kept as a <see cref="YieldRuleOverride"/> of the keys written.
/// </summary>
public static class SceneLoader
{
    public static SceneDefinition Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var errors = new ConfigErrors(path);
            errors.Add(null, "", Phrase.Of("scene.unreadable", "scene file could not be read: {error}", ("error", e.Message)));
            errors.ThrowIfAny();
            throw;
        }

        return Parse(text, path);
    }

    /// <summary>A scene text's version: the start of its SHA-256, as the console's editor and the view check's reference name it.</summary>
    public static string VersionOf(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];

    public static SceneDefinition Parse(string yamlText, string fileName)
    {
        var errors = new ConfigErrors(fileName);
        YamlNode? root = ConfigLoader.ReadDocument(yamlText, errors);
        errors.ThrowIfAny();
        var binder = new YamlBinder(errors);
        var ruleNode = TakeRule(root);
        var scene = binder.Bind<SceneDefinition>(root);
        var rule = ruleNode is null ? null : BindRule(ruleNode, binder);
        errors.ThrowIfAny(); // geometry checks need well-formed values
        Check(scene, binder);
        errors.ThrowIfAny();
        return scene.WithRule(rule);
    }

    /// <summary>Takes the <c>rule:</c> block out of the scene's mapping (it is bound on its own); null when there is none.</summary>
    private static YamlNode? TakeRule(YamlNode? root)
    {
        if (root is not YamlMappingNode mapping)
        {
            return null;
        }

        var key = mapping.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "rule" });
        if (key is null)
        {
            return null;
        }

        var value = mapping.Children[key];
        mapping.Children.Remove(key);
        return value;
    }

    /// <summary>The thresholds written under <c>rule:</c>, checked like the configuration's <c>rule:</c>; null when none is.</summary>
    private static YieldRuleOverride? BindRule(YamlNode node, YamlBinder binder)
    {
        var values = binder.Bind<YieldRuleSettings>(node, "rule");
        var keys = node is YamlMappingNode mapping
            ? mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").Where(k => YieldRuleOverride.AllKeys.Contains(k, StringComparer.Ordinal)).ToArray()
            : [];
        return keys.Length == 0 ? null : new YieldRuleOverride(values, keys);
    }

    private static void Check(SceneDefinition scene, YamlBinder binder)
    {
        var crosswalk = Polygon(scene.Crosswalk, "crosswalk", binder);
        if (crosswalk is not null && !Geometry.IsConvex(crosswalk))
        {
            binder.Report("crosswalk", Phrase.Of("scene.crosswalkConvex", "the crosswalk polygon must be convex, its points in order around it (no crossing edges)"));
            crosswalk = null;
        }

        if (scene.CenterLine is { } center && Line(center, "centerLine", binder) is { } centerLine && crosswalk is not null &&
            !Crosses(centerLine, crosswalk))
        {
            binder.Report("centerLine", Phrase.Of("scene.centerLineMisses", "the centre line does not cross the crosswalk: extend it over the crosswalk"));
        }

        if (scene.Approaches.Count == 0)
        {
            binder.Report("approaches", Phrase.Of("scene.noApproach", "at least one approach is needed: the direction of travel, its stop line and its lanes"));
        }

        var laneKinds = new Dictionary<string, LaneKind>(StringComparer.OrdinalIgnoreCase);
        for (var a = 0; a < scene.Approaches.Count; a++)
        {
            var approach = scene.Approaches[a];
            var path = Naming.Item("approaches", a);
            var direction = Line(approach.Direction, Naming.Child(path, "direction"), binder);
            var stop = Line(approach.StopLine, Naming.Child(path, "stopLine"), binder);
            if (direction is not null && stop is not null)
            {
                var d = (direction[1] - direction[0]).Normalized();
                var s = (stop[1] - stop[0]).Normalized();
                if (Math.Abs(d.Cross(s)) < 0.2)
                {
                    binder.Report(Naming.Child(path, "stopLine"), Phrase.Of("scene.stopLineAlong", "the stop line runs along the direction of travel: it must cross the lanes"));
                }
            }

            if (approach.Lanes.Count == 0)
            {
                binder.Report(Naming.Child(path, "lanes"), Phrase.Of("scene.noLane", "an approach needs at least one lane"));
            }

            for (var l = 0; l < approach.Lanes.Count; l++)
            {
                var lane = approach.Lanes[l];
                var lanePath = Naming.Item(Naming.Child(path, "lanes"), l);
                if (!laneKinds.TryAdd(lane.Id, lane.Kind))
                {
                    binder.Report(Naming.Child(lanePath, "id"), Phrase.Of("scene.duplicateLane", "duplicate lane id '{lane}': lane ids must be unique in the scene", ("lane", lane.Id)));
                }

                var polygon = Polygon(lane.Polygon, Naming.Child(lanePath, "polygon"), binder);
                if (polygon is not null && crosswalk is not null && Math.Abs(Geometry.SignedArea(Geometry.ClipToConvex(polygon, crosswalk))) < 1e-6)
                {
                    binder.Report(Naming.Child(lanePath, "polygon"), Phrase.Of("scene.laneMissesCrosswalk", "lane '{lane}' does not reach the crosswalk: draw it over its stretch of the crosswalk too", ("lane", lane.Id)));
                }
            }
        }

        for (var i = 0; i < scene.Refuges.Count; i++)
        {
            Polygon(scene.Refuges[i], Naming.Item("refuges", i), binder);
        }

        for (var i = 0; i < scene.Sidewalks.Count; i++)
        {
            Polygon(scene.Sidewalks[i], Naming.Item("sidewalks", i), binder);
        }

        CheckMovements(scene.Movements, laneKinds, binder);
        CheckSignals(scene.Signals, binder);
    }

    /// <summary>Each turning movement: a unique name, an entry polygon, and at least one lane, each a motor lane of the scene.</summary>
    private static void CheckMovements(IReadOnlyList<MovementDefinition> movements, Dictionary<string, LaneKind> laneKinds, YamlBinder binder)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var motorLanes = string.Join(", ", laneKinds.Where(l => l.Value == LaneKind.Motor).Select(l => l.Key));
        for (var m = 0; m < movements.Count; m++)
        {
            var movement = movements[m];
            var path = Naming.Item("movements", m);
            if (!names.Add(movement.Name))
            {
                binder.Report(Naming.Child(path, "name"), Phrase.Of("scene.duplicateMovement", "duplicate movement name '{name}': movement names must be unique in the scene", ("name", movement.Name)));
            }

            Polygon(movement.Entry, Naming.Child(path, "entry"), binder);
            var lanesPath = Naming.Child(path, "lanes");
            if (movement.Lanes.Count == 0)
            {
                binder.Report(lanesPath, Phrase.Of("scene.movementNoLane", "a movement needs at least one lane: the ids of the motor lanes its vehicles leave across the crosswalk"));
            }

            var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var l = 0; l < movement.Lanes.Count; l++)
            {
                var id = movement.Lanes[l];
                var at = Naming.Item(lanesPath, l);
                if (!laneKinds.TryGetValue(id, out var kind))
                {
                    binder.Report(at, Phrase.Of("scene.movementUnknownLane", "no lane '{lane}' in the scene: expected the id of one of its motor lanes ({lanes})", ("lane", id), ("lanes", motorLanes)));
                }
                else if (kind != LaneKind.Motor)
                {
                    binder.Report(at, Phrase.Of("scene.movementNotMotorLane", "lane '{lane}' is a {kind} lane: a movement's vehicles leave in motor lanes ({lanes})", ("lane", id), ("kind", Shape.EnumName(kind)), ("lanes", motorLanes)));
                }
                else if (!listed.Add(id))
                {
                    binder.Report(at, Phrase.Of("scene.laneTwice", "lane '{lane}' is listed twice", ("lane", id)));
                }
            }
        }
    }

    /// <summary>
    /// Each signal head: a name unique in the scene and a box of two corners, top-left then bottom-right, with an area
    /// (the upper half is where the red man is read, the lower half the green man).
    /// </summary>
    private static void CheckSignals(IReadOnlyList<SignalDefinition> signals, YamlBinder binder)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < signals.Count; i++)
        {
            var path = Naming.Item("signals", i);
            if (!names.Add(signals[i].Name))
            {
                binder.Report(Naming.Child(path, "name"), Phrase.Of("scene.duplicateSignal", "duplicate signal name '{name}': each head needs its own name", ("name", signals[i].Name)));
            }

            var box = signals[i].Box;
            var at = Naming.Child(path, "box");
            if (box.Count != 2)
            {
                binder.Report(at, Phrase.Of("scene.boxPoints", "a box is two points [[x1, y1], [x2, y2]] (top-left, bottom-right), got {count}", ("count", box.Count)));
                continue;
            }

            if (Points(box, at, binder) is [var topLeft, var bottomRight] &&
                (bottomRight.X - topLeft.X < MinSignalSide || bottomRight.Y - topLeft.Y < MinSignalSide))
            {
                binder.Report(at, Phrase.Of("scene.boxNotAround", "{box} is not a box around the head: the first point is its top-left corner, the second its bottom-right, at least {min} of the picture apart each way", ("box", string.Create(CultureInfo.InvariantCulture, $"[[{topLeft.X}, {topLeft.Y}], [{bottomRight.X}, {bottomRight.Y}]]")), ("min", MinSignalSide)));
            }
        }
    }

    /// <summary>The smallest side of a signal head's box, in 0–1 of the picture.</summary>
    private const double MinSignalSide = 0.002;

    private static Point2[]? Points(IReadOnlyList<IReadOnlyList<double>> list, string path, YamlBinder binder)
    {
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            var point = list[i];
            var at = Naming.Item(path, i);
            if (point.Count != 2)
            {
                binder.Report(at, Phrase.Of("scene.pointNumbers", "a point is [x, y]: two numbers, got {count}", ("count", point.Count)));
                ok = false;
            }
            else if (point[0] is < 0 or > 1 || point[1] is < 0 or > 1)
            {
                binder.Report(at, Phrase.Of("scene.pointOutside", "{point} is outside the image: coordinates are 0–1 of its width and height", ("point", string.Create(CultureInfo.InvariantCulture, $"[{point[0]}, {point[1]}]"))));
                ok = false;
            }
        }

        return ok ? Geometry.Points(list) : null;
    }

    private static Point2[]? Polygon(IReadOnlyList<IReadOnlyList<double>> list, string path, YamlBinder binder)
    {
        if (list.Count < 3)
        {
            binder.Report(path, Phrase.Of("scene.polygonPoints", "a polygon needs at least 3 points [x, y], got {count}", ("count", list.Count)));
            return null;
        }

        var points = Points(list, path, binder);
        if (points is not null && Math.Abs(Geometry.SignedArea(points)) < 1e-6)
        {
            binder.Report(path, Phrase.Of("scene.polygonFlat", "the polygon has no area: its points lie on one line or on top of each other"));
            return null;
        }

        return points;
    }

    private static Point2[]? Line(IReadOnlyList<IReadOnlyList<double>> list, string path, YamlBinder binder)
    {
        if (list.Count != 2)
        {
            binder.Report(path, Phrase.Of("scene.linePoints", "a line is two points [x, y], got {count}", ("count", list.Count)));
            return null;
        }

        var points = Points(list, path, binder);
        if (points is not null && (points[1] - points[0]).Length < 1e-4)
        {
            binder.Report(path, Phrase.Of("scene.lineSame", "the two points of the line are the same"));
            return null;
        }

        return points;
    }

    /// <summary>True when the line (extended a little) passes through the polygon.</summary>
    private static bool Crosses(Point2[] line, Point2[] polygon)
    {
        for (var t = -0.5; t <= 1.5; t += 0.01)
        {
            if (Geometry.Contains(polygon, line[0] + ((line[1] - line[0]) * t)))
            {
                return true;
            }
        }

        return false;
    }
}
