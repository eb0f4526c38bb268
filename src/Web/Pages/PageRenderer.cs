using System.Net;
using System.Security.Claims;
using System.Text;
using CrosswalkWatch.Web.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CrosswalkWatch.Web.Pages;

/// <summary>
/// Renders a page: wwwroot/pages/layout.html around a page's fragment (wwwroot/pages/AREA/NAME.html), with the
/// signed-in user, the navigation for their role, and the anti-forgery token the page's forms and API calls send.
/// Values are HTML-encoded; the fragments are files of this program, never user input.
/// </summary>
public static class PageRenderer
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "wwwroot", "pages");

    public static IResult Render(HttpContext context, string fragment, string title, string? script = null, int status = 200, IReadOnlyDictionary<string, string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        var tokens = antiforgery.GetAndStoreTokens(context);
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "" : "";
        var role = context.User.FindFirstValue(ClaimTypes.Role) ?? "";
        var setup = context.RequestServices.GetRequiredService<ConsoleSetup>();

        var body = File.ReadAllText(Path.Combine(Root, fragment));
        foreach (var (key, value) in values ?? new Dictionary<string, string>())
        {
            body = body.Replace("{{" + key + "}}", WebUtility.HtmlEncode(value), StringComparison.Ordinal);
        }

        var html = File.ReadAllText(Path.Combine(Root, "layout.html"))
            .Replace("{{content}}", body, StringComparison.Ordinal)
            .Replace("{{title}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("{{site}}", WebUtility.HtmlEncode(setup.Config.Site.Name), StringComparison.Ordinal)
            .Replace("{{nav}}", Nav(user, role), StringComparison.Ordinal)
            .Replace("{{csrf}}", WebUtility.HtmlEncode(tokens.RequestToken ?? ""), StringComparison.Ordinal)
            .Replace("{{script}}", script is null ? "" : $"<script src=\"/static/{WebUtility.HtmlEncode(script)}\" defer></script>", StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string Nav(string user, string role)
    {
        if (user.Length == 0)
        {
            return "";
        }

        var links = role switch
        {
            Roles.Police => new[] { ("/review", "Review queue") },
            Roles.Office => [("/office", "Tallies and notices")],
            Roles.Operator => [("/operator", "Cameras")],
            Roles.Admin => [("/admin", "Accounts and audit log")],
            _ => [],
        };
        var html = new StringBuilder("<nav>");
        foreach (var (href, text) in links)
        {
            html.Append("<a href=\"").Append(href).Append("\">").Append(WebUtility.HtmlEncode(text)).Append("</a>");
        }

        html.Append("<span class=\"who\">").Append(WebUtility.HtmlEncode(user)).Append(" (").Append(WebUtility.HtmlEncode(Roles.Title(role))).Append(")</span>")
            .Append("<form method=\"post\" action=\"/signout\" class=\"signout\"><input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"{{csrf}}\"><button type=\"submit\">Sign out</button></form>")
            .Append("</nav>");
        return html.ToString();
    }
}
