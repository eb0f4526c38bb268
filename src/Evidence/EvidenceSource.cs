using System.Globalization;
using CrosswalkWatch.Media;
using CrosswalkWatch.Media.Clips;

namespace CrosswalkWatch.Evidence;

/// <summary>Where a camera's full-resolution pictures for a moment come from: the recording ring, or a replayed file.</summary>
public interface IEvidenceSource
{
    /// <summary>The file holding the moment and the offset into it, in seconds.</summary>
    Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Cuts the clip of the window from <paramref name="windowStart"/> to <paramref name="windowEnd"/> into <paramref name="output"/> (MP4 in the recording's codec, faststart).</summary>
    Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken);

    /// <summary>Keeps the recording from <paramref name="from"/> on until the handle is disposed: a pending candidate's evidence.</summary>
    IDisposable Keep(DateTimeOffset from);

    /// <summary>Completes once the recording reaches <paramref name="until"/> (or the source stops waiting for it): before a package is built.</summary>
    Task WaitForRecordingAsync(DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>A video file replayed as a camera: <paramref name="clockStart"/> is the capture time of its first frame.</summary>
public sealed class FileEvidenceSource(string video, DateTimeOffset clockStart) : IEvidenceSource
{
    /// <summary>A file keeps all of it.</summary>
    public IDisposable Keep(DateTimeOffset from) => NothingToRelease.Instance;

    /// <summary>A file has all of it.</summary>
    public Task WaitForRecordingAsync(DateTimeOffset until, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult((video, Math.Max(0, (at - clockStart).TotalSeconds)));

    public async Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken)
    {
        var offset = Math.Max(0, (windowStart - clockStart).TotalSeconds);
        var length = (windowEnd - clockStart).TotalSeconds - offset;
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", offset.ToString("0.###", CultureInfo.InvariantCulture), "-i", video,
            "-t", length.ToString("0.###", CultureInfo.InvariantCulture),
            "-map", "0:v:0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4",
        ];
        try
        {
            await FfmpegFile.WriteAsync(arguments, output, $"cutting the clip from {video}", cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException e)
        {
            throw new EvidenceException(e.Message, e);
        }

        return new ClipResult(output, clockStart.AddSeconds(offset), clockStart.AddSeconds(offset + length), 1, true, await FfmpegFile.CodecOfAsync(output, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>A handle with nothing to release.</summary>
public sealed class NothingToRelease : IDisposable
{
    public static readonly NothingToRelease Instance = new();

    private NothingToRelease()
    {
    }

    public void Dispose()
    {
    }
}
