using System.Net;
using System.Net.Http.Json;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>
/// The sign-in and session attacks of issue 12, each made against a real <c>cww serve</c> over HTTP on its real
/// SQLite store: telling accounts apart by the refusal, locking a reviewer out of their work, replaying a cookie after
/// sign-out or an account change, a session past its absolute lifetime, unbounded attempts, and open redirects.
/// Clients come from different addresses of 127.0.0.0/8 where a test needs the per-address limit out of its way.
/// </summary>
public sealed class ConsoleSessionTests
{
    [Fact]
    public async Task SignIn_UnknownLockedDisabledAndWrong_GetByteIdenticalAnswers()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        using (var store = ConsoleStore.Open(new StorageConfig(), server.Data))
        {
            await store.ChangeAsync("office", a => a with { Disabled = true }, "account-disabled", "test", DateTimeOffset.UtcNow);
        }

        await server.StartAsync();
        using (var attacker = server.ClientFrom("127.0.0.2"))
        {
            for (var i = 0; i < new WebConfig().LockoutFailures; i++)
            {
                await ConsoleServer.SignInAsync(attacker, "operator", $"wrong-{i}-password");
            }
        }

        using var http = server.ClientFrom("127.0.0.3");
        var answers = new List<(string What, HttpStatusCode Status, string? Location, byte[] Body)>();
        foreach (var (what, user, password) in new[]
        {
            ("unknown", "nobody", ConsoleServer.Password),
            ("locked, right password", "operator", ConsoleServer.Password),
            ("disabled, right password", "office", ConsoleServer.Password),
            ("wrong password", "police", "not-the-password"),
        })
        {
            using var response = await ConsoleServer.SignInAsync(http, user, password);
            answers.Add((what, response.StatusCode, response.Headers.Location?.OriginalString, await response.Content.ReadAsByteArrayAsync()));
        }

        var first = answers[0];
        Assert.Equal(HttpStatusCode.SeeOther, first.Status);
        Assert.Equal("/signin?refused=1", first.Location);
        foreach (var answer in answers)
        {
            Assert.True(
                answer.Status == first.Status && answer.Location == first.Location && answer.Body.AsSpan().SequenceEqual(first.Body),
                $"'{answer.What}' is answered {answer.Status} {answer.Location} ({answer.Body.Length} bytes), '{first.What}' {first.Status} {first.Location} ({first.Body.Length} bytes)");
        }

        // The form the refusal sends to says the same for all (in the site's language, Chinese), and none of them got a session.
        var page = await http.GetStringAsync(new Uri(first.Location!, UriKind.Relative));
        Assert.Contains(WebUtility.HtmlEncode(CrosswalkWatch.Web.Texts.ConsoleTexts.Load().Get("zh-CN", "signin.refused")), page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
        using var after = ConsoleStore.Open(new StorageConfig(), server.Data);
        Assert.True((await after.FindAsync("operator"))!.IsLocked(DateTimeOffset.UtcNow));
        Assert.Equal(1, (await after.FindAsync("police"))!.FailedSignIns);
    }

    [Fact]
    public async Task Lockout_BySomeoneElse_RefusesNewSignInsButLeavesTheVictimsSessionWorking()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync();
        using var victim = server.ClientFrom("127.0.0.2");
        Assert.Equal(HttpStatusCode.Redirect, (await ConsoleServer.SignInAsync(victim, "police")).StatusCode);

        using (var attacker = server.ClientFrom("127.0.0.3"))
        {
            for (var i = 0; i < new WebConfig().LockoutFailures; i++)
            {
                await ConsoleServer.SignInAsync(attacker, "police", $"guess-{i}-password");
            }
        }

        using (var store = ConsoleStore.Open(new StorageConfig(), server.Data))
        {
            Assert.True((await store.FindAsync("police"))!.IsLocked(DateTimeOffset.UtcNow));
        }

