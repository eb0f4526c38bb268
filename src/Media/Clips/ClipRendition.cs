namespace CrosswalkWatch.Media.Clips;

/// <summary>
/// The H.264 rendition of an evidence clip whose camera records H.265 (Hikvision, Dahua and Uniview main streams by
/// default): browsers that cannot decode H.265 play it, while the original, cut without re-encoding, stays the
/// evidence. Made once, when the package is built, and signed with it.
/// </summary>
public static class ClipRendition
{
    /// <summary>The rendition's name in a package, beside <c>clip.mp4</c>.</summary>
    public const string FileName = "clip-h264.mp4";

    /// <summary>ffprobe's name of the codec every browser plays.</summary>
    public const string BrowserCodec = "h264";

    /// <summary>
    /// Re-encodes <paramref name="clip"/> as H.264 (4:2:0, index at the front) into <paramref name="output"/>, written
    /// beside it and renamed when complete. One encoding thread, as the evidence pool leaves the other cores to detection:
    /// about 3 s for a 10 s 1080p clip on this box.
    /// </summary>
    public static Task MakeAsync(string clip, string output, CancellationToken cancellationToken = default) =>
        FfmpegFile.WriteAsync(
            [
                "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y",
                "-i", clip,
                "-map", "0:v:0", "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-threads", "1",
                "-movflags", "+faststart", "-f", "mp4",
            ],
            output,
            $"making the H.264 rendition {output} of {clip}",
            cancellationToken);
}
