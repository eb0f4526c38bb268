using System.Collections.Concurrent;
using System.Reflection;

namespace CrosswalkWatch.Config;

internal enum ShapeKind
{
    String,
    Int,
    Double,
    Bool,
    Enum,
    List,
    Record,
}

/// <summary>A bindable property: its YAML key and the property it sets.</summary>
internal sealed record KeyedProperty(string Key, PropertyInfo Property);

/// <summary>
/// What the binder and the docs renderer can do with a type: scalars (string, int, double, bool, enums),
/// lists (<c>IReadOnlyList&lt;T&gt;</c>, <c>List&lt;T&gt;</c>, <c>T[]</c>) and records (a parameterless constructor
/// and public init or set properties). Nullable value types are stripped by the caller.
/// </summary>
internal static class Shape
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<KeyedProperty>> PropertyCache = new();

    public static ShapeKind Of(Type type)
    {
        if (type == typeof(string))
        {
            return ShapeKind.String;
        }

        if (type == typeof(int))
        {
            return ShapeKind.Int;
        }

        if (type == typeof(double))
        {
            return ShapeKind.Double;
        }

        if (type == typeof(bool))
        {
            return ShapeKind.Bool;
        }

        if (type.IsEnum)
        {
            return ShapeKind.Enum;
        }

        if (ElementType(type) is not null)
        {
            return ShapeKind.List;
        }

        if (type.IsClass && type.GetConstructor(Type.EmptyTypes) is not null)
        {
            return ShapeKind.Record;
        }

        throw new NotSupportedException($"The configuration binder cannot bind {type}: use string, int, double, bool, an enum, a list or a record with a parameterless constructor.");
    }

    /// <summary>The item type of a list type the binder fills, or null.</summary>
    public static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!type.IsGenericType)
        {
            return null;
        }

        Type definition = type.GetGenericTypeDefinition();
        bool list = definition == typeof(IReadOnlyList<>)
            || definition == typeof(IReadOnlyCollection<>)
            || definition == typeof(IEnumerable<>)
            || definition == typeof(IList<>)
            || definition == typeof(List<>);
        return list ? type.GetGenericArguments()[0] : null;
    }

    /// <summary>The settable public properties of a record, in declaration order, with their camelCase keys.</summary>
    public static IReadOnlyList<KeyedProperty> Properties(Type type) => PropertyCache.GetOrAdd(type, static t =>
    {
        var found = new List<KeyedProperty>();
        foreach (PropertyInfo property in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            {
                found.Add(new KeyedProperty(Naming.KeyOf(property.Name), property));
            }
        }

        return found;
    });

    public static IReadOnlyList<string> EnumNames(Type enumType)
    {
        var names = new List<string>();
        foreach (string name in Enum.GetNames(enumType))
        {
            names.Add(Naming.KeyOf(name));
        }

        return names;
    }

    public static string EnumName(Enum value) => Naming.KeyOf(value.ToString());
}
