using System.Globalization;
using System.Text;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.Config;

/// <summary>
/// Writes a scene as YAML that <see cref="SceneLoader"/> reads back to the same scene, laid out like the sample scene
/// files: a point list per line in flow style, names quoted, a lane's kind only when it is not the default, the turning
/// movements when there are any, and the <c>rule:</c> block with only the keys the scene overrides. Comments go at the top. Values are written as they are,
/// even invalid ones, so that the loader can say what is wrong with them.
/// </summary>
public static class SceneWriter
{
    public static string Write(SceneDefinition scene, IEnumerable<string>? comments = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var yaml = new StringBuilder();
        foreach (var comment in comments ?? [])
        {
            foreach (var line in comment.Split('\n'))
            {
                yaml.Append("# ").AppendLine(line.TrimEnd('\r'));
            }
        }

        yaml.Append("crosswalk: ").AppendLine(Points(scene.Crosswalk));
        if (scene.CenterLine is { } center)
        {
            yaml.Append("centerLine: ").AppendLine(Points(center));
        }

        yaml.AppendLine("approaches:");
        foreach (var approach in scene.Approaches ?? [])
        {
            yaml.Append("  - name: ").AppendLine(Text(approach.Name));
            yaml.Append("    direction: ").AppendLine(Points(approach.Direction));
            yaml.Append("    stopLine: ").AppendLine(Points(approach.StopLine));
            yaml.AppendLine("    lanes:");
            foreach (var lane in approach.Lanes ?? [])
            {
                yaml.Append("      - id: ").AppendLine(Text(lane.Id));
                if (lane.Kind != LaneKind.Motor)
                {
                    yaml.Append("        kind: ").AppendLine(Shape.EnumName(lane.Kind));
                }

                yaml.Append("        polygon: ").AppendLine(Points(lane.Polygon));
            }
        }

        Polygons(yaml, "refuges", scene.Refuges);
        Polygons(yaml, "sidewalks", scene.Sidewalks);
        if (scene.Movements is { Count: > 0 } movements)
        {
            yaml.AppendLine("movements:");
            foreach (var movement in movements)
            {
                yaml.Append("  - name: ").AppendLine(Text(movement.Name));
                yaml.Append("    turn: ").AppendLine(Shape.EnumName(movement.Turn));
                yaml.Append("    entry: ").AppendLine(Points(movement.Entry));
                yaml.Append("    lanes: [").Append(string.Join(", ", (movement.Lanes ?? []).Select(Text))).AppendLine("]");
            }
        }

        if (scene.Signals is { Count: > 0 } signals)
        {
            yaml.AppendLine("signals:");
            foreach (var signal in signals)
            {
                yaml.Append("  - name: ").AppendLine(Text(signal.Name));
                yaml.Append("    box: ").AppendLine(Points(signal.Box));
            }
        }

        if (scene.Rule is { } rule)
        {
            yaml.AppendLine("rule:");
            foreach (var key in YieldRuleOverride.AllKeys.Where(k => rule.Keys.Contains(k, StringComparer.Ordinal)))
            {
                yaml.Append("  ").Append(key).Append(": ").AppendLine(Scalar(YieldRuleOverride.Value(rule.Values, key)));
            }
        }

        return yaml.ToString();
    }

    private static void Polygons(StringBuilder yaml, string key, IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? polygons)
    {
        if (polygons is not { Count: > 0 })
        {
            return;
        }

        yaml.Append(key).AppendLine(":");
        foreach (var polygon in polygons)
        {
            yaml.Append("  - ").AppendLine(Points(polygon));
        }
    }

    /// <summary><c>[[x, y], [x, y], …]</c>; an empty or missing list as <c>[]</c>.</summary>
    private static string Points(IReadOnlyList<IReadOnlyList<double>>? points) =>
        "[" + string.Join(", ", (points ?? []).Select(p => "[" + string.Join(", ", (p ?? []).Select(Number)) + "]")) + "]";

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Scalar(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        Enum e => Shape.EnumName(e),
        _ => Quoted(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>Plain when YAML reads it back as the same string (words, digits, '_', '-', '.', inner spaces), else quoted.</summary>
    private static string Text(string? text) =>
        text is { Length: > 0 } && char.IsAsciiLetter(text[0]) && text[^1] != ' ' && text.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '-' or '.')
            && !YamlWords.Contains(text, StringComparer.OrdinalIgnoreCase)
            ? text
            : Quoted(text);

    /// <summary>Words YAML may read as something other than a string.</summary>
    private static readonly string[] YamlWords = ["true", "false", "null", "yes", "no", "on", "off", "y", "n"];

    /// <summary>A YAML double-quoted string (the escapes JSON uses, which YAML shares).</summary>
    private static string Quoted(string? text) => System.Text.Json.JsonSerializer.Serialize(text ?? "", QuoteOptions);

    private static readonly System.Text.Json.JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
