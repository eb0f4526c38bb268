using System.Text.RegularExpressions;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Web.Accounts;

namespace CrosswalkWatch.Testing;

/// <summary>
/// A real <c>cww serve</c> on a free port of 127.0.0.1 over a data folder of its own, with one account per role
/// (user name = role, password <see cref="Password"/>). Tests put cases, a registry or a config in
/// <see cref="Data"/> before <see cref="StartAsync"/>, or use a config file given to it.
/// </summary>
internal sealed partial class ConsoleServer : IAsyncDisposable
{
    public const string Password = "console-test-password";

    private CwwProcess.Running? _process;
    private bool _stopped;

    public ConsoleServer(TempFolder? folder = null)
    {
        Folder = folder ?? new TempFolder();
        Data = Folder.File("data");
        Directory.CreateDirectory(Data);
    }

    public TempFolder Folder { get; }

    /// <summary>The data folder (cww.db, evidence, keys) when no config file is given.</summary>
    public string Data { get; }

    public Uri Address { get; private set; } = null!;

    public string Output => _process?.Output ?? "";

    /// <summary>The second police account <see cref="AddAccountsAsync"/> makes.</summary>
    public const string SecondReviewer = "police2";

    /// <summary>
    /// Adds an account for each role (named as the role) and <see cref="SecondReviewer"/> to the store of
    /// <paramref name="storage"/> in <paramref name="data"/> (default: <see cref="Data"/>), reading the console in
    /// <paramref name="language"/>: English by default, the language the scenarios' checks are written in (the
    /// language tests switch to Chinese through the console).
    /// </summary>

    public async Task AddAccountsAsync(StorageConfig? storage = null, string? data = null, string? language = "en")
    {
        using var store = ConsoleStore.Open(storage ?? new StorageConfig(), data ?? Data);
        await store.MigrateAsync();
        var hash = PasswordHasher.Hash(Password);
        foreach (var role in Roles.All)
        {
            await store.CreateAsync(new Account(role, role, hash) { Language = language }, "test", DateTimeOffset.UtcNow);
        }

        // A second police reviewer: a case that names an official counts only when two of them confirm it.
        await store.CreateAsync(new Account(SecondReviewer, Roles.Police, hash) { Language = language }, "test", DateTimeOffset.UtcNow);
    }

    /// <summary>Starts <c>cww serve</c> (with <paramref name="configPath"/>, or on <see cref="Data"/>) and waits until it listens.</summary>
    public async Task StartAsync(string? configPath = null, string scheme = "http")
    {
        string[] where = configPath is null ? ["--data", Data] : ["--config", configPath];
        _process = CwwProcess.Start(["serve", "--bind", $"{scheme}://127.0.0.1:0", .. where]);
        await _process.WaitForOutputAsync("web console: " + scheme, TimeSpan.FromSeconds(60));
        Address = new Uri(AddressLine().Match(_process.Output).Groups[1].Value);
    }

    /// <summary>An HTTP client signed in as <paramref name="user"/> through the sign-in form (its anti-forgery token included).</summary>
    public async Task<HttpClient> SignedInClientAsync(string user, HttpClientHandler? handler = null)
    {
        handler ??= new HttpClientHandler();
        handler.AllowAutoRedirect = false;
        var http = new HttpClient(handler) { BaseAddress = Address };
        var signedIn = await SignInAsync(http, user);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signedIn.StatusCode);
        return http;
    }

    /// <summary>Posts the sign-in form as a browser does: the form's anti-forgery token first, then the password (by default the accounts' own).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string user, string password = Password, string? returnUrl = null)
    {
        var form = await http.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var token = TokenField().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);
        var fields = new Dictionary<string, string> { ["username"] = user, ["password"] = password, ["__RequestVerificationToken"] = token };
        if (returnUrl is not null)
        {
            fields["returnUrl"] = returnUrl;
        }

        using var body = new FormUrlEncodedContent(fields);
        return await http.PostAsync(new Uri("/signin", UriKind.Relative), body);
    }

    /// <summary>The anti-forgery token of a page the signed-in <paramref name="http"/> opens (its csrf-token meta), for posts and API changes.</summary>
    public static async Task<string> TokenAsync(HttpClient http, string page)
    {
        var html = await http.GetStringAsync(new Uri(page, UriKind.Relative));
        var token = TokenMeta().Match(html).Groups[1].Value;
        Assert.NotEmpty(token);
        return token;
    }

    /// <summary>
    /// A client of the console whose connections come from <paramref name="localAddress"/> (any of 127.0.0.0/8), so a
    /// test can be several client addresses; no redirects followed, its own cookies.
    /// </summary>
    public HttpClient ClientFrom(string localAddress)
    {
        var from = System.Net.IPAddress.Parse(localAddress);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new System.Net.CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new System.Net.IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = Address };
    }

    /// <summary>Stops <c>cww serve</c> with SIGTERM, as a service manager would; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("the console was not started");
        _stopped = true;
        try
        {
            return await process.StopAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null && !_stopped)
        {
            await StopAsync();
        }

        Folder.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex TokenMeta();

    [GeneratedRegex(@"web console: (https?://127\.0\.0\.1:\d+/)")]
    private static partial Regex AddressLine();
}
