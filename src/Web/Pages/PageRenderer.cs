using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CrosswalkWatch.Web.Pages;

/// <summary>
/// Renders a page: wwwroot/pages/layout.html around a page's fragment (wwwroot/pages/AREA/NAME.html), with the
/// signed-in user, the navigation for their role, the anti-forgery token the page's forms and API calls send, and the
/// texts of the request's language (<see cref="ConsoleTexts"/>): <c>{{t:key}}</c> in the fragments filled in here, the
/// whole map in the page for its script. Values are HTML-encoded; the fragments are files of this program, never user input.
/// </summary>
public static partial class PageRenderer
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "wwwroot", "pages");

    /// <param name="title">The key of the page's title; its <c>{name}</c>s are filled from <paramref name="values"/>.</param>
    public static IResult Render(HttpContext context, string fragment, string title, string? script = null, int status = 200, IReadOnlyDictionary<string, string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        var tokens = antiforgery.GetAndStoreTokens(context);
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "" : "";
        var role = context.User.FindFirstValue(ClaimTypes.Role) ?? "";
        var setup = context.RequestServices.GetRequiredService<ConsoleSetup>();
        var texts = context.RequestServices.GetRequiredService<ConsoleTexts>();
        var language = TextsOf.Language(context);

        values ??= new Dictionary<string, string>();
        var body = File.ReadAllText(Path.Combine(Root, fragment));
        foreach (var (key, value) in values)
        {
            body = body.Replace("{{" + key + "}}", WebUtility.HtmlEncode(value), StringComparison.Ordinal);
        }

        var html = File.ReadAllText(Path.Combine(Root, "layout.html"))
            .Replace("{{content}}", body, StringComparison.Ordinal)
            .Replace("{{title}}", WebUtility.HtmlEncode(texts.Get(language, title, [.. values.Select(v => (v.Key, (object?)v.Value))])), StringComparison.Ordinal)
            .Replace("{{site}}", WebUtility.HtmlEncode(setup.Config.Site.Name), StringComparison.Ordinal)
            .Replace("{{nav}}", Nav(user, role, language), StringComparison.Ordinal)
            .Replace("{{lang}}", language, StringComparison.Ordinal)
            .Replace("{{zone}}", WebUtility.HtmlEncode(setup.Config.Site.TimeZone), StringComparison.Ordinal)
            .Replace("{{texts}}", texts.JsonOf(language), StringComparison.Ordinal)
            .Replace("{{csrf}}", WebUtility.HtmlEncode(tokens.RequestToken ?? ""), StringComparison.Ordinal)
            .Replace("{{script}}", script is null ? "" : $"<script src=\"/static/{WebUtility.HtmlEncode(script)}\" defer></script>", StringComparison.Ordinal);
        html = TextKey().Replace(html, m => WebUtility.HtmlEncode(texts.Get(language, m.Groups[1].Value)));
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>A text's place in a fragment: <c>{{t:key}}</c>.</summary>
    [GeneratedRegex(@"\{\{t:([A-Za-z0-9_.-]+)\}\}")]
    public static partial Regex TextKey();

    /// <summary>The role's links, who is signed in, the other language to switch to, and signing out (texts as {{t:key}}).</summary>
    private static string Nav(string user, string role, string language)
    {
        var other = language == "en" ? "zh-CN" : "en";
        var switchLanguage = "<form method=\"post\" action=\"/language\" class=\"language\"><input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"{{csrf}}\">" +
                             $"<input type=\"hidden\" name=\"language\" value=\"{other}\"><button type=\"submit\" id=\"language-switch\" lang=\"{other}\">{{{{t:common.language.{other}}}}}</button></form>";
        if (user.Length == 0)
        {
            return "<nav>" + switchLanguage + "</nav>";
        }

        var links = role switch
        {
            Roles.Police => new[] { ("/review", "common.nav.police") },
            Roles.Office => [("/office", "common.nav.office")],
            Roles.Operator => [("/operator", "common.nav.operator"), ("/operator/boxes", "common.nav.boxes"), ("/operator/stats", "common.nav.stats")],
            Roles.Admin => [("/admin", "common.nav.admin")],
            _ => [],
        };
        var html = new StringBuilder("<nav>");
        foreach (var (href, key) in links)
        {
            html.Append("<a href=\"").Append(href).Append("\">{{t:").Append(key).Append("}}</a>");
        }

        html.Append("<span class=\"who\">").Append(WebUtility.HtmlEncode(user)).Append(" ({{t:common.role.").Append(WebUtility.HtmlEncode(role)).Append("}})</span>")
            .Append(switchLanguage)
            .Append("<form method=\"post\" action=\"/signout\" class=\"signout\"><input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"{{csrf}}\"><button type=\"submit\">{{t:common.signOut}}</button></form>")
            .Append("</nav>");
        return html.ToString();
    }
}
