using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CrosswalkWatch.Web.Texts;

/// <summary>
/// Every text the console shows, one folder per language: <c>wwwroot/i18n/LANGUAGE/AREA.json</c>, each a flat map of
/// key to text (an area per role, and <c>common</c>), with <c>{name}</c> where a value goes. The pages' fragments name
/// keys as <c>{{t:key}}</c> (filled in on the server), the scripts as <c>cww.t("key", {name: value})</c> (the page
/// carries its language's map), the endpoints as <see cref="TextsOf.T"/>. A test fails when a key is missing in either
/// language or a page, script or endpoint names one that does not exist.
/// </summary>
public sealed partial class ConsoleTexts
{
    /// <summary>The console's languages: Simplified Chinese (the default) and English.</summary>
    public static readonly IReadOnlyList<string> Languages = ["zh-CN", "en"];

    private readonly Dictionary<string, Dictionary<string, string>> _texts;
    private readonly Dictionary<string, string> _json;
    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    private ConsoleTexts(Dictionary<string, Dictionary<string, string>> texts)
    {
        _texts = texts;
        _json = texts.ToDictionary(l => l.Key, l => JsonSerializer.Serialize(l.Value)); // the default encoder escapes <, > and &: safe inside <script>
    }

    /// <summary>The texts of <paramref name="folder"/> (default: wwwroot/i18n beside the program).</summary>
    public static ConsoleTexts Load(string? folder = null)
    {
        folder ??= Path.Combine(AppContext.BaseDirectory, "wwwroot", "i18n");
        var texts = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var language in Languages)
        {
            var all = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(Path.Combine(folder, language), "*.json").Order(StringComparer.Ordinal))
            {
                Dictionary<string, string>? area;
                try
                {
                    area = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file));
                }
                catch (JsonException e)
                {
                    throw new InvalidOperationException($"{file}: not a map of key to text: {e.Message}", e);
                }

                foreach (var (key, text) in area ?? [])
                {
                    if (!all.TryAdd(key, text))
                    {
                        throw new InvalidOperationException($"{file}: key '{key}' is given twice in {language}");
                    }
                }
            }

            texts[language] = all;
        }

        return new ConsoleTexts(texts);
    }

    /// <summary>Every key and text of <paramref name="language"/>.</summary>
    public IReadOnlyDictionary<string, string> Of(string language) => _texts[Known(language)];

    /// <summary>The map of <paramref name="language"/> as JSON, for the page's scripts.</summary>
    public string JsonOf(string language) => _json[Known(language)];

    /// <summary>The text of <paramref name="key"/> with each <c>{name}</c> replaced; the key itself when there is no such text (a test keeps that from shipping).</summary>
    public string Get(string language, string key, params (string Name, object? Value)[] values)
    {
        var text = _texts[Known(language)].TryGetValue(key, out var found) ? found : key;
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// An engine's phrase in <paramref name="language"/>: its text <c>engine.KEY</c>, each <c>@word</c> value worded as
    /// <c>engine.word</c>, each phrase value worded the same way (a list joined by <c>engine.separator</c>).
    /// </summary>
    public string Get(string language, Domain.Phrase phrase)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        var values = phrase.Values.Select(v => (v.Name, (object?)(v.Value.StartsWith('@') ? Get(language, "engine." + v.Value[1..]) : v.Value)))
            .Concat(phrase.Inner.Select(v => (v.Name, (object?)string.Join(Get(language, "engine.separator"), v.Phrases.Select(p => Get(language, p))))));
        return Get(language, "engine." + phrase.Key, [.. values]);
    }

    /// <summary>
    /// A sentence the engine stored in English only (<see cref="StoredEnglish"/>), recognised as the phrase of one of
    /// <paramref name="keys"/> whose English text it was made from, tried in order; a value that is itself one of their
    /// sentences becomes that phrase. Null when it is none of them: free text stays as it was typed.
    /// </summary>
    public Domain.Phrase? Recognise(string? english, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (string.IsNullOrEmpty(english))
        {
            return null;
        }

        foreach (var key in keys)
        {
            var template = _texts["en"].GetValueOrDefault("engine." + key);
            var match = template is null ? null : _patterns.GetOrAdd(template, Pattern).Match(english);
            if (match is not { Success: true })
            {
                continue;
            }

            var values = new List<(string Name, object Value)>();
            foreach (var name in match.Groups.Keys.Where(n => !int.TryParse(n, CultureInfo.InvariantCulture, out _)))
            {
                var text = match.Groups[name].Value;
                if (text.StartsWith('@'))
                {
                    return null; // a phrase would take it for a word's key
                }

                values.Add((name, text.Length < english.Length && Recognise(text, keys) is { } inner ? inner : text));
            }

            return Domain.Phrase.Of(key, template!, [.. values]);
        }

        return null;
    }

    /// <summary>A text's English as a pattern: its words as they are, each {name} any text (as little as fits).</summary>
    private static Regex Pattern(string template) => new(
        "^" + PlaceholderPattern().Replace(Regex.Escape(template), m => $"(?<{m.Groups[1].Value}>.*?)") + "$",
        RegexOptions.Singleline | RegexOptions.CultureInvariant,
        TimeSpan.FromSeconds(1));

    /// <summary>A {name} in a text as <see cref="Regex.Escape"/> leaves it.</summary>
    [GeneratedRegex(@"\\\{(\w+)}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>A language of the console, or the default (zh-CN) for anything else.</summary>
    public static string Known(string? language) => language is not null && Languages.Contains(language) ? language : Languages[0];
}

/// <summary>The language of a request and its texts.</summary>
public static class TextsOf
{
    /// <summary>The claim of a signed-in account's language (read from its account when it signs in).</summary>
    public const string LanguageClaim = "cww:language";

    /// <summary>The cookie that remembers the language chosen on the sign-in page, before anyone signed in.</summary>
    public const string LanguageCookie = "cww.language";

    /// <summary>The account's choice, else the sign-in page's, else the site's web.language.</summary>
    public static string Language(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var chosen = context.User.FindFirstValue(LanguageClaim) ?? context.Request.Cookies[LanguageCookie];
        return ConsoleTexts.Known(chosen ?? context.RequestServices.GetRequiredService<ConsoleSetup>().Config.Web.Language);
    }

    /// <summary>The text of <paramref name="key"/> in the request's language.</summary>
    public static string T(this HttpContext context, string key, params (string Name, object? Value)[] values) =>
        context.RequestServices.GetRequiredService<ConsoleTexts>().Get(Language(context), key, values);

    /// <summary>An engine's phrase in the request's language.</summary>
    public static string T(this HttpContext context, Domain.Phrase phrase) =>
        context.RequestServices.GetRequiredService<ConsoleTexts>().Get(Language(context), phrase);

    /// <summary>
    /// What the engine stored in English only, in the request's language where it is a sentence of <paramref name="keys"/>
    /// (<see cref="StoredEnglish"/>), else as stored.
    /// </summary>
    public static string? T(this HttpContext context, string? stored, IReadOnlyList<string> keys) =>
        context.RequestServices.GetRequiredService<ConsoleTexts>().Recognise(stored, keys) is { } phrase ? context.T(phrase) : stored;

    /// <summary>Why a review decision was refused, in the request's language (as the engine said it when it gave no phrase).</summary>
    public static string T(this HttpContext context, Domain.Cases.ReviewException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Reason is { } reason ? context.T(reason) : refusal.Message;
    }

    /// <summary>An API refusal in the request's language: <c>{ "error": text }</c> with <paramref name="status"/>.</summary>
    public static IResult Error(this HttpContext context, int status, string key, params (string Name, object? Value)[] values) =>
        WebConsole.Error(status, context.T(key, values));
}
