using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace CrosswalkWatch.Config;

/// <summary>
/// Binds a YAML node tree onto records by reflection: camelCase keys to PascalCase init properties; scalars
/// (string, int, double, bool, enums, and their nullable forms), nested records and lists of anything bindable.
/// Defaults are the records' own property initialisers; bounds come from their DataAnnotations attributes.
/// Every problem is added to <see cref="Errors"/> and binding goes on, so one run finds them all.
/// The binder also remembers the node behind every path, so later cross-field checks can point at a line.
/// </summary>
internal sealed class YamlBinder(ConfigErrors errors)
{
    private static readonly HashSet<string> NullWords = ["", "~", "null", "Null", "NULL"];

    private readonly Dictionary<string, YamlNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<YamlNode, YamlNode> _positions = new(ReferenceEqualityComparer.Instance);
    private readonly NullabilityInfoContext _nullability = new();

    public ConfigErrors Errors { get; } = errors;

    /// <summary>Binds <paramref name="node"/> (a mapping; null or an empty value gives all defaults) as a <typeparamref name="T"/>.</summary>
    /// <param name="node">The mapping node, or null when the section is absent.</param>
    /// <param name="path">Key path of the node, used in error messages (empty for the document root).</param>
    public T Bind<T>(YamlNode? node, string path = "")
        where T : class, new() => (T)BindRecord(typeof(T), node, path);

    /// <summary>True for an empty value, <c>~</c> or <c>null</c> (unquoted).</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar && NullWords.Contains(scalar.Value ?? "");

    /// <summary>The node written for exactly this path, or null when the value was not written (a default).</summary>
    public YamlNode? Find(string path) => _nodes.GetValueOrDefault(path);

    /// <summary>The node for this path, or for the nearest enclosing path that was written.</summary>
    public YamlNode? Locate(string path)
    {
        while (true)
        {
            if (_nodes.TryGetValue(path, out YamlNode? node))
            {
                return node;
            }

            if (path.Length == 0)
            {
                return null;
            }

            path = Naming.Parent(path);
        }
    }

    /// <summary>Reports errors at <paramref name="synthetic"/> (a node built by merging) at <paramref name="original"/>'s position.</summary>
    public void UsePositionOf(YamlNode synthetic, YamlNode original) => _positions[synthetic] = original;

    /// <summary>Adds an error for <paramref name="path"/> at the node written for it (or the nearest enclosing one).</summary>
    public void Report(string path, string message) => Report(Locate(path), path, message);

    /// <summary>Adds an error said as a phrase (the console words it in its reader's language) for <paramref name="path"/>.</summary>
    public void Report(string path, Domain.Phrase message) => Report(Locate(path), path, message);

    public void Report(YamlNode? at, string path, Domain.Phrase message) =>
        Errors.Add(at is not null && _positions.TryGetValue(at, out YamlNode? original) ? original : at, path, message);

    public void Report(YamlNode? at, string path, string message) =>
        Errors.Add(at is not null && _positions.TryGetValue(at, out YamlNode? original) ? original : at, path, message);

    private object BindRecord(Type type, YamlNode? node, string path)
    {
        object record = Activator.CreateInstance(type)!;
        if (node is null)
        {
            return record;
        }

        _nodes[path] = node;
        IReadOnlyList<KeyedProperty> properties = Shape.Properties(type);
        if (node is not YamlMappingNode && !IsNull(node))
        {
            Report(node, path, Domain.Phrase.Of("config.expectedGot", "expected {expected}, got {got}", ("expected", Constraints.ExpectationPhrase(type, null, null)), ("got", DescribeValue(node))));
            return record;
        }

        // An empty value (`site:` with nothing under it, or a bare `-` item) is an empty mapping: all defaults,
        // but required keys are still missing.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<KeyValuePair<YamlNode, YamlNode>> entries = node is YamlMappingNode mapping ? mapping.Children : [];
        foreach (KeyValuePair<YamlNode, YamlNode> entry in entries)
        {
            if (entry.Key is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                Report(entry.Key, path, Domain.Phrase.Of("config.notAKeyName", "expected a key name, got {got}", ("got", DescribeValue(entry.Key))));
                continue;
            }

            string keyPath = Naming.Child(path, key);
            KeyedProperty? target = FindProperty(properties, key);
            if (target is null)
            {
                Report(entry.Key, keyPath, UnknownKey(key, properties));
                continue;
            }

            seen.Add(target.Key);
            PropertyInfo property = target.Property;
            object? defaultValue = property.GetValue(record);
            if (TryBind(property.PropertyType, _nullability.Create(property), entry.Value, keyPath, property, defaultValue, out object? value))
            {
                property.SetValue(record, value);
            }
        }

