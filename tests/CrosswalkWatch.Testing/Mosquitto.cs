using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Messaging.Broker;

namespace CrosswalkWatch.Testing;

/// <summary>
/// A real mosquitto for tests: its own config, password file and persistence in a temp folder, on a free port of
/// 127.0.0.1. It can be stopped and started again on the same port with its persistence (sessions, queued messages).
/// Without access files it has one account (<see cref="User"/>) that may do anything; with the folder of
/// <c>cww broker acl</c> it runs on that folder's password file, ACL and packet size cap instead, as deployed.
/// </summary>
internal sealed class Mosquitto : IAsyncDisposable
{
    public const string User = "cww";
    public const string Password = "s3cret-for-tests";
    private const string Binary = "/usr/sbin/mosquitto";

    private readonly TempFolder _folder = new();
    private Process? _process;

    private Mosquitto()
    {
        Port = CameraSimulator.FreePort();
    }

    public int Port { get; }

    public string Folder => _folder.Path;

    /// <summary>
    /// The <c>messaging:</c> section of a cww.yaml in <paramref name="folder"/> that uses this broker (its password in
    /// <c>broker.password</c> beside it, written here), indented for a raw string literal's first column.
    /// </summary>
    public async Task<string> MessagingYamlAsync(string folder, string? sharedGroup = null)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "broker.password"), Password);
        return $"messaging:\n  broker: external\n  port: {Port}\n  username: {User}\n  passwordFile: broker.password\n" + (sharedGroup is null ? "" : $"  sharedGroup: {sharedGroup}\n");
    }

    /// <summary>
    /// Starts a broker; with <paramref name="tls"/>, its listener speaks only TLS with that certificate and key; with
    /// <paramref name="access"/> (a folder <see cref="MosquittoFiles"/> wrote), its accounts, ACL and payload cap.
    /// </summary>
    public static async Task<Mosquitto> StartAsync(TestPki.ServerFiles? tls = null, string? access = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} not found: install mosquitto (scripts/setup.sh does it)");
        }

        var broker = new Mosquitto();
        var passwords = Path.Combine(broker.Folder, "passwd");
        var accounts = access is null
            ? $"allow_anonymous false\npassword_file {passwords}"
            : await File.ReadAllTextAsync(MosquittoFiles.ConfFile(access)); // as an operator includes it
        using (var passwd = Process.Start(new ProcessStartInfo("mosquitto_passwd", ["-b", "-c", passwords, User, Password]) { RedirectStandardError = true })!)
        {
            await passwd.WaitForExitAsync();
            Assert.True(passwd.ExitCode == 0, "mosquitto_passwd failed: " + await passwd.StandardError.ReadToEndAsync());
        }

        await File.WriteAllTextAsync(Path.Combine(broker.Folder, "mosquitto.conf"), $"""
            # Written by the tests: loopback only, passwords, persistence for sessions across restarts.
            user root
            listener {broker.Port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1
            {(tls is null ? "" : $"certfile {tls.CertificateFile}\nkeyfile {tls.KeyFile}")}
            {accounts}
            persistence true
            persistence_location {broker.Folder}/
            autosave_interval 1
            max_queued_messages 0
            log_dest file {broker.Folder}/mosquitto.log
            log_type error
            log_type warning
            log_type notice
            """);
        await broker.StartAgainAsync();
        return broker;
    }

    /// <summary>Starts the broker (again) with its config and persistence, and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        _process = Process.Start(new ProcessStartInfo(Binary, ["-c", Path.Combine(Folder, "mosquitto.conf")]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, "mosquitto exited: " + Log());
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException("mosquitto did not listen within 10 s: " + Log());
    }

    /// <summary>Stops the broker as a service stop would (SIGTERM: it saves its persistence and exits).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public string Log() => File.Exists(Path.Combine(Folder, "mosquitto.log")) ? File.ReadAllText(Path.Combine(Folder, "mosquitto.log")) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _folder.Dispose();
    }
}
