using System.Text.Json;
using CrosswalkWatch.Domain;

namespace CrosswalkWatch.Config;

/// <summary>Key names (PascalCase property ↔ camelCase key) and "did you mean" suggestions.</summary>
internal static class Naming
{
    public static string KeyOf(string propertyName) => JsonNamingPolicy.CamelCase.ConvertName(propertyName);

    /// <summary>Path of a key below <paramref name="parent"/>: <c>cameras[1].ingest</c> + <c>detectFps</c>.</summary>
    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    /// <summary>Path of a list item: <c>cameras</c> + 1 = <c>cameras[1]</c>.</summary>
    public static string Item(string parent, int index) => parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>The path one level up: <c>cameras[1].url</c> → <c>cameras[1]</c> → <c>cameras</c> → empty.</summary>
    public static string Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }

    /// <summary>The closest candidate to a mistyped word, or null when none is close enough to be a likely typo.</summary>
    public static string? Suggest(string given, IEnumerable<string> candidates) => Spelling.Closest(given, candidates);
}
