using System.Threading.Channels;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Ingest.Recording;
using CrosswalkWatch.Ingest.Sources;
using CrosswalkWatch.Media;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Ingest.Cameras;

/// <summary>
/// Keeps one camera streaming: runs its source, hands frames to the detector through a bounded channel that drops
/// the oldest frame when the detector is slow (counting drops), watches the time since the last frame, reconnects
/// with backoff and jitter, prunes the recording ring, and reports health. A fault here never reaches another camera.
/// </summary>
public sealed partial class CameraRunner : IFrameSink, IAsyncDisposable
{
    private readonly CameraConfig _camera;
    private readonly IFrameSource _source;
    private readonly RtspSource? _rtsp;
    private readonly TimeSpan _pruneEvery;
    private readonly RecordingRing? _ring;
    private readonly FramePool _pool;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<Frame> _frames;
    private readonly FpsMeter _fps = new(TimeSpan.FromSeconds(3));
    private readonly Lock _lock = new();

    private CameraHealth _health;
    private TaskCompletionSource _changed = NewSignal();
    private long _sequence;
    private long _drops;
    private long _framesThisSession;
    private DateTimeOffset _lastActivity;
    private DateTimeOffset _lastPrune;
    private CancellationTokenSource? _session;
    private string? _recordingPaused;
    private int _pruning;

