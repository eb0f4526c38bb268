using System.Security.Claims;
using CrosswalkWatch.Web.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Accounts;

/// <summary>Signing in and out (server-side sessions), the start page (each role's home) and <c>/api/me</c>.</summary>
public static class SignInEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) => context.User.Identity?.IsAuthenticated == true
            ? Results.Redirect(Roles.Home(CurrentUser.Role(context) ?? ""))
            : Results.Redirect("/signin")).AllowAnonymous();

        app.MapGet("/signin", (HttpContext context, string? returnUrl, string? refused) => context.User.Identity?.IsAuthenticated == true
            ? Results.Redirect(CurrentUser.LocalUrl(returnUrl) ?? Roles.Home(CurrentUser.Role(context) ?? ""))
            : Page(context, returnUrl, refused is null ? "" : AccountService.Refused, StatusCodes.Status200OK)).AllowAnonymous();

        // A refusal is one answer for every reason, byte for byte: 303 to the form with the refusal, no body (the form's
        // anti-forgery token, different on every page, is only on the page the browser then asks for).
        app.MapPost("/signin", async (HttpContext context, AccountService accounts) =>
        {
            if (!context.Request.HasFormContentType)
            {
                return Results.BadRequest("the sign-in form is posted as a form");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            var returnUrl = CurrentUser.LocalUrl(form["returnUrl"].ToString());
            var result = await accounts.SignInAsync(form["username"].ToString(), form["password"].ToString(), context.RequestAborted).ConfigureAwait(false);
            if (result is not { Account: { } account, SessionId: { } session })
            {
                context.Response.Headers.Location = "/signin?refused=1" + (returnUrl is null ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl));
                return Results.StatusCode(StatusCodes.Status303SeeOther);
            }

            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, account.Username), new Claim(ClaimTypes.Role, account.Role), new Claim(SessionIds.Claim, session)],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
            var home = Roles.Home(account.Role);
            return Results.Redirect(returnUrl is not null && returnUrl.StartsWith(home, StringComparison.Ordinal) ? returnUrl : home);
        }).AllowAnonymous().WithMetadata(SignInLimits.Limited);

        // Signing out ends the session on the server too: the cookie, replayed, opens nothing.
        app.MapPost("/signout", async (HttpContext context, AccountService accounts) =>
        {
            await accounts.SignOutAsync(context.User.FindFirstValue(SessionIds.Claim), context.RequestAborted).ConfigureAwait(false);
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
