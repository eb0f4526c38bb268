using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCvSharp;

namespace CrosswalkWatch.IntegrationTests.Rules;

/// <summary>
/// Real input as cameras send it, not as the suite is made: the sample footage (which holds no failure to yield)
/// turned by ffmpeg into a portrait (9:16) video, a 60 fps one, a 2K one, a night one and one with nobody in it. Each
/// replays through the real `cww replay` without error, judges the frames it was given, and gives no candidate.
/// </summary>
public sealed partial class UnusualFootageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public static TheoryData<string> Variants => ["portrait", "60fps", "2k", "night", "nobody"];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Replay_SampleFootageMadeUnusual_EndsWithoutErrorAndGivesNoCandidate(string variant)
    {
        var scene = Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml");
        var (video, sceneFile, width, height) = await MakeAsync(variant, scene);
        var (probedWidth, probedHeight, fps) = await ProbeAsync(video);
        Assert.Equal((width, height), (probedWidth, probedHeight));

        var result = await CwwProcess.RunAsync(TimeSpan.FromMinutes(4), "replay", video, "--scene", sceneFile);

        Assert.True(result.ExitCode == 0, $"{variant}: {result.All}");
        var lines = result.Output.Trim().Split('\n');
        var summary = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal("ended", summary.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("lastError").ValueKind);
        Assert.InRange(summary.GetProperty("frames").GetInt32(), 40, 80); // 10–13 s at the 5 fps detection rate, whatever the video's own rate
        Assert.Equal(0, summary.GetProperty("candidates").GetInt32());
        Assert.Single(lines); // no candidate line before the summary
        var tracks = summary.GetProperty("tracks");
        var pedestrians = tracks.TryGetProperty("pedestrian", out var p) ? p.GetInt32() : 0;
        if (variant == "nobody")
        {
            Assert.True(pedestrians == 0, $"{variant}: {lines[^1]}");
        }
        else
        {
            // The people of the footage are still seen: the variant was judged, not skipped.
            Assert.True(pedestrians > 0, $"{variant} ({fps} fps): {lines[^1]}");
        }
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>The variant's video and the scene that fits it (the portrait video's scene is turned with it).</summary>
    private async Task<(string Video, string Scene, int Width, int Height)> MakeAsync(string variant, string scene)
    {
        var source = TestAssets.CrosswalkFootage;
        var video = _temp.File(variant + ".mp4");
        switch (variant)
        {
            case "portrait":
            {
                // A 9:16 picture (a camera mounted on its side and set to portrait, or a phone): the footage upright in
                // the middle, black above and below. A point (x, y) of the footage is at (x, (y·352 + 392) / 1136).
                await FfmpegAsync("-i", source, "-vf", "pad=640:1136:0:392:black", "-c:v", "libx264", "-pix_fmt", "yuv420p", video);
                var padded = _temp.File("portrait.yaml");
                await File.WriteAllTextAsync(padded, PointPattern().Replace(await File.ReadAllTextAsync(scene), Padded));
                return (video, padded, 640, 1136);
            }

            case "60fps":
                await FfmpegAsync("-i", source, "-vf", "fps=60", "-c:v", "libx264", "-pix_fmt", "yuv420p", video);
                return (video, scene, 640, 352);
            case "2k":
                await FfmpegAsync("-i", source, "-vf", "scale=2560:1408:flags=lanczos", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", video);
                return (video, scene, 2560, 1408);
            case "night":
                // Dark, low in contrast and colour, with sensor noise: as the footage would look under street lights.
                await FfmpegAsync("-i", source, "-vf", "eq=brightness=-0.32:contrast=0.55:saturation=0.4,noise=alls=18:allf=t", "-c:v", "libx264", "-pix_fmt", "yuv420p", video);
                return (video, scene, 640, 352);
            case "nobody":
            {
                // The junction without its people or traffic: the footage's per-pixel median, held for 10 s with noise.
                var still = _temp.File("background.png");
                using (var background = MedianOf(source))
                {
                    Cv2.ImWrite(still, background);
                }

                await FfmpegAsync("-loop", "1", "-i", still, "-t", "10", "-r", "25", "-vf", "noise=alls=6:allf=t", "-c:v", "libx264", "-pix_fmt", "yuv420p", video);
                return (video, scene, 640, 352);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(variant), variant, "no such variant");
        }
    }

    private static string Padded(Match point)
    {
        var x = double.Parse(point.Groups[1].Value, CultureInfo.InvariantCulture);
        var y = double.Parse(point.Groups[2].Value, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"[{x}, {Math.Round(((y * 352) + 392) / 1136, 5)}]");
    }

    /// <summary>Per-pixel median of 35 frames spread over the video: what stays put (the road), without what moves.</summary>
    private static Mat MedianOf(string video)
    {
        var frames = new List<Mat>();
        using (var capture = new VideoCapture(video))
        {
            using var frame = new Mat();
            while (capture.Read(frame) && !frame.Empty())
            {
                frames.Add(frame.Clone());
            }
        }

        var picked = frames.Where((_, i) => i % Math.Max(1, frames.Count / 35) == 0).Take(35).ToList();
        var bytes = picked.Select(f => { f.GetArray(out Vec3b[] pixels); return pixels; }).ToList();
        var median = new Vec3b[bytes[0].Length];
        var values = new byte[picked.Count];
        for (var p = 0; p < median.Length; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var k = 0; k < picked.Count; k++)
                {
                    values[k] = bytes[k][p][c];
                }

                Array.Sort(values);
                median[p][c] = values[values.Length / 2];
            }
        }

        var result = new Mat(frames[0].Rows, frames[0].Cols, MatType.CV_8UC3);
        result.SetArray(median);
        frames.ForEach(f => f.Dispose());
        return result;
    }

    private static async Task FfmpegAsync(params string[] arguments)
    {
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-nostdin", "-y", .. arguments]) { RedirectStandardError = true })!;
        var error = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg {string.Join(' ', arguments)}: {error}");
    }

    private static async Task<(int Width, int Height, string Fps)> ProbeAsync(string video)
    {
        using var ffprobe = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,r_frame_rate", "-of", "csv=p=0", video]) { RedirectStandardOutput = true })!;
        var fields = (await ffprobe.StandardOutput.ReadToEndAsync()).Trim().Split(',');
        await ffprobe.WaitForExitAsync();
        return (int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture), fields[2]);
    }

    /// <summary>A point of a scene file: [x, y] in 0–1.</summary>
    [GeneratedRegex(@"\[\s*([0-9.]+)\s*,\s*([0-9.]+)\s*\]")]
    private static partial Regex PointPattern();
}
