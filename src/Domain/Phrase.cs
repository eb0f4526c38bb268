using System.Globalization;

namespace CrosswalkWatch.Domain;

/// <summary>
/// A sentence the engine says to people (a check's reason, a description), kept both in English — for the command
/// line, logs and files — and as a key with values, which the console words in its reader's language
/// (<c>wwwroot/i18n/LANGUAGE/engine.json</c>, keys <c>engine.KEY</c>). A value written <c>@word</c> is itself a key
/// (<c>@colour.white</c>) that the language words too.
/// </summary>
public sealed record Phrase(string Key, string English, IReadOnlyList<(string Name, string Value)> Values)
{
    /// <summary>A phrase of <paramref name="key"/> whose English is <paramref name="english"/> with each {name} of <paramref name="values"/> filled in (an @word in English as the word).</summary>
    public static Phrase Of(string key, string english, params (string Name, object Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(english);
        var written = values.Select(v => (v.Name, Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "")).ToList();
        foreach (var (name, value) in written)
        {
            english = english.Replace("{" + name + "}", value.StartsWith('@') ? value[(value.IndexOf('.', StringComparison.Ordinal) + 1)..] : value, StringComparison.Ordinal);
        }

        return new Phrase(key, english, written);
    }

    public override string ToString() => English;
}
