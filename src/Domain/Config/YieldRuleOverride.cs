using System.Reflection;
using System.Text.Json;

namespace CrosswalkWatch.Domain.Config;

/// <summary>
/// Some of the yield rule's thresholds, laid over the others: a camera's scene file may hold a <c>rule:</c> block
/// (the operators' console saves thresholds there) whose keys override the configuration's rule for that camera
/// (the global <c>rule:</c> with the camera's own <c>rule:</c> over it). Only <see cref="Keys"/> count: the keys
/// written (camelCase, as in YAML); <see cref="Values"/> holds their values, its other properties mean nothing.
/// </summary>
public sealed record YieldRuleOverride(YieldRuleSettings Values, IReadOnlyList<string> Keys)
{
    private static readonly PropertyInfo[] Settings = typeof(YieldRuleSettings)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is { IsPublic: true })
        .ToArray();

    /// <summary>The keys of the rule's thresholds (camelCase), in declaration order.</summary>
    public static IReadOnlyList<string> AllKeys { get; } = Settings.Select(p => KeyOf(p.Name)).ToArray();

    /// <summary><paramref name="rule"/> with this override's keys set to its values.</summary>
    public YieldRuleSettings ApplyTo(YieldRuleSettings rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var result = rule with { };
        foreach (var property in Settings)
        {
            if (Keys.Contains(KeyOf(property.Name), StringComparer.Ordinal))
            {
                property.SetValue(result, property.GetValue(Values));
            }
        }

        return result;
    }

    /// <summary>What must be laid over <paramref name="rule"/> to get <paramref name="wanted"/>: its differing keys; null when none differs.</summary>
    public static YieldRuleOverride? Between(YieldRuleSettings rule, YieldRuleSettings wanted)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(wanted);
        var keys = Settings.Where(p => !Equals(p.GetValue(rule), p.GetValue(wanted))).Select(p => KeyOf(p.Name)).ToArray();
        return keys.Length == 0 ? null : new YieldRuleOverride(wanted, keys);
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="rule"/> (a double, int, bool or enum).</summary>
    public static object Value(YieldRuleSettings rule, string key) =>
        Property(key).GetValue(rule) ?? throw new InvalidOperationException($"rule.{key} has no value");

    /// <summary>The property behind a key of <see cref="AllKeys"/>.</summary>
    public static PropertyInfo Property(string key) =>
        Settings.FirstOrDefault(p => KeyOf(p.Name) == key) ?? throw new ArgumentException($"'{key}' is not a key of the yield rule", nameof(key));

    private static string KeyOf(string propertyName) => JsonNamingPolicy.CamelCase.ConvertName(propertyName);
}
