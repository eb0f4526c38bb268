using System.Security.Claims;
using CrosswalkWatch.Web.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Accounts;

/// <summary>Signing in and out, the start page (each role's home) and <c>/api/me</c>.</summary>
public static class SignInEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) => context.User.Identity?.IsAuthenticated == true
            ? Results.Redirect(Roles.Home(CurrentUser.Role(context) ?? ""))
            : Results.Redirect("/signin")).AllowAnonymous();

        app.MapGet("/signin", (HttpContext context, string? returnUrl) => context.User.Identity?.IsAuthenticated == true
            ? Results.Redirect(CurrentUser.LocalUrl(returnUrl) ?? Roles.Home(CurrentUser.Role(context) ?? ""))
            : Page(context, returnUrl, "", StatusCodes.Status200OK)).AllowAnonymous();

        app.MapPost("/signin", async (HttpContext context, AccountService accounts) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            var returnUrl = form["returnUrl"].ToString();
            var result = await accounts.SignInAsync(form["username"].ToString(), form["password"].ToString(), context.RequestAborted).ConfigureAwait(false);
            if (result.Account is not { } account)
            {
                return Page(context, returnUrl, result.Refusal ?? AccountService.WrongCredentials, StatusCodes.Status401Unauthorized);
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, account.Username), new Claim(ClaimTypes.Role, account.Role)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
            var home = Roles.Home(account.Role);
            var back = CurrentUser.LocalUrl(returnUrl);
            return Results.Redirect(back is not null && back.StartsWith(home, StringComparison.Ordinal) ? back : home);
        }).AllowAnonymous();

        app.MapPost("/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect("/signin");
        }).AllowAnonymous();

        app.MapGet("/api/me", (HttpContext context) => Results.Json(new { user = CurrentUser.Name(context), role = CurrentUser.Role(context), home = Roles.Home(CurrentUser.Role(context) ?? "") }));
    }

    private static IResult Page(HttpContext context, string? returnUrl, string message, int status) =>
        PageRenderer.Render(
            context,
            "signin.html",
            "Sign in",
            "signin.js",
            status,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["returnUrl"] = CurrentUser.LocalUrl(returnUrl) ?? "", ["message"] = message });
}
