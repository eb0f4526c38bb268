using System.Net;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>Signing in to the real console in a real browser, and every refusal the issue names.</summary>
public sealed class ConsoleSignInTests
{
    [Fact]
    public async Task Browser_WrongPasswordOtherRolesPageMissingTokenAndLockout_AreAllRefused()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync();

        var output = await Browser.RunAsync("signin", new { baseUrl = server.Address.ToString(), password = ConsoleServer.Password, lockoutFailures = 5 });
        Assert.Contains("scenario signin: passed", output, StringComparison.Ordinal);

        // The lockout is in the audit log, with who and when.
        using var store = ConsoleStore.Open(new Domain.Config.StorageConfig(), server.Data);
        var operatorAccount = await store.FindAsync("operator");
        Assert.NotNull(operatorAccount?.LockedUntil);
        using var cases = Stores.OpenCases(new Domain.Config.StorageConfig(), server.Data);
        var audit = await cases.AuditAsync("account:operator");
        Assert.Contains(audit, a => a.Action == "account-locked");
    }

    [Fact]
    public async Task Https_SelfSignedCertificateMadeOnce_SessionCookieIsSecureHttpOnlyAndStrict()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync(scheme: "https");
        Assert.Equal("https", server.Address.Scheme);

        // The client trusts exactly the certificate the console made in DATA/keys/web, nothing else.
        using var made = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(server.Data, "keys", "web", "console.pfx"), null);
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == made.Thumbprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = server.Address };
        var signedIn = await ConsoleServer.SignInAsync(http, "office");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cww.session=", StringComparison.Ordinal)).ToUpperInvariant();
        Assert.Contains("SECURE", session, StringComparison.Ordinal);
        Assert.Contains("HTTPONLY", session, StringComparison.Ordinal);
        Assert.Contains("SAMESITE=STRICT", session, StringComparison.Ordinal);
        var tally = await http.GetAsync(new Uri("/api/tally", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, tally.StatusCode);

        // Over https the browser is told to keep to https; no page may change where its relative links go.
        Assert.Equal("max-age=31536000", Assert.Single(tally.Headers.GetValues("Strict-Transport-Security")));
        Assert.Contains("base-uri 'none'", Assert.Single(tally.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_AnonymousGets401_AndAPostWithoutTokenGets400()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };

        foreach (var path in new[] { "/api/me", "/api/accounts", "/api/audit" })
        {
            var anonymous = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.False(anonymous.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain http");
        }

        // Signing in by a form post without the anti-forgery token is refused before the password is looked at.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "admin", ["password"] = ConsoleServer.Password });
        var response = await http.PostAsync(new Uri("/signin", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anti-forgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
