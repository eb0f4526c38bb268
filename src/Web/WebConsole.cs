using System.Net;
using System.Security.Claims;
using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Admin;
using CrosswalkWatch.Web.Office;
using CrosswalkWatch.Web.Operators;
using CrosswalkWatch.Web.Pages;
using CrosswalkWatch.Web.Police;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Web;

/// <summary>
/// The web console: Kestrel on <see cref="Domain.Config.WebConfig.Bind"/>, cookie sessions (HttpOnly, SameSite=Strict,
/// Secure over https, which any address but loopback must use), an anti-forgery check on every request that changes something, one authorization policy per role on
/// every page and API, and the pages and API of each role (Police/, Office/, Operator/, Admin/).
/// </summary>
public sealed class WebConsole : IAsyncDisposable
{
    /// <summary>The header the pages' scripts send the anti-forgery token in; forms send the field __RequestVerificationToken.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    private readonly WebApplication _app;

    private WebConsole(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the console listens, with the port actually bound.</summary>
    public Uri Address { get; }

    public static async Task<WebConsole> StartAsync(ConsoleSetup setup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var bind = setup.Bind ?? setup.Config.Web.Bind;
        if ((setup.Config.Web with { Bind = bind }).BindProblem() is { } problem)
        {
            throw new WebConsoleException("web.bind " + problem);
        }

        var https = bind.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        var web = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, WebRootPath = web });
        builder.WebHost.UseUrls(bind);
        if (https)
        {
            var certificate = ConsoleCertificate.Load(setup.Config.Web, setup.Config.Paths.Data, new Uri(bind).Host);
            builder.WebHost.UseKestrelHttpsConfiguration(); // the slim builder leaves https out unless asked
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h => h.ServerCertificate = certificate));
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error); // keys at rest in DATA/keys/web, like the site key

        var services = builder.Services;
        services.AddSingleton(setup);
        services.AddSingleton(setup.Desk);
        services.AddSingleton(setup.Console);
        services.AddSingleton(setup.Clock);
        services.AddSingleton(setup.Config.Web);
        services.AddSingleton<AccountService>();
        services.AddSingleton(setup.CameraHealth ?? new LiveCameraHealth(() => []));
        services.AddSingleton<SnapshotCache>();
        services.AddSingleton<ReplayTurns>();
        services.AddSingleton(ConsoleTexts.Load());
        if (setup.Config.Push.Url.Length > 0)
        {
            // Confirmed cases go to the platform from the process where they are confirmed.
            services.AddHostedService(sp => new PushService(new Review.CasePusher(
                setup.Config.Push, setup.Desk.Store, setup.Desk.Keys, setup.Desk.Zone, sp.GetRequiredService<ILoggerFactory>().CreateLogger("CrosswalkWatch.Push"), setup.Clock)));
        }

        // Session cookies and anti-forgery tokens stay valid across restarts: the keys live in the data folder.
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(setup.Config.Paths.Data, "keys", "web")))
            .SetApplicationName("CrosswalkWatch");
        // Over https (any address but loopback) the cookies are Secure; plain http is refused off loopback (ConfigChecks.WebBindProblem).
        var secure = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "cww.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.ExpireTimeSpan = TimeSpan.FromHours(setup.Config.Web.SessionHours);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.Events.OnRedirectToLogin = c => Refuse(c.HttpContext, StatusCodes.Status401Unauthorized, () => c.Response.Redirect("/signin?returnUrl=" + Uri.EscapeDataString(c.Request.Path + c.Request.QueryString)));
            o.Events.OnRedirectToAccessDenied = c => Refuse(c.HttpContext, StatusCodes.Status403Forbidden, null);
            o.Events.OnValidatePrincipal = StillValidAsync;
        });
        services.AddAuthorization(o =>
        {
            foreach (var role in Roles.All)
            {
                o.AddPolicy(role, p => p.RequireAuthenticatedUser().RequireRole(role));
            }

            // An endpoint that names no role still needs someone signed in.
            o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "cww.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
        });
        services.AddProblemDetails();
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = SignInLimits.Create(setup.Config.Web);
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = SignInLimits.RejectAsync;
        });

        var app = builder.Build();
        app.Use(SecurityHeaders);
        app.UseStaticFiles(new StaticFileOptions { RequestPath = "/static", FileProvider = new PhysicalFileProvider(Path.Combine(web, "static")) });
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(CheckAntiforgery);
        app.Use(SignInLimits.ReadFormFirst);
        app.UseRateLimiter();

        SignInEndpoints.Map(app);
        PoliceEndpoints.Map(app);
        OfficeEndpoints.Map(app);
        OperatorEndpoints.Map(app);
        OperatorStats.Map(app);
        AdminEndpoints.Map(app);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new WebConsoleException($"web.bind {bind}: cannot listen there: {e.Message} (another cww serve running? give --bind http://127.0.0.1:PORT)", e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebConsole(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async Task StopAsync() => await _app.StopAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    /// <summary>Whether the request is for the JSON API (refusals as JSON status codes, not pages or redirects).</summary>
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.Ordinal);

    /// <summary>An API refusal: the status and a JSON body saying why.</summary>
    public static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private static async Task Refuse(HttpContext context, int status, Action? page)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = status == 401 ? "sign in first" : "not for your role" }).ConfigureAwait(false);
        }
        else if (page is not null)
        {
            page();
        }
        else
        {
            var role = context.GetEndpoint()?.Metadata.GetMetadata<PageMetadata>()?.Role;
            await PageRoutes.Forbidden(context, role).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A request's session must still be open on the server (<see cref="AccountService.IsOpenAsync"/>): not signed out,
    /// not ended by a password, role or disable change, within its absolute lifetime. A lockout does not end it.
    /// </summary>
    private static async Task StillValidAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountService>();
        var principal = context.Principal;
        if (!await accounts.IsOpenAsync(principal?.FindFirstValue(SessionIds.Claim), principal?.Identity?.Name, principal?.FindFirstValue(ClaimTypes.Role), context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        }
    }

    /// <summary>Every request that changes something (not GET, HEAD, OPTIONS) carries a valid anti-forgery token, or is refused with 400.</summary>
    private static async Task CheckAntiforgery(HttpContext context, Func<Task> next)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            try
            {
                await antiforgery.ValidateRequestAsync(context).ConfigureAwait(false);
            }
            catch (AntiforgeryValidationException)
            {
                const string why = "the anti-forgery token is missing or does not match this session; reload the page and try again";
                if (IsApi(context.Request))
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await context.Response.WriteAsJsonAsync(new { error = why }).ConfigureAwait(false);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync("400: " + why).ConfigureAwait(false);
                }

                return;
            }
        }

        await next().ConfigureAwait(false);
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        if (context.Request.IsHttps)
        {
            // Over https the browser keeps to https for this host for a year (on plain-http loopback there is nothing to pin).
            headers.StrictTransportSecurity = "max-age=31536000";
        }

        headers.CacheControl = context.Request.Path.StartsWithSegments("/static", StringComparison.Ordinal) ? "no-cache" : "no-store";
        return next();
    }
}

