using System.Globalization;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Ingest.Cameras;
using CrosswalkWatch.Media;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>
/// One picture from a camera as a JPEG, now: the next frame of an RTSP stream, the first frame of a video file or the
/// first image of a folder (<c>ffmpeg -frames:v 1</c>), no wider than asked. What the operators' console draws the
/// scene over. A camera that does not give a picture in time is an <see cref="IngestException"/> saying why.
/// </summary>
public static class Snapshot
{
    /// <summary>Where a snapshot is taken from: the sub-stream when there is one (lighter), else the main URL.</summary>
    public static string UrlOf(CameraConfig camera)
    {
        ArgumentNullException.ThrowIfNull(camera);
        return camera.SubUrl ?? camera.Url;
    }

    /// <summary>The URL with any password replaced by <c>***</c>, for messages.</summary>
    public static string Redact(string url) => RtspSource.Redact(url);

    /// <exception cref="IngestException">No picture: the reason (connection refused, no answer in time, no such file, …).</exception>
    public static async Task<byte[]> GrabJpegAsync(string url, IngestSettings settings, TimeSpan timeout, int maxWidth = 1280, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(settings);
        var where = Redact(url);
        var input = Input(url, settings, timeout);
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error",
            .. input,
            "-map", "0:v:0", "-frames:v", "1", "-an", "-sn", "-dn",
            "-vf", $"scale=w=min({maxWidth.ToString(CultureInfo.InvariantCulture)}\\,iw):h=-2",
            "-c:v", "mjpeg", "-q:v", "3", "-f", "image2pipe", "pipe:1",
        ];

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var ffmpeg = ChildProcess.Start("ffmpeg", arguments);
        await using var kill = deadline.Token.Register(ffmpeg.Kill);
        using var jpeg = new MemoryStream();
        var errors = ffmpeg.StandardError.ReadToEndAsync(CancellationToken.None);
        await ffmpeg.StandardOutput.CopyToAsync(jpeg, CancellationToken.None).ConfigureAwait(false);
        await ffmpeg.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var log = await errors.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (deadline.IsCancellationRequested)
        {
            throw new IngestException($"no picture from {where} within {timeout.TotalSeconds:0} s: the camera does not answer in time (frozen camera, or a firewall dropping packets?)");
        }

        if (ffmpeg.ExitCode != 0 || jpeg.Length == 0)
        {
            var reason = log.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(FfmpegLog.Explain).LastOrDefault(l => l is not null)
                ?? $"ffmpeg exited with code {ffmpeg.ExitCode} without a picture";
            throw new IngestException($"no picture from {where}: {reason}");
        }

        return jpeg.ToArray();
    }

    private static string[] Input(string url, IngestSettings settings, TimeSpan timeout)
    {
        if (CameraFactory.IsRtsp(url))
        {
            var microseconds = (long)(timeout.TotalSeconds * 1_000_000);
            return ["-rtsp_transport", settings.Transport == RtspTransport.Udp ? "udp" : "tcp", "-timeout", microseconds.ToString(CultureInfo.InvariantCulture), "-i", url];
        }

        if (Directory.Exists(url))
        {
            var first = Directory.EnumerateFiles(url).Where(ImageFolderSource.IsImage).Order(StringComparer.Ordinal).FirstOrDefault()
                ?? throw new IngestException($"{url} holds no .jpg, .png or .bmp images", permanent: true);
            return ["-i", first];
        }

        if (!File.Exists(url))
        {
            throw new IngestException($"no picture from {url}: there is no such file or folder", permanent: true);
        }

        return ["-i", url];
    }
}
