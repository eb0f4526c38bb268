using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Ingest.Recording;
using CrosswalkWatch.Ingest.Sources;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Ingest.Cameras;

/// <summary>Picks the source for a camera's URL and builds its runner.</summary>
public static class CameraFactory
{
    public static bool IsRtsp(string url) =>
        url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The recording ring folder of a camera under the data folder.</summary>
    public static string RecordingDirectory(string dataDirectory, string cameraId) => Path.Combine(dataDirectory, "recordings", cameraId);

    /// <param name="dataDirectory">Root of the box's data; live cameras record under <c>recordings/ID</c>.</param>
    /// <param name="replayClockStart">For fast file replay: the capture time of the file's first frame.</param>
    public static CameraRunner Create(
        CameraConfig camera,
        string dataDirectory,
        FramePool pool,
        ILoggerFactory loggers,
        TimeProvider? time = null,
        DateTimeOffset? replayClockStart = null)
    {
        IFrameSource source;
        RecordingRing? ring = null;
        if (IsRtsp(camera.Url))
        {
            if (camera.Ingest.Record)
            {
                ring = new RecordingRing(RecordingDirectory(dataDirectory, camera.Id));
            }

            source = new RtspSource(camera, ring);
        }
        else if (Directory.Exists(camera.Url))
        {
            source = new ImageFolderSource(camera.Url, camera.Ingest);
        }
        else
        {
            source = new VideoFileSource(camera.Url, camera.Ingest, replayClockStart);
        }

        return new CameraRunner(camera, source, ring, pool, loggers.CreateLogger($"CrosswalkWatch.Camera.{camera.Id}"), time);
    }
}