        // The reviewer goes on working; only a new sign-in (even with the right password) waits for the lock to end.
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync(new Uri("/review", UriKind.Relative))).StatusCode);
        using var again = server.ClientFrom("127.0.0.4");
        Assert.Equal(HttpStatusCode.SeeOther, (await ConsoleServer.SignInAsync(again, "police")).StatusCode);
    }

    [Fact]
    public async Task SignOut_TheOldCookieReplayed_IsRefused()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync();
        var (http, cookie) = await SignInAsync(server, "127.0.0.2", "office");
        using var _ = http;
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync(server, cookie, "/api/tally"));

        var token = await ConsoleServer.TokenAsync(http, "/office");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.Redirect, (await http.PostAsync(new Uri("/signout", UriKind.Relative), form)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await ReplayAsync(server, cookie, "/api/tally"));
        using var store = ConsoleStore.Open(new StorageConfig(), server.Data);
        Assert.Equal(0, await store.OpenSessionsAsync("office"));
    }

    [Fact]
    public async Task PasswordResetRoleChangeAndDisable_EndTheOpenSessions_ButAnUnlockDoesNot()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync();
        using var admin = await server.SignedInClientAsync("admin");
        admin.DefaultRequestHeaders.Add("X-CSRF-TOKEN", await ConsoleServer.TokenAsync(admin, "/admin"));

        foreach (var (user, change, home) in new (string, object, string)[]
        {
            ("police", new { password = "a-brand-new-password" }, "/api/me"),
            ("office", new { role = "police" }, "/api/tally"),
            ("operator", new { disabled = true }, "/api/me"),
        })
        {
            var (victim, cookie) = await SignInAsync(server, "127.0.0.2", user);
            using var _ = victim;
            Assert.Equal(HttpStatusCode.OK, await ReplayAsync(server, cookie, home));

            // A change that is not about who may be signed in leaves the session alone.
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync(new Uri($"/api/accounts/{user}", UriKind.Relative), new { unlock = true })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, await ReplayAsync(server, cookie, home));

            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync(new Uri($"/api/accounts/{user}", UriKind.Relative), change)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, await ReplayAsync(server, cookie, home));
            Assert.Equal(HttpStatusCode.Unauthorized, (await victim.GetAsync(new Uri(home, UriKind.Relative))).StatusCode);
        }

        using var store = ConsoleStore.Open(new StorageConfig(), server.Data);
        Assert.Equal(0, await store.OpenSessionsAsync("police"));
        Assert.Equal(1, await store.OpenSessionsAsync("admin"));
    }

    [Fact]
    public async Task Session_OlderThanTheAbsoluteLifetime_IsRefusedThoughInUse()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync();
        using var http = await server.SignedInClientAsync("police");
        var lifetime = TimeSpan.FromHours(new WebConfig().SessionAbsoluteHours);

        // The session's sign-in moved back in the real store, as if it had been in use all along (the cookie is sliding
        // and still valid by itself): a few minutes short of the lifetime it works, past it the server refuses it.
        await SignedInAgoAsync(server, lifetime - TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
        await SignedInAgoAsync(server, lifetime + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task SignIn_BeyondThePerAddressAndPerNameLimits_Answers429WithRetryAfter_AndCountsNoFailure()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        var config = server.Folder.File("cww.yaml");
        await File.WriteAllTextAsync(config, """
            site:
              id: limits-test
            paths:
              data: data
            messaging:
              broker: none
            web:
              signInsPerAddressPerMinute: 3
              signInsPerAccountPerMinute: 2
            """);
        await server.StartAsync(config);

        // One address, a different name each time: the fourth attempt within the minute is refused before any hash.
        using var one = server.ClientFrom("127.0.0.2");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.SeeOther, (await ConsoleServer.SignInAsync(one, $"someone{i}", "not-the-password")).StatusCode);
        }

        await AssertTooManyAsync(await ConsoleServer.SignInAsync(one, "someone3", "not-the-password"));

        // One name from ever new addresses: the third attempt within the minute is refused, and not counted.
        for (var i = 0; i < 2; i++)
        {
            using var from = server.ClientFrom($"127.0.1.{i + 1}");
            Assert.Equal(HttpStatusCode.SeeOther, (await ConsoleServer.SignInAsync(from, "police", "not-the-password")).StatusCode);
        }

        using var third = server.ClientFrom("127.0.1.3");
        await AssertTooManyAsync(await ConsoleServer.SignInAsync(third, "police", ConsoleServer.Password));
        using var store = ConsoleStore.Open(new StorageConfig(), server.Data);
        Assert.Equal(2, (await store.FindAsync("police"))!.FailedSignIns);
        Assert.Equal(0, await store.OpenSessionsAsync("police"));
    }

    [Fact]
    public async Task ReturnUrl_ThatLeavesTheConsole_IsNotFollowed()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync();
        foreach (var returnUrl in new[] { "//evil.example", "/\\evil.example", "/%5Cevil", "/%2F%2Fevil.example" })
        {
            await ReturnUrlIsNotFollowedAsync(server, returnUrl);
        }
    }

    private static async Task ReturnUrlIsNotFollowedAsync(ConsoleServer server, string returnUrl)
    {
        // Signing in with it: the role's home instead; refused with it: the form, without it.
        using var http = server.ClientFrom("127.0.0.2");
        var refused = await ConsoleServer.SignInAsync(http, "office", "not-the-password", returnUrl);
        Assert.Equal("/signin?refused=1", refused.Headers.Location?.OriginalString);
        var signedIn = await ConsoleServer.SignInAsync(http, "office", ConsoleServer.Password, returnUrl);
        Assert.Equal("/office", signedIn.Headers.Location?.OriginalString);

        // Already signed in, opening the form with it: the role's home too.
        var again = await http.GetAsync(new Uri("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/office", again.Headers.Location?.OriginalString);

        // A page of the console is still returned to.
        var local = await http.GetAsync(new Uri("/signin?returnUrl=" + Uri.EscapeDataString("/office?year=2026"), UriKind.Relative));
        Assert.Equal("/office?year=2026", local.Headers.Location?.OriginalString);
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("a 429 without Retry-After");
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Contains("too many sign-in attempts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Signs <paramref name="user"/> in from <paramref name="from"/>: the client, and its session cookie as an attacker who copied it would hold it.</summary>
    private static async Task<(HttpClient Http, string Cookie)> SignInAsync(ConsoleServer server, string from, string user)
    {
        var http = server.ClientFrom(from);
        using var response = await ConsoleServer.SignInAsync(http, user);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var set = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cww.session=", StringComparison.Ordinal));
        return (http, set["cww.session=".Length..set.IndexOf(';', StringComparison.Ordinal)]);
    }

    /// <summary>A request from a new client carrying only <paramref name="cookie"/> as the session cookie: its status.</summary>
    private static async Task<HttpStatusCode> ReplayAsync(ConsoleServer server, string cookie, string path)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", "cww.session=" + cookie);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Moves the sign-in time of every open session back to <paramref name="ago"/> before now, in the console's own SQLite file.</summary>
    private static async Task SignedInAgoAsync(ConsoleServer server, TimeSpan ago)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(server.Data, new StorageConfig().SqlitePath), Pooling = false }.ToString());
        await connection.OpenAsync();
        await connection.ExecuteAsync("PRAGMA busy_timeout=5000; UPDATE sessions SET created_at_ms = @at", new { at = (DateTimeOffset.UtcNow - ago).ToUnixTimeMilliseconds() });
    }
}
