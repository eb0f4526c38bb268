using System.Globalization;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Ingest;
using CrosswalkWatch.Ingest.Sources;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Edge.Clock;

/// <summary>
/// Measures each live RTSP camera's clock against the box's from the RTCP sender reports it sends
/// (<see cref="CameraClockProbe"/>: its own connection, off the frame path), at start and then every clock.cameraCheckMinutes,
/// one task per camera. Above clock.maxOffsetMs the camera's health says so as an error; a camera that sends no sender
/// reports is only noted. Logs each change of a camera's clock state.
/// </summary>
public sealed partial class CameraClockWatch : IAsyncDisposable
{
    /// <summary>One camera's clock as last measured.</summary>
    public sealed record Reading(CameraClockState State, double? OffsetMs, string Detail)
    {
        /// <summary>When the probe that gave it ended.</summary>
        public DateTimeOffset? MeasuredAt { get; init; }

        /// <summary>Sender reports read (the offset is that of the least delayed).</summary>
        public int Reports { get; init; }
    }

    private readonly IReadOnlyList<(string CameraId, string Url)> _cameras;
    private readonly ClockConfig _config;
    private readonly Func<string, CancellationToken, Task<CameraClockReading>> _probe;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, Reading> _readings = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<Task> _running = [];

    /// <summary>Before the first probe ends.</summary>
    private static readonly Reading NotYet = new(CameraClockState.Unknown, null, "not measured yet");

    /// <param name="cameras">The live RTSP cameras, with their URLs (user and password in them, never logged).</param>
    /// <param name="probe">Measures one camera (the <see cref="CameraClockProbe"/> by default).</param>
    public CameraClockWatch(IEnumerable<(string CameraId, string Url)> cameras, ClockConfig config, ILogger logger, Func<string, CancellationToken, Task<CameraClockReading>>? probe = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _cameras = [.. cameras];
        _config = config;
        _logger = logger;
        _probe = probe ?? ((url, cancellationToken) => CameraClockProbe.ProbeAsync(url, cancellationToken: cancellationToken));
        foreach (var (id, _) in _cameras)
        {
            _readings[id] = NotYet;
        }
    }

    /// <summary>Starts measuring every camera in the background, the first time at once.</summary>
    public void Start()
    {
        foreach (var camera in _cameras)
        {
            _running.Add(Task.Run(() => RunAsync(camera.CameraId, camera.Url, _stop.Token)));
        }
    }

    /// <summary>The camera's clock as last measured; null for a camera that is not measured (not a live RTSP camera).</summary>
    public Reading? Of(string cameraId)
    {
        lock (_lock)
        {
            return _readings.GetValueOrDefault(cameraId);
        }
    }

    /// <summary>The camera's clock for its evidence packages: null unless it was measured (ok or off).</summary>
    public Evidence.EvidenceCameraClock? EvidenceOf(string cameraId) =>
        Of(cameraId) is { State: CameraClockState.Ok or CameraClockState.Off, OffsetMs: { } offset, MeasuredAt: { } at } reading
            ? new Evidence.EvidenceCameraClock(Math.Round(offset, 1), reading.Reports, at, _config.MaxOffsetMs)
            : null;

    /// <summary>The camera's health with its clock in it.</summary>
    public CameraHealth Apply(CameraHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return Of(health.CameraId) is { } reading
            ? health with { ClockState = reading.State, ClockOffsetMs = reading.OffsetMs, ClockDetail = reading.Detail }
            : health;
    }

    /// <summary>Measures one camera now and keeps what it finds.</summary>
    public async Task<Reading> CheckAsync(string cameraId, string url, CancellationToken cancellationToken)
    {
        Reading next;
        try
        {
            var probed = await _probe(url, cancellationToken).ConfigureAwait(false);
            next = Judge(probed, _config.MaxOffsetMs) with { MeasuredAt = DateTimeOffset.UtcNow, Reports = probed.Reports };
        }
        catch (IngestException e)
        {
            next = new Reading(CameraClockState.Unknown, null, $"not measured: {e.Message}");
        }

        Reading before;
        lock (_lock)
        {
            before = _readings[cameraId];
            _readings[cameraId] = next;
        }

        if (next.State != before.State || ReferenceEquals(before, NotYet))
        {
            if (next.State == CameraClockState.Off)
            {
                LogOff(cameraId, next.Detail);
            }
            else if (next.State == CameraClockState.Unknown)
            {
                LogUnknown(cameraId, next.Detail);
            }
            else
            {
                LogChange(cameraId, next.Detail);
            }
        }

        return next;
    }

    /// <summary>The state and words a probe's reading gives under clock.maxOffsetMs.</summary>
    public static Reading Judge(CameraClockReading reading, int maxOffsetMs)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (reading.OffsetMs is not { } offset)
        {
            return new Reading(CameraClockState.NoReports, null, "no sender reports (the camera sends no RTCP sender reports: its clock is not measured)");
        }

        var off = Math.Abs(offset) > maxOffsetMs;
        var side = offset >= 0 ? "ahead of" : "behind";
        var detail = string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(offset):0} ms {side} the box's clock ({reading.Reports} sender reports)");
        return off
            ? new Reading(CameraClockState.Off, offset, string.Create(CultureInfo.InvariantCulture, $"OFF: {detail}, more than {maxOffsetMs} ms (clock.maxOffsetMs)"))
            : new Reading(CameraClockState.Ok, offset, string.Create(CultureInfo.InvariantCulture, $"ok: {detail}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RunAsync(string cameraId, string url, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(_config.CameraCheckMinutes));
        try
        {
            do
            {
                await CheckAsync(cameraId, url, cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the box.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "camera {Camera} clock {Clock}")]
    private partial void LogOff(string camera, string clock);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Camera} clock {Clock}")]
    private partial void LogUnknown(string camera, string clock);

    [LoggerMessage(Level = LogLevel.Information, Message = "camera {Camera} clock {Clock}")]
    private partial void LogChange(string camera, string clock);
}
