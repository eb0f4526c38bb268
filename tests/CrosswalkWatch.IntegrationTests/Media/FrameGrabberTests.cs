using CrosswalkWatch.Media;
using CrosswalkWatch.Media.Clips;
using OpenCvSharp;

namespace CrosswalkWatch.IntegrationTests.Media;

/// <summary>
/// The evidence photos' pictures, decoded in the process from a recorded segment: MPEG-TS with one key frame at its
/// start, as the recording ring cuts them, each frame's grey level telling which frame it is.
/// </summary>
public sealed class FrameGrabberTests
{
    [Fact]
    public async Task Grab_OffsetsInAnyOrder_TheFirstFrameAtOrAfterEachAndTheLastPastTheEnd()
    {
        using var temp = new TempFolder();
        var segment = await SegmentAsync(temp.File("segment.ts"));

        // Frames every 0.1 s, frame n of grey 10·n; the last frame (19) is at 1.9 s.
        var pictures = FrameGrabber.Grab(segment, [0.35, 0, 1.2, 1.95, 7]);
        try
        {
            Assert.Equal([4, 0, 12, 19, 19], pictures.Select(FrameOf));
            Assert.All(pictures, p => Assert.Equal((64, 48), (p.Width, p.Height)));
        }
        finally
        {
            pictures.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public void Grab_NotAVideo_SaysWhichFile()
    {
        using var temp = new TempFolder();
        var broken = temp.File("000123.ts");
        File.WriteAllText(broken, "not a recording");

        var error = Assert.Throws<MediaException>(() => FrameGrabber.Grab(broken, [0.5]));
        Assert.Contains(broken, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Which frame a picture is: its grey level over 10, rounded (compression moves it by a little).</summary>
    private static int FrameOf(Mat picture) => (int)Math.Round(picture.Mean().Val0 / 10);

    private static async Task<string> SegmentAsync(string path)
    {
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "nullsrc=s=64x48:r=10:d=2,format=gray,geq=lum='N*10'",
            "-c:v", "libx264", "-g", "100", "-pix_fmt", "yuv420p", "-f", "mpegts", path,
        ];
        using var ffmpeg = ChildProcess.Start("ffmpeg", arguments);
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg could not make the segment: {await errors}");
        return path;
    }
}
