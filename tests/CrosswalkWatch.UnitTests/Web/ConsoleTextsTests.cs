using System.Text.RegularExpressions;
using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Texts;

namespace CrosswalkWatch.UnitTests.Web;

/// <summary>
/// The console's texts (src/Web/wwwroot/i18n/LANGUAGE/*.json): both languages hold the same keys with the same
/// {placeholders}, no text is empty, and every key a page (<c>{{t:key}}</c>), a script (<c>cww.t("key"</c>) or an
/// endpoint (<c>.T("key"</c>, <c>.Error(status, "key"</c>, a page's title) names exists — so no user ever sees a key.
/// </summary>
public sealed partial class ConsoleTextsTests
{
    private static readonly string Web = Path.Combine(TestAssets.RepositoryRoot, "src", "Web");
    private static readonly ConsoleTexts Texts = ConsoleTexts.Load(Path.Combine(Web, "wwwroot", "i18n"));

    [Fact]
    public void Languages_HoldTheSameKeysWithTheSamePlaceholders_AndNoEmptyText()
    {
        var chinese = Texts.Of("zh-CN");
        var english = Texts.Of("en");

        Assert.Empty(english.Keys.Except(chinese.Keys).Select(k => $"missing in zh-CN: {k}"));
        Assert.Empty(chinese.Keys.Except(english.Keys).Select(k => $"missing in en: {k}"));
        Assert.Empty(chinese.Concat(english).Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => $"empty: {t.Key}"));
        Assert.Empty(chinese.Keys
            .Where(k => !Placeholders(chinese[k]).SetEquals(Placeholders(english[k])))
            .Select(k => $"{k}: zh-CN has {{{string.Join("}, {", Placeholders(chinese[k]))}}}, en {{{string.Join("}, {", Placeholders(english[k]))}}}"));
    }

    [Fact]
    public void EveryKeyNamedByAPageScriptOrEndpoint_Exists()
    {
        var named = new List<(string Key, string Where)>();
        foreach (var file in Directory.GetFiles(Path.Combine(Web, "wwwroot", "pages"), "*.html", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(Web, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))))
        {
            var text = DocComment().Replace(File.ReadAllText(file), ""); // a C# comment that shows {{t:key}} names no key
            named.AddRange(PageKey().Matches(text).Select(m => (m.Groups[1].Value, file)));
            named.AddRange(CodeKey().Matches(text).Select(m => (m.Groups[1].Value, file)));
        }

        foreach (var file in Directory.GetFiles(Path.Combine(Web, "wwwroot", "static"), "*.js", SearchOption.AllDirectories))
        {
            named.AddRange(ScriptKey().Matches(File.ReadAllText(file)).Select(m => (m.Groups[1].Value, file)));
        }

        // Keys made from a value: every role's name, and the language switch's.
        named.AddRange(Roles.All.Append("other").Select(r => ($"common.role.{r}", "PageRenderer, PageRoutes")));
        named.AddRange(ConsoleTexts.Languages.Select(l => ($"common.language.{l}", "PageRenderer")));

        Assert.True(named.Count > 50, $"only {named.Count} keys found: is the scan looking in the right places?");
        var known = Texts.Of("zh-CN");
        Assert.Empty(named.Where(n => !known.ContainsKey(n.Key)).Select(n => $"{n.Key} (in {Path.GetRelativePath(Web, n.Where)})").Distinct());
    }

    [Fact]
    public void Get_FillsPlaceholders_AndAnUnknownLanguageIsChinese()
    {
        Assert.Equal("此页面供文明办使用；您登录的身份是交警审核员。", Texts.Get("zh-CN", "denied.text", ("forRole", "文明办"), ("mine", "交警审核员")));
        Assert.Equal("Sign in", Texts.Get("en", "signin.title"));
        Assert.Equal("登录", Texts.Get("fr", "signin.title"));
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{\{t:([A-Za-z0-9_.-]+)\}\}")]
    private static partial Regex PageKey();

    /// <summary>In C#: a string literal that is a key (.T("key", …), .Error(status, "key", …), a page's title given to MapPage or Render); a prefix ending in a dot is completed by code, a file name (signin.html, signin.js) is none.</summary>
    [GeneratedRegex(@"""((?:common|signin|denied|police|office|operator|admin)\.[A-Za-z0-9_.-]*[A-Za-z0-9_-])(?<!\.html|\.js|\.css)""")]
    private static partial Regex CodeKey();

    [GeneratedRegex(@"^\s*///.*$", RegexOptions.Multiline)]
    private static partial Regex DocComment();

    [GeneratedRegex(@"cww\.t\(\s*[""'`]([A-Za-z0-9_.-]+)[""'`]")]
    private static partial Regex ScriptKey();
}
