using System.Security.Claims;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Pages;

/// <summary>A page is an endpoint for one role: anonymous users are sent to sign in, other roles get a 403 page.</summary>
public static class PageRoutes
{
    /// <summary>Maps GET <paramref name="pattern"/> to the page <paramref name="fragment"/> for <paramref name="role"/>, titled by the text <paramref name="title"/> names; route values fill {{name}} placeholders.</summary>
    public static RouteHandlerBuilder MapPage(this IEndpointRouteBuilder app, string pattern, string fragment, string title, string role, string? script = null) =>
        app.MapGet(pattern, (HttpContext context) => PageRenderer.Render(
                context,
                fragment,
                title,
                script,
                values: context.Request.RouteValues.ToDictionary(v => v.Key, v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal)))
            .RequireAuthorization(role)
            .WithMetadata(new PageMetadata(role));

    /// <summary>The 403 page: who is signed in, and which role the page is for.</summary>
    public static IResult Forbidden(HttpContext context, string? role)
    {
        ArgumentNullException.ThrowIfNull(context);
        var mine = context.User.FindFirstValue(ClaimTypes.Role) ?? "";
        return PageRenderer.Render(
            context,
            "denied.html",
            "denied.title",
            status: StatusCodes.Status403Forbidden,
            values: new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["message"] = context.T("denied.text", ("forRole", context.T("common.role." + (role ?? "other"))), ("mine", context.T("common.role." + mine))),
                ["home"] = Accounts.Roles.Home(mine),
            });
    }
}

/// <summary>Marks a page endpoint with the role it is for (for the 403 page).</summary>
public sealed record PageMetadata(string Role);
