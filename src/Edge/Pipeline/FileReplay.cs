using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Ingest.Cameras;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Edge.Pipeline;

/// <summary>
/// A video file (or image folder) through one camera pipeline as fast as possible: every frame at the detection
/// rate is processed (replay waits for the detector instead of dropping), candidates handed to a callback as they
/// complete. What `cww replay`, `cww eval` and `cww bench pipeline` share.
/// </summary>
public static class FileReplay
{
    /// <param name="clockStart">Capture time of the file's first frame; candidates' times count from it.</param>
    /// <returns>The camera's health at the end (state Ended, or Failed with the reason).</returns>
    public static async Task<CameraHealth> RunAsync(
        string file,
        double detectFps,
        CameraPipeline pipeline,
        DateTimeOffset clockStart,
        ILoggerFactory loggers,
        Func<ViolationCandidate, Task> onCandidate,
        CancellationToken cancellationToken)
    {
        var camera = new CameraConfig
        {
            Id = pipeline.CameraId,
            Url = file,
            Ingest = new IngestSettings { RealTime = false, DetectFps = detectFps, QueueCapacity = 4, Record = false },
        };
        var pool = new FramePool();
        await using var runner = CameraFactory.Create(camera, Path.GetTempPath(), pool, loggers, replayClockStart: clockStart);
        var run = runner.RunAsync(cancellationToken);
        await foreach (var frame in runner.Frames.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            using (frame)
            {
                foreach (var candidate in pipeline.Process(frame))
                {
                    await onCandidate(candidate).ConfigureAwait(false);
                }
            }
        }

        await run.ConfigureAwait(false);
        foreach (var candidate in pipeline.Flush())
        {
            await onCandidate(candidate).ConfigureAwait(false);
        }

        return runner.Health;
    }
}
