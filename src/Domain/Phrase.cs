using System.Globalization;

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

    public override string ToString() => English;
}
