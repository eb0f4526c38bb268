using System.Globalization;
using CrosswalkWatch.Ingest.Processes;
using CrosswalkWatch.Ingest.Recording;

namespace CrosswalkWatch.Evidence;

/// <summary>Where a camera's full-resolution pictures for a moment come from: the recording ring, or a replayed file.</summary>
public interface IEvidenceSource
{
    /// <summary>The file holding the moment and the offset into it, in seconds.</summary>
    Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Cuts the clip of the window from <paramref name="windowStart"/> to <paramref name="windowEnd"/> into <paramref name="output"/> (MP4, H.264, faststart).</summary>
    Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken);
}

/// <summary>A live camera's recording ring; waits (up to a limit) for the recording to reach the end of the window.</summary>
public sealed class RingEvidenceSource(RecordingRing ring, TimeSpan waitForRecording) : IEvidenceSource
{
    public async Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        await WaitForAsync(at, cancellationToken).ConfigureAwait(false);
        foreach (var segment in ring.Segments())
        {
            if (segment.Start <= at && at < segment.End)
            {
                return (segment.Path, (at - segment.Start).TotalSeconds);
            }
        }

        throw new EvidenceException($"no recording of {at:O} in {ring.Directory} (camera down then, or the ring already overwrote it)");
    }

    public async Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken)
    {
        await WaitForAsync(windowEnd, cancellationToken).ConfigureAwait(false);
        return await ClipCutter.CutAsync(ring, windowStart, windowEnd, output, cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitForAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + waitForRecording;
        while (ring.Segments() is var segments && (segments.Count == 0 || segments[^1].End < at) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(250, cancellationToken).ConfigureAwait(false); // polling the ring's list files on disk
        }
    }
}

/// <summary>A video file replayed as a camera: <paramref name="clockStart"/> is the capture time of its first frame.</summary>
public sealed class FileEvidenceSource(string video, DateTimeOffset clockStart) : IEvidenceSource
{
    public Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult((video, Math.Max(0, (at - clockStart).TotalSeconds)));

    public async Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken)
    {
        var offset = Math.Max(0, (windowStart - clockStart).TotalSeconds);
        var length = (windowEnd - clockStart).TotalSeconds - offset;
        var partial = output + ".part.mp4";
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", offset.ToString("0.###", CultureInfo.InvariantCulture), "-i", video,
            "-t", length.ToString("0.###", CultureInfo.InvariantCulture),
            "-map", "0:v:0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", partial,
        ];
        using var ffmpeg = ChildProcess.Start("ffmpeg", arguments);
        var errors = ffmpeg.StandardError.ReadToEndAsync(cancellationToken);
        await ffmpeg.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (ffmpeg.ExitCode != 0)
        {
            File.Delete(partial);
            throw new EvidenceException($"cutting the clip from {video} failed: {(await errors.ConfigureAwait(false)).Trim()}");
        }

        File.Move(partial, output, overwrite: true);
        return new ClipResult(output, clockStart.AddSeconds(offset), clockStart.AddSeconds(offset + length), 1, true);
    }
}
