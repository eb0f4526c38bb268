using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrosswalkWatch.Domain;

/// <summary>
/// A sentence the engine says to people (a check's reason, a description), kept both in English — for the command
/// line, logs and files — and as a key with values, which the console words in its reader's language
/// (<c>wwwroot/i18n/LANGUAGE/engine.json</c>, keys <c>engine.KEY</c>). A value written <c>@word</c> is itself a key
/// (<c>@colour.white</c>) that the language words too; a value that is a phrase, or a list of phrases, is worded
/// first (a reason inside a sentence; a list joined by the language's <c>engine.separator</c>, in English "; ").
/// </summary>
public sealed record Phrase(string Key, string English, IReadOnlyList<(string Name, string Value)> Values)
{
    /// <summary>The separator of a list of phrases in English.</summary>
    public const string EnglishSeparator = "; ";

    /// <summary>The values that are phrases: each name with its phrases (one, or a list).</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<Phrase> Phrases)> Inner { get; init; } = [];

    /// <summary>
    /// A phrase of <paramref name="key"/> whose English is <paramref name="english"/> with each {name} of
    /// <paramref name="values"/> filled in (an @word in English as the word, a phrase or a list of phrases as its English).
    /// </summary>
    public static Phrase Of(string key, string english, params (string Name, object Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(english);
        ArgumentNullException.ThrowIfNull(values);
        var written = new List<(string Name, string Value)>();
        var inner = new List<(string Name, IReadOnlyList<Phrase> Phrases)>();
        foreach (var (name, value) in values)
        {
            if (value is Phrase phrase)
            {
                inner.Add((name, [phrase]));
                english = english.Replace("{" + name + "}", phrase.English, StringComparison.Ordinal);
            }
            else if (value is IEnumerable<Phrase> list)
            {
                var phrases = list.ToList();
                inner.Add((name, phrases));
                english = english.Replace("{" + name + "}", string.Join(EnglishSeparator, phrases.Select(p => p.English)), StringComparison.Ordinal);
            }
            else
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                written.Add((name, text));
                english = english.Replace("{" + name + "}", text.StartsWith('@') ? text[(text.IndexOf('.', StringComparison.Ordinal) + 1)..] : text, StringComparison.Ordinal);
            }
        }

        return new Phrase(key, english, written) { Inner = inner };
    }

    /// <summary>The phrase as JSON, to keep with what it describes: <c>{"key", "english", "values": {name: value}, "inner": {name: [phrase…]}}</c>.</summary>
    public string ToJson() => Node().ToJsonString();

    /// <summary>The phrase <paramref name="json"/> holds as <see cref="ToJson"/> writes it; null when there is none or it is not one.</summary>
    public static Phrase? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return Read(JsonNode.Parse(json));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private JsonObject Node() => new()
    {
        ["key"] = Key,
        ["english"] = English,
        ["values"] = new JsonObject(Values.Select(v => KeyValuePair.Create(v.Name, (JsonNode?)v.Value))),
        ["inner"] = new JsonObject(Inner.Select(v => KeyValuePair.Create(v.Name, (JsonNode?)new JsonArray([.. v.Phrases.Select(p => (JsonNode)p.Node())])))),
    };

    private static Phrase? Read(JsonNode? node) =>
        node is JsonObject o && o["key"]?.GetValue<string>() is { } key && o["english"]?.GetValue<string>() is { } english
            ? new Phrase(key, english, [.. (o["values"] as JsonObject ?? []).Select(v => (v.Key, v.Value?.GetValue<string>() ?? ""))])
            {
                Inner = [.. (o["inner"] as JsonObject ?? []).Select(v => (v.Key, (IReadOnlyList<Phrase>)[.. (v.Value as JsonArray ?? []).Select(Read).OfType<Phrase>()]))],
            }
            : null;

    public override string ToString() => English;
}