/// <summary>The console could not start (the address is taken, not valid, …).</summary>
public sealed class WebConsoleException : Exception
{
    public WebConsoleException()
    {
    }

    public WebConsoleException(string message)
        : base(message)
    {
    }

    public WebConsoleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The signed-in user of a request.</summary>
public static class CurrentUser
{
    public static string Name(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.Identity?.Name ?? throw new InvalidOperationException("no user signed in");
    }

    public static string? Role(HttpContext context) => context?.User.FindFirstValue(ClaimTypes.Role);

    /// <summary>
    /// A local path to return to after signing in, or null for anything else (no open redirects): it starts with one
    /// '/' not followed by '/' or '\', is printable ASCII without '\', and stays so when percent-decoded (up to three
    /// times, as a chain of proxies and browsers might), so <c>//host</c>, <c>/\host</c>, <c>/%5Chost</c>,
    /// <c>/%2F%2Fhost</c> and control characters are all refused.
    /// </summary>
    public static string? LocalUrl(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || url.Any(c => c <= ' ' || c >= '\x7f'))
        {
            return null;
        }

        var text = url;
        for (var round = 0; round < 3; round++)
        {
            if (!LooksLocal(text))
            {
                return null;
            }

            var decoded = Uri.UnescapeDataString(text);
            if (decoded == text)
            {
                return url;
            }

            text = decoded;
        }

        return null; // still encoded after three rounds: no page of ours makes such a path
    }

    private static bool LooksLocal(string path) =>
        path.Length > 0 && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\')) && !path.Any(c => c == '\\' || char.IsControl(c));

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