        foreach (KeyedProperty candidate in properties)
        {
            bool required = candidate.Property.GetCustomAttribute<RequiredAttribute>() is not null;
            if (required && !seen.Contains(candidate.Key))
            {
                Report(node, Naming.Child(path, candidate.Key), MissingKey(candidate));
            }
        }

        return record;
    }

    private bool TryBind(Type declared, NullabilityInfo? nullability, YamlNode node, string path, PropertyInfo? property, object? defaultValue, out object? value)
    {
        _nodes[path] = node;
        Type? underlying = Nullable.GetUnderlyingType(declared);
        Type type = underlying ?? declared;
        bool allowsNull = underlying is not null
            || (!declared.IsValueType && nullability?.WriteState == NullabilityState.Nullable);
        ShapeKind kind = Shape.Of(type);
        value = null;

        if (IsNull(node))
        {
            if (allowsNull)
            {
                return true;
            }

            switch (kind)
            {
                case ShapeKind.Record:
                    value = BindRecord(type, node, path);
                    return true;
                case ShapeKind.List:
                    return TryBindList(type, nullability, node, path, property, out value);
                case ShapeKind.String:
                    return TryBindString("", path, node, property, defaultValue, out value);
                default:
                    Report(node, path, Domain.Phrase.Of("config.noValue", "has no value: expected {expected}", ("expected", Constraints.ExpectationPhrase(type, property, defaultValue))));
                    return false;
            }
        }

        if (kind == ShapeKind.Record)
        {
            value = BindRecord(type, node, path);
            return true;
        }

        if (kind == ShapeKind.List)
        {
            return TryBindList(type, nullability, node, path, property, out value);
        }

        if (node is not YamlScalarNode scalar)
        {
            Report(node, path, Domain.Phrase.Of("config.expectedGot", "expected {expected}, got {got}", ("expected", Constraints.ExpectationPhrase(type, property, defaultValue)), ("got", DescribeValue(node))));
            return false;
        }

        string text = scalar.Value ?? "";
        return kind switch
        {
            ShapeKind.String => TryBindString(text, path, node, property, defaultValue, out value),
            ShapeKind.Int => TryBindInt(text, path, node, property, defaultValue, out value),
            ShapeKind.Double => TryBindDouble(text, path, node, property, defaultValue, out value),
            ShapeKind.Bool => TryBindBool(text, path, node, defaultValue, out value),
            _ => TryBindEnum(type, text, path, node, property, defaultValue, out value),
        };
    }

    private bool TryBindString(string text, string path, YamlNode node, PropertyInfo? property, object? defaultValue, out object? value)
    {
        value = text;
        string? problem = Constraints.CheckString(text, property, defaultValue);
        if (problem is null)
        {
            return true;
        }

        Report(node, path, problem);
        return false;
    }

    private bool TryBindInt(string text, string path, YamlNode node, PropertyInfo? property, object? defaultValue, out object? value)
    {
        value = null;
        Domain.Phrase? problem;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
        {
            problem = Constraints.CheckNumber(number, text, typeof(int), property, defaultValue);
            value = number;
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real) && real == Math.Floor(real))
        {
            problem = Constraints.CheckNumber(real, text, typeof(int), property, defaultValue)
                ?? Domain.Phrase.Of("config.tooLarge", "{written} is too large: expected {expected}", ("written", text), ("expected", Constraints.ExpectationPhrase(typeof(int), property, defaultValue)));
        }
        else
        {
            problem = Domain.Phrase.Of("config.notWholeNumber", "'{written}' is not a whole number: expected {expected}", ("written", text), ("expected", Constraints.ExpectationPhrase(typeof(int), property, defaultValue)));
        }

        if (problem is null)
        {
            return true;
        }

