using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Edge.Streaming;

/// <summary>
/// Records how long each camera of the box streams per day of the site's zone (<c>camera_streaming</c>, read by
/// <c>cww stats</c> and the operators' Statistics page): looks at the cameras' health every <see cref="Interval"/>
/// and once more on stop, and adds what streamed since. A write that fails is kept and tried again at the next look.
/// After each write it reads back what the store holds for today (<see cref="Today"/>, sent with the camera's health
/// to a central site), once at start too, so a restarted box goes on from its day's total.
/// </summary>
public sealed partial class StreamingRecorder : IAsyncDisposable
{
    /// <summary>How often the cameras are looked at and their time written: at most this much is lost when the box dies.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly StreamingStore _store;
    private readonly string _site;
    private readonly Func<IReadOnlyList<CameraHealth>> _health;
    private readonly StreamedTime _time;
    private readonly TimeProvider _clock;
    private readonly TimeZoneInfo _zone;
    private readonly ILogger _logger;
    private readonly List<StreamedSpan> _pending = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;
    private volatile IReadOnlyDictionary<string, StreamedDay> _today = new Dictionary<string, StreamedDay>();

    public StreamingRecorder(StreamingStore store, string site, TimeZoneInfo zone, Func<IReadOnlyList<CameraHealth>> health, ILogger logger, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(health);
        _store = store;
        _site = site;
        _health = health;
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
        _zone = zone;
        _time = new StreamedTime(zone, _clock.GetUtcNow());
    }

    /// <summary>A recorder on the box's store for the cameras whose health <paramref name="health"/> gives, looking every <see cref="Interval"/> from now.</summary>
    public static StreamingRecorder Start(CwwConfig config, Func<IReadOnlyList<CameraHealth>> health, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        var recorder = new StreamingRecorder(
            StreamingStore.Open(config.Storage, config.Paths.Data), config.Site.Id, TimeZoneInfo.FindSystemTimeZoneById(config.Site.TimeZone), health, logger);
        recorder.Start(Interval);
        return recorder;
    }

    /// <summary>
    /// What <paramref name="cameraId"/> streamed today (the site's day) as the box's store held it at the last write,
    /// without asking the store; null before the first read or when the store has nothing for it today.
    /// </summary>
    public StreamedDay? Today(string cameraId) => _today.GetValueOrDefault(cameraId);

    /// <summary>Looks every <paramref name="interval"/> in the background.</summary>
    public void Start(TimeSpan interval) => _running ??= Task.Run(() => RunAsync(interval, _stop.Token));

    /// <summary>Looks at the cameras now and writes what streamed since the last look (with what an earlier failed write left); false when the write failed.</summary>
    public async Task<bool> RecordAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _pending.AddRange(_time.Observe(_health(), _clock.GetUtcNow()));
            await _store.AddAsync(_site, _pending, cancellationToken).ConfigureAwait(false);
            _pending.Clear();
        }
        catch (StorageException e)
        {
            LogNotRecorded(e.Message);
            return false;
        }
        finally
        {
            _gate.Release();
        }

        await ReadTodayAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads back what the store holds for each camera today (<see cref="Today"/>): at start and after each write.</summary>
    public async Task ReadTodayAsync(CancellationToken cancellationToken = default)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), _zone).DateTime);
        try
        {
            var days = await _store.OfSiteAsync(_site, day, cancellationToken).ConfigureAwait(false);
            _today = days.ToDictionary(d => d.CameraId, StringComparer.Ordinal);
        }
        catch (StorageException e)
        {
            LogTodayNotRead(e.Message); // the last totals stay until the next write
        }
    }

    /// <summary>Stops looking, then writes the time up to now.</summary>
    public async Task StopAsync()
    {
        if (_running is not null)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _running.ConfigureAwait(false);
        }

        await RecordAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _store.Dispose();
        _gate.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _clock);
        try
        {
            await ReadTodayAsync(cancellationToken).ConfigureAwait(false); // a restarted box goes on from its day's total
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await RecordAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "hours streaming not recorded, tried again at the next look: {Reason}")]
    private partial void LogNotRecorded(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "today's hours streaming not read back, read again after the next write: {Reason}")]
    private partial void LogTodayNotRead(string reason);
}
