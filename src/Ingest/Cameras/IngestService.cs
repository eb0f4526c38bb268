using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Ingest.Cameras;

/// <summary>
/// Runs every enabled camera of the box side by side. Each camera has its own runner and task: one dead or
/// misconfigured camera never stops the others.
/// </summary>
public sealed class IngestService : BackgroundService
{
    private readonly List<CameraRunner> _runners = [];

    public IngestService(CwwConfig config, FramePool pool, ILoggerFactory loggers)
    {
        foreach (var camera in config.Cameras.Where(c => c.Enabled))
        {
            _runners.Add(CameraFactory.Create(camera, config.Paths.Data, pool, loggers));
        }
    }

    public IReadOnlyList<CameraRunner> Cameras => _runners;

    public IReadOnlyList<CameraHealth> Health() => _runners.Select(r => r.Health).ToList();

    public CameraRunner Camera(string id) =>
        _runners.FirstOrDefault(r => r.CameraId == id) ?? throw new KeyNotFoundException($"no enabled camera '{id}'");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_runners.Select(r => Task.Run(() => r.RunAsync(stoppingToken), CancellationToken.None)));

    public override void Dispose()
    {
        foreach (var runner in _runners)
        {
            runner.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose();
    }
}
