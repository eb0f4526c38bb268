using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CrosswalkWatch.Media;

namespace CrosswalkWatch.CameraSim;

/// <summary>The codec a simulated stream is sent in.</summary>
public enum StreamCodec
{
    H264,

    /// <summary>H.265 (HEVC): the default main stream of Hikvision, Dahua and Uniview cameras.</summary>
    H265,
}

/// <summary>What the camera simulator serves: one entry per camera path, with the stream options.</summary>
public sealed record SimulatorOptions
{
    public required IReadOnlyList<(string Path, string File)> Cameras { get; init; }

    public int Port { get; init; } = 8554;

    public double Fps { get; init; } = 25;

    /// <summary>Main-stream size as WxH; null keeps the file's size.</summary>
    public string? Size { get; init; }

    public string SubSize { get; init; } = "640x360";

    public bool SubStream { get; init; } = true;

    /// <summary>Serve the file's H.264 or H.265 without re-encoding (cheap: for benchmarks with many 1080p streams).</summary>
    public bool Copy { get; init; }

    /// <summary>The main streams' codec; with <see cref="Copy"/> the files must be in it (null: H.264, or the files' own with <see cref="Copy"/>).</summary>
    public StreamCodec? Codec { get; init; }

    /// <summary>The sub-streams' codec (null: the main streams').</summary>
    public StreamCodec? SubCodec { get; init; }

    /// <summary>How far the camera's clock runs ahead of the machine's (negative: behind), as its RTCP sender reports show it (--clock-offset).</summary>
    public TimeSpan ClockOffset { get; init; }
}

/// <summary>
/// Runs <c>camera_sim.py</c> (GStreamer's RTSP server through python3-gi) as a child process: video files served in a
/// loop over RTSP on 127.0.0.1 as cameras with a main stream and a sub-stream. Used by tests (which kill, freeze and
/// resume it), benchmarks and <c>cww camera-sim</c>.
/// </summary>
public sealed class CameraSimulator : IDisposable
{
    /// <summary>Debian's Python: the one with GStreamer's introspection bindings.</summary>
    public const string Python = "/usr/bin/python3";

    private ChildProcess? _process;
    private readonly List<string> _log = [];

    private CameraSimulator(SimulatorOptions options) => Options = options;

    public SimulatorOptions Options { get; }

    public IReadOnlyList<string> Urls { get; private set; } = [];

    public int? ProcessId => _process?.Id;

    /// <summary>The simulator script, copied beside the assembly at build time.</summary>
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "tools", "camera_sim.py");

    public string MainUrl(string path) => $"rtsp://127.0.0.1:{Options.Port}/{path}";

    public string SubUrl(string path) => $"rtsp://127.0.0.1:{Options.Port}/{path}/sub";

    /// <summary>Starts the simulator and waits for its READY line.</summary>
    public static async Task<CameraSimulator> StartAsync(SimulatorOptions options, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var simulator = new CameraSimulator(options);
        try
        {
            await simulator.LaunchAsync(timeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return simulator;
        }
        catch
        {
            simulator.Dispose();
            throw;
        }
    }

    /// <summary>Kills the server outright, as a camera losing power would.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port after <see cref="Kill"/>.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Kill();
        return LaunchAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Freezes the server (SIGSTOP): its sockets stay open but nothing more is sent.</summary>
    public void Freeze() => Process.Signal(PosixSignalNumber.Stop);

    /// <summary>Resumes a frozen server (SIGCONT).</summary>
    public void Resume() => Process.Signal(PosixSignalNumber.Cont);

    /// <summary>A free TCP port on 127.0.0.1, for tests that start several servers.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false } process)
        {
            try
            {
                process.Signal(PosixSignalNumber.Cont);
                process.Signal(PosixSignalNumber.Term);
                process.WaitForExitAsync().Wait(TimeSpan.FromSeconds(3));
            }
            catch (MediaException)
            {
                // Already gone.
            }
        }

        Kill();
    }

    private ChildProcess Process => _process ?? throw new InvalidOperationException("the camera simulator is not running");

    private async Task LaunchAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(Python))
        {
            throw new MediaException($"{Python} not found: the camera simulator needs Debian's python3 with python3-gi (run scripts/setup.sh)", permanent: true);
        }

        var arguments = new List<string> { "-u", ScriptPath, "--port", Options.Port.ToString(CultureInfo.InvariantCulture) };
        foreach (var (path, file) in Options.Cameras)
        {
            arguments.AddRange(["--camera", $"{path}={file}"]);
        }

        arguments.AddRange(["--fps", Options.Fps.ToString(CultureInfo.InvariantCulture), "--sub-size", Options.SubSize]);
        if (Options.Size is { } size)
        {
            arguments.AddRange(["--size", size]);
        }

        if (!Options.SubStream)
        {
            arguments.Add("--no-sub");
        }

        if (Options.Copy)
        {
            arguments.Add("--copy");
        }

        if (Options.Codec is { } codec)
        {
            arguments.AddRange(["--codec", Name(codec)]);
        }

        if (Options.SubCodec is { } subCodec)
        {
            arguments.AddRange(["--sub-codec", Name(subCodec)]);
        }

        if (Options.ClockOffset != TimeSpan.Zero)
        {
            arguments.AddRange(["--clock-offset", Options.ClockOffset.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        }

        _process = ChildProcess.Start(Python, arguments);
        var process = _process;
        var errors = Task.Run(() =>
        {
            while (process.StandardError.ReadLine() is { } line)
            {
                lock (_log)
                {
                    _log.Add(line);
                    if (_log.Count > 200)
                    {
                        _log.RemoveAt(0);
                    }
                }
            }
        }, CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var reader = new StreamReader(process.StandardOutput);
        try
        {
            while (await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    Urls = line["READY ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaException($"the camera simulator did not get ready within {timeout.TotalSeconds:0} s: {Tail()}");
        }

        await errors.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        throw new MediaException($"the camera simulator exited before it was ready: {Tail()}", permanent: true);
    }

    /// <summary>The simulator's name of a codec (--codec h264|h265).</summary>
    public static string Name(StreamCodec codec) => codec == StreamCodec.H265 ? "h265" : "h264";

    private string Tail()
    {
        lock (_log)
        {
            return _log.Count == 0 ? "(no output)" : string.Join(" | ", _log.TakeLast(5));
        }
    }
}
