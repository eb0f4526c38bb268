using System.Security.Claims;
using CrosswalkWatch.Web.Pages;
using CrosswalkWatch.Web.Texts;
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
            : Page(context, returnUrl, refused is null ? "" : context.T("signin.refused"), StatusCodes.Status200OK)).AllowAnonymous();

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

            // The account's language, else the one chosen on the sign-in page, which becomes the account's.
            var language = account.Language ?? context.Request.Cookies[TextsOf.LanguageCookie];
            if (account.Language is null && language is not null && ConsoleTexts.Languages.Contains(language))
            {
                await accounts.SetLanguageAsync(account.Username, language, context.RequestAborted).ConfigureAwait(false);
            }

            await SignInAsync(context, account.Username, account.Role, session, language).ConfigureAwait(false);
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

        // The console's language: kept on the account (and so across sessions), or, before signing in, in a cookie.
        app.MapPost("/language", async (HttpContext context, AccountService accounts) =>
        {
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
            var language = form?["language"].ToString();
            if (language is null || !ConsoleTexts.Languages.Contains(language))
            {
                return context.Error(StatusCodes.Status400BadRequest, "common.error.language", ("languages", string.Join(", ", ConsoleTexts.Languages)));
            }

            context.Response.Cookies.Append(TextsOf.LanguageCookie, language, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, MaxAge = TimeSpan.FromDays(365) });
            if (context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(SessionIds.Claim) is { } session)
            {
                await accounts.SetLanguageAsync(CurrentUser.Name(context), language, context.RequestAborted).ConfigureAwait(false);
                await SignInAsync(context, CurrentUser.Name(context), CurrentUser.Role(context) ?? "", session, language).ConfigureAwait(false);
            }

            var back = CurrentUser.LocalUrl(context.Request.Headers.Referer.ToString() is { Length: > 0 } referer && Uri.TryCreate(referer, UriKind.Absolute, out var from) ? from.PathAndQuery : null);
            return Results.Redirect(back ?? "/");
        }).AllowAnonymous();

        app.MapGet("/api/me", (HttpContext context) => Results.Json(new { user = CurrentUser.Name(context), role = CurrentUser.Role(context), home = Roles.Home(CurrentUser.Role(context) ?? "") }));
    }

    /// <summary>The session's cookie: who, their role, the server-side session, and the console's language.</summary>
    private static Task SignInAsync(HttpContext context, string user, string role, string session, string? language)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user), new(ClaimTypes.Role, role), new(SessionIds.Claim, session) };
        if (language is not null)
        {
            claims.Add(new Claim(TextsOf.LanguageClaim, language));
        }

        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme)));
    }

    private static IResult Page(HttpContext context, string? returnUrl, string message, int status) =>
        PageRenderer.Render(
            context,
            "signin.html",
            "signin.title",
            "signin.js",
            status,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["returnUrl"] = CurrentUser.LocalUrl(returnUrl) ?? "", ["message"] = message });
}
