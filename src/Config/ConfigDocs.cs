using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text;
using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.Config;

/// <summary>Documentation generated from the config types' attributes, so it cannot drift from what the loader accepts.</summary>
public static class ConfigDocs
{
    /// <summary>
    /// A complete cww.yaml with every key at its default, each preceded by
    /// <c># description (default X, range A–B)</c>. Lists that are empty by default (cameras) are followed by a
    /// commented-out example item showing every key an item takes. The text loads back through
    /// <see cref="ConfigLoader.Parse"/> as the defaults. Printed by <c>cww config defaults</c>.
    /// </summary>
    public static string DefaultsYaml()
    {
        var text = new StringBuilder();
        text.Append("# CrosswalkWatch configuration (cww.yaml): every key, at its default.\n");
        text.Append("# Check a file with `cww config check FILE`. Unknown keys are errors; a key left out takes its default.\n");
        text.Append("# Relative paths are taken from this file's folder.\n");
        RenderRecord(text, typeof(CwwConfig), new CwwConfig(), indent: "", comment: "");
        return text.ToString();
    }

    private static void RenderRecord(StringBuilder text, Type type, object record, string indent, string comment)
    {
        foreach (KeyedProperty keyed in Shape.Properties(type))
        {
            PropertyInfo property = keyed.Property;
            Type valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object? value = property.GetValue(record);
            if (indent.Length == 0)
            {
                text.Append('\n');
            }

            string description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
            string summary = Constraints.Summary(valueType, property, value);
            string note = (description + (summary.Length > 0 ? $" ({summary})" : "")).Trim();
            if (note.Length > 0)
            {
                Line(text, comment, indent, "# " + note);
            }

            switch (Shape.Of(valueType))
            {
                case ShapeKind.Record:
                    Line(text, comment, indent, keyed.Key + ":");
                    RenderRecord(text, valueType, value ?? Activator.CreateInstance(valueType)!, indent + "  ", comment);
                    break;
                case ShapeKind.List:
                    RenderList(text, keyed.Key, Shape.ElementType(valueType)!, value as System.Collections.IEnumerable, indent, comment);
                    break;
                default:
                    Line(text, comment, indent, keyed.Key + ": " + Scalar(value));
                    break;
            }
        }
    }

    private static void RenderList(StringBuilder text, string key, Type elementType, System.Collections.IEnumerable? items, string indent, string comment)
    {
        var values = new List<object?>();
        foreach (object? item in items ?? Array.Empty<object>())
        {
            values.Add(item);
        }

        bool records = Shape.Of(Nullable.GetUnderlyingType(elementType) ?? elementType) == ShapeKind.Record;
        if (!records || values.Count == 0)
        {
            var scalars = new List<string>();
            if (!records)
            {
                foreach (object? item in values)
                {
                    scalars.Add(Scalar(item));
                }
            }

            Line(text, comment, indent, key + ": [" + string.Join(", ", scalars) + "]");
            if (records)
            {
                Line(text, comment, indent, "# Each item takes these keys (commented out; uncomment and fill in):");
                Line(text, comment + "# ", indent, "  -");
                RenderRecord(text, elementType, Activator.CreateInstance(elementType)!, indent + "    ", comment + "# ");
            }

            return;
        }

        Line(text, comment, indent, key + ":");
        foreach (object? item in values)
        {
            Line(text, comment, indent, "  -");
            RenderRecord(text, elementType, item ?? Activator.CreateInstance(elementType)!, indent + "    ", comment);
        }
    }

    private static void Line(StringBuilder text, string comment, string indent, string content) =>
        text.Append(comment).Append(indent).Append(content).Append('\n');

    /// <summary>A value as a YAML scalar that the binder reads back to the same value.</summary>
    private static string Scalar(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => Constraints.FormatNumber(d),
        Enum e => Shape.EnumName(e),
        _ => throw new NotSupportedException($"No YAML form for {value.GetType()}"),
    };
}
