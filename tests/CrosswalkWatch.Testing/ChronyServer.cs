using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Edge.Clock;

namespace CrosswalkWatch.Testing;

/// <summary>
/// A real NTP server for tests: chronyd (unpacked by scripts/setup.sh into var/tools/chrony, never installed) serving
/// its local clock at stratum 1 on a free UDP port of 127.0.0.1, never touching the machine's clock (-x), its time
/// shifted by <c>offset</c> through libfaketime (package faketime). Ready once it answers an SNTP request; stopped
/// with SIGTERM, also when the test fails.
/// </summary>
internal sealed class ChronyServer : IAsyncDisposable
{
    private const string FakeTime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

    private readonly TempFolder _folder = new();
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ChronyServer(int port) => Port = port;

    public static string Binary => Path.Combine(TestAssets.RepositoryRoot, "var", "tools", "chrony", "usr", "sbin", "chronyd");

    public int Port { get; }

    /// <summary>host:port, as clock.servers takes it.</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public NtpServer Server => new("127.0.0.1", Port);

    /// <summary>The time it serves is the real time plus this.</summary>
    public TimeSpan Offset { get; private set; }

    /// <summary>Starts chronyd serving the time <paramref name="offset"/> ahead of the real one (behind when negative); waits until it answers.</summary>
    public static async Task<ChronyServer> StartAsync(TimeSpan offset, int? port = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"chronyd not found at {Binary}: run scripts/setup.sh, which unpacks it from the Debian package chrony there (without installing it)");
        }

        if (!File.Exists(FakeTime))
        {
            throw new InvalidOperationException($"{FakeTime} not found: run scripts/setup.sh, which installs the Debian package faketime (libfaketime)");
        }

        var server = new ChronyServer(port ?? FreeUdpPort());
        try
        {
            await server.RunAsync(offset);
            return server;
        }
        catch
        {
            await server.DisposeAsync(); // never leave it running behind a failed test
            throw;
        }
    }

    /// <summary>Stops chronyd and starts it again on the same port, now <paramref name="offset"/> off.</summary>
    public async Task RestartAsync(TimeSpan offset)
    {
        await StopAsync();
        await RunAsync(offset);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Dispose();
    }

    private async Task RunAsync(TimeSpan offset)
    {
        Offset = offset;
        var config = Path.Combine(_folder.Path, "chrony.conf");
        await File.WriteAllTextAsync(config, $"""
            port {Port.ToString(CultureInfo.InvariantCulture)}
            bindaddress 127.0.0.1
            cmdport 0
            local stratum 1
            allow 127.0.0.1
            pidfile {Path.Combine(_folder.Path, "chronyd.pid")}
            driftfile {Path.Combine(_folder.Path, "drift")}

            """);
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        // -x: never touch the system clock; -d: stay in the foreground, logging to stderr. There is no _chrony user here.
        foreach (var argument in (string[])["-x", "-d", "-f", config, .. Environment.UserName == "root" ? ["-u", "root"] : (string[])["-U"]])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LD_PRELOAD"] = FakeTime;
        start.Environment["FAKETIME"] = string.Create(CultureInfo.InvariantCulture, $"{offset.TotalSeconds:+0;-0;+0}s");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var client = new SntpClient();
        await Eventually.WaitForAsync(async () =>
        {
            if (_process.HasExited)
            {
                Assert.Fail($"chronyd exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                await client.QueryAsync(Server, CancellationToken.None);
                return true;
            }
            catch (SntpException)
            {
                return false;
            }
        }, $"chronyd to answer on {Address}", TimeSpan.FromSeconds(30));
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task StopAsync()
    {
        if (_process is not null)
        {
            await Sigterm.StopAsync(_process, TimeSpan.FromSeconds(15));
        }

        _process?.Dispose();
        _process = null;
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