    internal CameraRunner(CameraConfig camera, IFrameSource source, RecordingRing? ring, FramePool pool, ILogger logger, TimeProvider? time = null)
    {
        _camera = camera;
        _source = source;
        _rtsp = ring is null ? null : source as RtspSource;
        _pruneEvery = TimeSpan.FromSeconds(Math.Clamp(camera.Ingest.SegmentSeconds * 2, 2, 10));
        _ring = ring;
        _pool = pool;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _frames = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(camera.Ingest.QueueCapacity)
            {
                // A live camera never waits for the detector: the oldest frame goes. Fast replay of a file waits.
                FullMode = source.IsLive || camera.Ingest.RealTime ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
                SingleWriter = true,
            },
            dropped =>
            {
                dropped.Dispose();
                Interlocked.Increment(ref _drops);
            });
        _health = new CameraHealth
        {
            CameraId = camera.Id,
            State = CameraState.Idle,
            StateSince = _time.GetUtcNow(),
        };
        _health = _health with { Recording = RecordingText() };
    }

    public string CameraId => _camera.Id;

    /// <summary>The camera's frames, newest kept; the reader owns (and disposes) each frame it takes.</summary>
    public ChannelReader<Frame> Frames => _frames.Reader;

    /// <summary>The recording ring, when this camera records.</summary>
    public RecordingRing? Ring => _ring;

    /// <summary>A snapshot of the camera's health now.</summary>
    public CameraHealth Health
    {
        get
        {
            lock (_lock)
            {
                return _health with { Fps = Math.Round(_fps.Rate(_time.GetUtcNow()), 2), Drops = Interlocked.Read(ref _drops) };
            }
        }
    }

    /// <summary>Waits until the health satisfies the condition (checked on every change), or the timeout.</summary>
    public async Task<CameraHealth> WaitForAsync(Func<CameraHealth, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            var health = Health;
            if (condition(health))
            {
                return health;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"camera {CameraId}: condition not met within {timeout.TotalSeconds:0.#} s; health now: {Health}");
            }
        }
    }

    /// <summary>Runs until cancelled, the input ends, or the camera fails for good; then completes <see cref="Frames"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = _camera.Ingest;
        var backoff = new Backoff(TimeSpan.FromSeconds(settings.ReconnectMinSeconds), TimeSpan.FromSeconds(settings.ReconnectMaxSeconds));
        var stall = TimeSpan.FromSeconds(settings.StallTimeoutSeconds);
        Exception? fatal = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                DecideRecording();
                SetState(CameraState.Connecting);
                LogConnecting(_camera.Id, _source.Description);
                using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                _session = session;
                Interlocked.Exchange(ref _framesThisSession, 0);
                _lastActivity = _time.GetUtcNow();
                var stalled = false;
                var watchdog = WatchAsync(stall, session, () => stalled = true);
                string error;
                try
                {
                    var end = await _source.RunAsync(this, session.Token).ConfigureAwait(false);
                    if (end == SourceEnd.EndOfInput)
                    {
                        SetState(CameraState.Ended);
                        LogEnded(_camera.Id, _source.Description);
                        return;
                    }

                    error = "the stream was closed by the camera";
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (OperationCanceledException) when (stalled)
                {
                    error = $"no frame for {stall.TotalSeconds:0.#} s: the camera or network froze";
                }
                catch (OperationCanceledException) when (session.IsCancellationRequested)
                {
                    error = "restarting to switch recording " + (_recordingPaused is null ? "back on" : "off");
                }
                catch (RecordingDiskFullException e)
                {
                    PauseRecording("disk full");
                    error = $"{e.Message}; recording paused, detection goes on";
                }
                catch (MediaException e) when (e.Permanent)
                {
                    SetState(CameraState.Failed, e.Message);
                    LogFailed(_camera.Id, e.Message);
                    return;
                }
                catch (MediaException e)
                {
                    error = stalled ? $"no frame for {stall.TotalSeconds:0.#} s: the camera or network froze" : e.Message;
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or OpenCvSharp.OpenCVException)
                {
                    error = e.Message;
                }
                finally
                {
                    _session = null;
                    await session.CancelAsync().ConfigureAwait(false);
                    await watchdog.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                if (Interlocked.Read(ref _framesThisSession) > 0)
                {
                    backoff.Reset();
                }

                var delay = backoff.Next();
                SetState(stalled ? CameraState.Stalled : CameraState.Reconnecting, error, countReconnect: true);
                LogReconnecting(_camera.Id, error, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            fatal = e;
            SetState(CameraState.Failed, e.Message);
            LogFailed(_camera.Id, e.ToString());
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested && _health.State is not (CameraState.Failed or CameraState.Ended))
            {
                SetState(CameraState.Stopped);
            }

            _frames.Writer.TryComplete(fatal);
        }
    }

    /// <summary>Disposes frames nobody took; call after the reader stopped reading.</summary>
    public ValueTask DisposeAsync()
    {
        _frames.Writer.TryComplete();
        while (_frames.Reader.TryRead(out var frame))
        {
            frame.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    void IFrameSink.OnOpened(string sourceSize, int frameWidth, int frameHeight, string? codec)
    {
        lock (_lock)
        {
            _health = _health with { SourceSize = sourceSize, FrameSize = $"{frameWidth}x{frameHeight}", Codec = codec };
        }

        LogOpened(_camera.Id, sourceSize, codec ?? "?", frameWidth, frameHeight);
    }

    Frame IFrameSink.Rent(int width, int height) => _pool.Rent(_camera.Id, width, height);

    async ValueTask IFrameSink.OnFrameAsync(Frame frame, CancellationToken cancellationToken)
    {
        frame.Sequence = Interlocked.Increment(ref _sequence);
        if (!_frames.Writer.TryWrite(frame))
        {
            try
            {
                await _frames.Writer.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                frame.Dispose(); // Shutting down.
                throw;
            }
        }

        var now = _time.GetUtcNow();
        _lastActivity = now;
        _fps.Tick(now);
        Interlocked.Increment(ref _framesThisSession);

        lock (_lock)
        {
            _health = _health with { Frames = _health.Frames + 1, LastFrameAt = now };
            if (_health.State != CameraState.Streaming)
            {
                _health = _health with { State = CameraState.Streaming, StateSince = now };
                LogStreaming(_camera.Id);
            }
        }

        Signal();
        PruneIfDue(now);
    }

    void IFrameSink.OnWarning(string message)
    {
        lock (_lock)
        {
            _health = _health with { LastError = message, LastErrorAt = _time.GetUtcNow() };
        }

        LogWarning(_camera.Id, message);
        Signal();
    }

    private async Task WatchAsync(TimeSpan stall, CancellationTokenSource session, Action onStall)
    {
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(stall.TotalMilliseconds / 10, 50, 500));
        while (!session.IsCancellationRequested)
        {
            await Task.Delay(tick, _time, session.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!session.IsCancellationRequested && _time.GetUtcNow() - _lastActivity > stall)
            {
                onStall();
                SetState(CameraState.Stalled, $"no frame for {stall.TotalSeconds:0.#} s: the camera or network froze");
                LogStalled(_camera.Id, stall.TotalSeconds);
                await session.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private void PruneIfDue(DateTimeOffset now)
    {
        if (_ring is null || _rtsp is null || now - _lastPrune < _pruneEvery || Interlocked.Exchange(ref _pruning, 1) == 1)
        {
            return;
        }

        _lastPrune = now;
        _ = Task.Run(() =>
        {
            try
            {
                PruneAndCheckRoom(now);
            }
            catch (IOException e)
            {
                ((IFrameSink)this).OnWarning($"recording ring {_ring.Directory}: pruning failed: {e.Message}");
            }
            finally
            {
                Volatile.Write(ref _pruning, 0);
            }
        });
    }

    /// <summary>
    /// Keeps the ring within its age, size and free-space bounds; pauses recording when even an empty ring leaves
    /// the disk short (detection goes on), and restarts the connection with recording once there is room again.
    /// </summary>
    private void PruneAndCheckRoom(DateTimeOffset now)
    {
        var settings = _camera.Ingest;
        var minFree = settings.MinFreeMegabytes * 1024L * 1024L;
        _ring!.Prune(now, TimeSpan.FromMinutes(settings.KeepMinutes), settings.MaxRecordingMegabytes * 1024L * 1024L, minFree, _rtsp!.ActiveSession);
        if (_recordingPaused is not null)
        {
            if (!_ring.HasRoom(minFree))
            {
                return;
            }

            var freeMegabytes = _ring.FreeBytes() / (1024 * 1024);
            LogRecordingResumed(_camera.Id, freeMegabytes); // the next connection records again
        }
        else
        {
            if (_ring.FreeBytes() >= minFree)
            {
                return;
            }

            PauseRecording($"less than {settings.MinFreeMegabytes} MB free on the recording disk");
        }

        _session?.Cancel(); // reconnect with recording switched
    }

    /// <summary>Before each connection: record unless paused, and resume when the disk has room again.</summary>
    private void DecideRecording()
    {
        if (_rtsp is null || _ring is null)
        {
            return;
        }

        if (_recordingPaused is not null && _ring.HasRoom(_camera.Ingest.MinFreeMegabytes * 1024L * 1024L))
        {
            _recordingPaused = null;
        }

        _rtsp.Record = _recordingPaused is null;
    }

    /// <summary>Pauses recording from the next connection on; the health shows it with the next state change.</summary>
    private void PauseRecording(string reason)
    {
        _recordingPaused = reason;
        LogRecordingPaused(_camera.Id, reason);
    }

    private string RecordingText() => _rtsp is null ? "off" : _recordingPaused is null ? "on" : "paused: " + _recordingPaused;

    private void SetState(CameraState state, string? error = null, bool countReconnect = false)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            _health = _health with
            {
                State = state,
                StateSince = _health.State == state ? _health.StateSince : now,
                LastError = error ?? _health.LastError,
                LastErrorAt = error is null ? _health.LastErrorAt : now,
                Reconnects = _health.Reconnects + (countReconnect ? 1 : 0),
                Recording = RecordingText(),
            };
        }

        if (state != CameraState.Streaming)
        {
            _fps.Reset();
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "camera {Camera}: connecting to {Source}")]
    private partial void LogConnecting(string camera, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "camera {Camera}: stream open, source {SourceSize} {Codec}, detector frames {Width}x{Height}")]
    private partial void LogOpened(string camera, string sourceSize, string codec, int width, int height);

    [LoggerMessage(Level = LogLevel.Information, Message = "camera {Camera}: streaming")]
    private partial void LogStreaming(string camera);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Camera}: {Message}")]
    private partial void LogWarning(string camera, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Camera}: stalled, no frame for {Seconds} s; reconnecting")]
    private partial void LogStalled(string camera, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Camera}: {Error}; reconnecting in {Seconds:0.0} s")]
    private partial void LogReconnecting(string camera, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "camera {Camera}: failed and will not be retried: {Error}")]
    private partial void LogFailed(string camera, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Camera}: recording paused ({Reason}); detection goes on")]
    private partial void LogRecordingPaused(string camera, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "camera {Camera}: recording resumed, {FreeMegabytes} MB free")]
    private partial void LogRecordingResumed(string camera, long freeMegabytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "camera {Camera}: end of {Source}")]
    private partial void LogEnded(string camera, string source);
}
