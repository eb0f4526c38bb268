using System.Globalization;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Edge.Clock;

/// <summary>
/// Measures the box's clock against clock.servers every clock.checkSeconds (asked in turn until one answers) and keeps
/// the last <see cref="Health"/>: Ok, Off (above clock.maxOffsetMs: an error, and written into each evidence package
/// made meanwhile), Holding (above clock.holdOffsetMs: new candidates are held), Unknown when no server has answered
/// lately (with the reason, logged once, not at every check), NotChecked without servers. Logs each change of state.
/// </summary>
public sealed partial class ClockWatch : IAsyncDisposable
{
    /// <summary>Checks without an answer after which the last offset no longer counts and the clock is unknown.</summary>
    public const int StaleAfterChecks = 3;

    private readonly ClockConfig _config;
    private readonly IReadOnlyList<NtpServer> _servers;
    private readonly Func<NtpServer, CancellationToken, Task<SntpSample>> _query;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private ClockHealth _health;
    private Task? _running;

    /// <param name="query">Asks one server (the <see cref="SntpClient"/> by default).</param>
    public ClockWatch(ClockConfig config, ILogger logger, TimeProvider? time = null, Func<NtpServer, CancellationToken, Task<SntpSample>>? query = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _servers = [.. config.Servers.Select(s => NtpServer.Parse(s) ?? throw new ArgumentException($"'{s}' is not an NTP server (host or host:port)", nameof(config)))];
        _time = time ?? TimeProvider.System;
        _query = query ?? new SntpClient(_time).QueryAsync;
        _logger = logger;
        _health = new ClockHealth
        {
            State = _servers.Count == 0 ? ClockState.NotChecked : ClockState.Unknown,
            StateSince = _time.GetUtcNow(),
            MaxOffsetMs = config.MaxOffsetMs,
            HoldOffsetMs = config.HoldOffsetMs,
            Reason = _servers.Count == 0 ? "no NTP server configured (clock.servers)" : "not measured yet",
        };
    }

    /// <summary>The clock as last measured.</summary>
    public ClockHealth Health
    {
        get
        {
            lock (_lock)
            {
                return _health;
            }
        }
    }

    /// <summary>Starts checking in the background, the first check at once; nothing to do without servers.</summary>
    public void Start()
    {
        if (_servers.Count > 0 && _running is null)
        {
            _running = Task.Run(() => RunAsync(_stop.Token));
        }
    }

    /// <summary>One check: the servers asked in turn until one answers; returns the health it leaves.</summary>
    public async Task<ClockHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        SntpSample? sample = null;
        foreach (var server in _servers)
        {
            try
            {
                sample = await _query(server, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (SntpException e)
            {
                failures.Add(e.Message);
            }
        }

        ClockHealth before, after;
        lock (_lock)
        {
            before = _health;
            _health = after = Next(before, sample, "no NTP server answered: " + string.Join("; ", failures), _time.GetUtcNow(), _config);
        }

        if (after.State != before.State)
        {
            LogChange(after);
        }

        return after;
    }

    /// <summary>
    /// The health after a check: with a <paramref name="sample"/>, its offset and the state the limits give it; without
    /// one, the last offset and state stand (with the <paramref name="failure"/> as the reason) until it is older than
    /// <see cref="StaleAfterChecks"/> checks, then the clock is unknown. The state's time changes only with the state.
    /// </summary>
    public static ClockHealth Next(ClockHealth current, SntpSample? sample, string failure, DateTimeOffset now, ClockConfig config)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(config);
        ClockHealth next;
        if (sample is not null)
        {
            next = current with
            {
                State = config.StateOf(sample.OffsetMs),
                OffsetMs = sample.OffsetMs,
                DelayMs = sample.DelayMs,
                Server = sample.Server,
                MeasuredAt = now,
                Reason = null,
            };
        }
        else
        {
            var stale = current.MeasuredAt is not { } measured || now - measured > TimeSpan.FromSeconds(config.CheckSeconds * StaleAfterChecks);
            next = current with { State = stale ? ClockState.Unknown : current.State, Reason = failure };
        }

        return next with
        {
            MaxOffsetMs = config.MaxOffsetMs,
            HoldOffsetMs = config.HoldOffsetMs,
            StateSince = next.State == current.State ? current.StateSince : now,
        };
    }

    /// <summary>The clock in one line, for logs, the console and the reasons a candidate is held.</summary>
    public static string Describe(ClockHealth h)
    {
        ArgumentNullException.ThrowIfNull(h);
        var offset = h.OffsetMs is { } ms
            ? string.Create(CultureInfo.InvariantCulture, $"off by {ms:+0;-0} ms against {h.Server} (±{h.DelayMs / 2:0} ms)")
            : "";
        return h.State switch
        {
            ClockState.NotChecked => "not checked (no clock.servers)",
            ClockState.Unknown => $"unknown: {h.Reason}",
            ClockState.Ok => string.Create(CultureInfo.InvariantCulture, $"ok: {offset}, within {h.MaxOffsetMs} ms (clock.maxOffsetMs)"),
            ClockState.Off => string.Create(CultureInfo.InvariantCulture, $"OFF: {offset}, more than {h.MaxOffsetMs} ms (clock.maxOffsetMs): each evidence package made now records it"),
            _ => string.Create(CultureInfo.InvariantCulture, $"HOLDING: {offset}, more than {h.HoldOffsetMs} ms (clock.holdOffsetMs): new candidates are held until the clock is within it"),
        } + (h.Reason is { } reason && h.State != ClockState.Unknown && h.State != ClockState.NotChecked ? $" (last check: {reason})" : "");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_running is not null)
        {
            await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_config.CheckSeconds), _time);
        try
        {
            do
            {
                await CheckAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the box.
        }
    }

    private void LogChange(ClockHealth h)
    {
        var text = Describe(h);
        switch (h.State)
        {
            case ClockState.Off or ClockState.Holding:
                LogOff(text);
                break;
            case ClockState.Unknown:
                LogUnknown(text);
                break;
            default:
                LogOk(text);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "clock {Clock}")]
    private partial void LogOff(string clock);

    [LoggerMessage(Level = LogLevel.Warning, Message = "clock {Clock}")]
    private partial void LogUnknown(string clock);

    [LoggerMessage(Level = LogLevel.Information, Message = "clock {Clock}")]
    private partial void LogOk(string clock);
}
