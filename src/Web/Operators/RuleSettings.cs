using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.Web.Operators;

/// <summary>One threshold of the yield rule as the page shows it: what it does, its bounds, the camera's value and the configuration's.</summary>
public sealed record RuleField(string Key, string Description, string Kind, double? Min, double? Max, IReadOnlyList<string>? Choices, object Value, object Configured, bool Overridden);

/// <summary>
/// The yield rule's thresholds on the operator's page: described from <see cref="YieldRuleSettings"/> itself (its
/// descriptions and bounds), and the values an operator typed turned into settings by the scene loader, so that they
/// are checked exactly as the edge box checks the scene file's <c>rule:</c> block when it starts.
/// </summary>
public static class RuleSettings
{
    /// <summary>Every threshold: the camera's effective value (configuration, then the scene file's <c>rule:</c>) and the configuration's.</summary>
    public static IReadOnlyList<RuleField> Fields(YieldRuleSettings configured, SceneDefinition scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var effective = scene.RuleFor(configured);
        return YieldRuleOverride.AllKeys.Select(key =>
        {
            var property = YieldRuleOverride.Property(key);
            var type = property.PropertyType;
            var range = property.GetCustomAttributes(typeof(RangeAttribute), false).OfType<RangeAttribute>().FirstOrDefault();
            var kind = type == typeof(bool) ? "boolean" : type == typeof(int) ? "integer" : type.IsEnum ? "choice" : "number";
            return new RuleField(
                key,
                property.GetCustomAttributes(typeof(DescriptionAttribute), false).OfType<DescriptionAttribute>().FirstOrDefault()?.Description ?? "",
                kind,
                range is null ? null : Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture),
                range is null ? null : Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture),
                type.IsEnum ? Enum.GetNames(type).Select(Camel).ToList() : null,
                Show(YieldRuleOverride.Value(effective, key)),
                Show(YieldRuleOverride.Value(configured, key)),
                scene.Rule?.Keys.Contains(key, StringComparer.Ordinal) == true);
        }).ToList();
    }

    /// <summary>
    /// The settings <paramref name="values"/> (key → JSON value, any subset of the keys) make of the camera's
    /// effective settings, checked by the scene loader as a <c>rule:</c> block of <paramref name="path"/>; or the
    /// loader's errors (unknown keys, wrong types, out of bounds).
    /// </summary>
    public static (YieldRuleSettings? Rule, IReadOnlyList<ConfigError> Errors) Parse(SceneDefinition scene, YieldRuleSettings configured, IReadOnlyDictionary<string, JsonElement>? values, string path)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var block = new StringBuilder();
        foreach (var (key, value) in values ?? new Dictionary<string, JsonElement>())
        {
            // JSON is YAML: the key as a quoted string, the value as the page sent it, for the loader to judge.
            block.Append("  ").Append(JsonSerializer.Serialize(key)).Append(": ").AppendLine(value.GetRawText());
        }

        var yaml = SceneWriter.Write(scene.WithRule(null)) + (block.Length == 0 ? "" : "rule:\n" + block);
        var (parsed, errors) = SceneFiles.Check(yaml, path);
        if (parsed is null)
        {
            return (null, errors);
        }

        return (parsed.RuleFor(scene.RuleFor(configured)), []);
    }

    /// <summary>The settings as key → value for the page and the audit log (enums by their camelCase names).</summary>
    public static Dictionary<string, object> View(YieldRuleSettings rule, IEnumerable<string>? keys = null) =>
        (keys ?? YieldRuleOverride.AllKeys).ToDictionary(k => k, k => Show(YieldRuleOverride.Value(rule, k)), StringComparer.Ordinal);

    private static object Show(object value) => value is Enum e ? Camel(e.ToString()) : value;

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}