        Report(node, path, problem);
        return false;
    }

    private bool TryBindDouble(string text, string path, YamlNode node, PropertyInfo? property, object? defaultValue, out object? value)
    {
        value = null;
        Domain.Phrase? problem;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
        {
            problem = Constraints.CheckNumber(number, text, typeof(double), property, defaultValue);
            value = number;
        }
        else
        {
            problem = Domain.Phrase.Of("config.notANumber", "'{written}' is not a number: expected {expected}", ("written", text), ("expected", Constraints.ExpectationPhrase(typeof(double), property, defaultValue)));
        }

        if (problem is null)
        {
            return true;
        }

        Report(node, path, problem);
        return false;
    }

    private bool TryBindBool(string text, string path, YamlNode node, object? defaultValue, out object? value)
    {
        value = null;
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            value = false;
            return true;
        }

        Report(node, path, Domain.Phrase.Of("config.notChoice", "'{written}' is not {expected}", ("written", text), ("expected", Constraints.ExpectationPhrase(typeof(bool), null, defaultValue))));
        return false;
    }

    private bool TryBindEnum(Type type, string text, string path, YamlNode node, PropertyInfo? property, object? defaultValue, out object? value)
    {
        foreach (string name in Enum.GetNames(type))
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                value = Enum.Parse(type, name);
                return true;
            }
        }

        value = null;
        string? suggestion = Naming.Suggest(text, Shape.EnumNames(type));
        var expected = Constraints.ExpectationPhrase(type, property, defaultValue);
        Report(node, path, suggestion is null
            ? Domain.Phrase.Of("config.notChoice", "'{written}' is not {expected}", ("written", text), ("expected", expected))
            : Domain.Phrase.Of("config.notChoiceSuggest", "'{written}' is not {expected}; did you mean '{suggestion}'?", ("written", text), ("expected", expected), ("suggestion", suggestion)));
        return false;
    }

    private bool TryBindList(Type type, NullabilityInfo? nullability, YamlNode node, string path, PropertyInfo? property, out object? value)
    {
        Type elementType = Shape.ElementType(type)!;
        NullabilityInfo? elementNullability = type.IsArray ? nullability?.ElementType : nullability?.GenericTypeArguments.FirstOrDefault();
        var items = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        value = null;

        if (!IsNull(node))
        {
            if (node is not YamlSequenceNode sequence)
            {
                Report(node, path, Domain.Phrase.Of("config.expectedGot", "expected {expected}, got {got}", ("expected", Constraints.ExpectationPhrase(type, property, null)), ("got", DescribeValue(node))));
                return false;
            }

            bool ok = true;
            for (int i = 0; i < sequence.Children.Count; i++)
            {
                // Attributes on the list property (e.g. [Range(0, 1)] on a list of coordinates) apply to each scalar item.
                PropertyInfo? itemRules = Shape.Of(Unwrap(elementType)) is ShapeKind.Record or ShapeKind.List ? null : property;
                if (TryBind(elementType, elementNullability, sequence.Children[i], Naming.Item(path, i), itemRules, null, out object? item))
                {
                    items.Add(item);
                }
                else
                {
                    ok = false;
                }
            }

            if (!ok)
            {
                return false;
            }
        }

        string? problem = Constraints.CheckCount(items.Count, property);
        if (problem is not null)
        {
            Report(node, path, problem);
            return false;
        }

        if (type.IsArray)
        {
            var array = Array.CreateInstance(elementType, items.Count);
            items.CopyTo(array, 0);
            value = array;
        }
        else
        {
            value = items;
        }

        return true;
    }

    private static KeyedProperty? FindProperty(IReadOnlyList<KeyedProperty> properties, string key)
    {
        foreach (KeyedProperty candidate in properties)
        {
            if (string.Equals(candidate.Key, key, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    private static Domain.Phrase UnknownKey(string key, IReadOnlyList<KeyedProperty> properties)
    {
        var allowed = new List<string>(properties.Count);
        foreach (KeyedProperty candidate in properties)
        {
            allowed.Add(candidate.Key);
        }

        string? suggestion = Naming.Suggest(key, allowed);
        return suggestion is null
            ? Domain.Phrase.Of("config.unknownKey", "unknown key '{key}' (allowed: {allowed})", ("key", key), ("allowed", string.Join(", ", allowed)))
            : Domain.Phrase.Of("config.unknownKeySuggest", "unknown key '{key}'; did you mean '{suggestion}'? (allowed: {allowed})", ("key", key), ("suggestion", suggestion), ("allowed", string.Join(", ", allowed)));
    }

    /// <summary>
    /// A required key that is not written: what it must be, and what it is for (its [Description], which each language
    /// words as <c>engine.config.about.TYPE.KEY</c>).
    /// </summary>
    private static Domain.Phrase MissingKey(KeyedProperty candidate)
    {
        PropertyInfo property = candidate.Property;
        object about = property.GetCustomAttribute<DescriptionAttribute>()?.Description is { } description
            ? Domain.Phrase.Of(AboutKey(property, candidate.Key), $" ({description.TrimEnd('.')})")
            : "";
        return Domain.Phrase.Of("config.missingKey", "missing required key '{key}': expected {expected}{about}",
            ("key", candidate.Key), ("expected", Constraints.ExpectationPhrase(Unwrap(property.PropertyType), property, null)), ("about", about));
    }

    /// <summary>The phrase key of a required key's description: <c>config.about.TYPE.KEY</c> (e.g. config.about.CameraConfig.url).</summary>
    internal static string AboutKey(PropertyInfo property, string key) => $"config.about.{property.DeclaringType!.Name}.{key}";

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>What a node is, as a phrase's value: a mapping or a list (a phrase each language words), or the value written.</summary>
    private static object DescribeValue(YamlNode node) => node switch
    {
        YamlMappingNode => Domain.Phrase.Of("config.aMapping", "a mapping"),
        YamlSequenceNode => Domain.Phrase.Of("config.aList", "a list"),
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => Domain.Phrase.Of("config.somethingElse", "something else"),
    };
}
