using System.Collections.Concurrent;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Ingest.Cameras;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrosswalkWatch.Testing;

/// <summary>What a consumer saw of one frame (the frame itself goes back to the pool at once).</summary>
internal sealed record SeenFrame(long Sequence, DateTimeOffset CapturedAt, int Width, int Height, DateTimeOffset ReadAt, byte Checksum);

/// <summary>
/// Runs one camera the way the edge does, with a consumer standing in for the detector: it records what it saw
/// and disposes every frame, optionally reading slowly.
/// </summary>
internal sealed class CameraHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly Task _consume;

    public CameraHarness(CameraConfig camera, string dataDirectory, FramePool? pool = null, TimeSpan? consumerDelay = null, DateTimeOffset? replayClockStart = null)
    {
        Pool = pool ?? new FramePool();
        Runner = CameraFactory.Create(camera, dataDirectory, Pool, NullLoggerFactory.Instance, replayClockStart: replayClockStart);
        _run = Task.Run(() => Runner.RunAsync(_stop.Token));
        _consume = Task.Run(async () =>
        {
            await foreach (var frame in Runner.Frames.ReadAllAsync())
            {
                byte checksum = 0;
                foreach (var b in frame.Pixels[..Math.Min(4096, frame.Length)])
                {
                    checksum ^= b;
                }

                Seen.Enqueue(new SeenFrame(frame.Sequence, frame.CapturedAt, frame.Width, frame.Height, DateTimeOffset.UtcNow, checksum));
                frame.Dispose();
                if (consumerDelay is { } delay)
                {
                    await Task.Delay(delay);
                }
            }
        });
    }

    public FramePool Pool { get; }

    public CameraRunner Runner { get; }

    public ConcurrentQueue<SeenFrame> Seen { get; } = new();

    /// <summary>Stops the camera, waits for the consumer to drain, and returns every frame seen.</summary>
    public async Task<IReadOnlyList<SeenFrame>> StopAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
        await _consume.WaitAsync(TimeSpan.FromSeconds(30));
        return Seen.ToList();
    }

    /// <summary>Waits until the run ends by itself (end of a file), then for the consumer.</summary>
    public async Task<IReadOnlyList<SeenFrame>> CompletionAsync(TimeSpan timeout)
    {
        await _run.WaitAsync(timeout);
        await _consume.WaitAsync(timeout);
        return Seen.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        await Runner.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>A camera config with ingest settings suited to tests (fast reconnects, short stall timeout).</summary>
    public static CameraConfig Camera(string id, string url, Func<IngestSettings, IngestSettings>? tune = null, string? subUrl = null)
    {
        var settings = new IngestSettings
        {
            StallTimeoutSeconds = 3,
            ReconnectMinSeconds = 0.2,
            ReconnectMaxSeconds = 1,
            Record = false,
        };
        return new CameraConfig { Id = id, Url = url, SubUrl = subUrl, Ingest = tune is null ? settings : tune(settings) };
    }
}
