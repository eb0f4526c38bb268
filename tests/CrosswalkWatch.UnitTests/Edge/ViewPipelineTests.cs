using CrosswalkWatch.Detector.CameraView;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Edge.Pipeline;
using CrosswalkWatch.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using static CrosswalkWatch.Testing.Script;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>
/// The view check inside the camera pipeline, on a textured picture that the test shifts as a knocked camera would
/// shift: a candidate is handed on only once a check after it found the view sound; a knock before that drops it;
/// a moved camera detects nothing and resumes when put right; a saved scene is taken up with a new reference; the
/// reference outlives a restart for the same scene only.
/// </summary>
public sealed class ViewPipelineTests : IDisposable
{
    private const double Fps = 5;
    private static readonly ViewCheckSettings EverySecond = new(1, new ViewLimits());
    private static readonly Lazy<Mat> Texture = new(MakeTexture);
    private readonly TempFolder _data = new();

    /// <summary>The walker stands in the lane of a car that passes it: one violation, the car off the crosswalk at about 5 s.</summary>
    private static readonly ScriptedObject[] Violation = [Southbound(1, from: 2), Walker(2, (0, 0.56, 0.61), (12, 0.56, 0.61))];

    [Fact]
    public void Process_SoundView_HandsTheCandidateOnAtTheNextCheck()
    {
        using var plain = new CameraPipeline("cam1", new ScriptedDetector(Violation), ScriptedScene.Model(), new YieldRuleSettings());
        using var watched = Watched(Violation);

        var expected = Assert.Single(Run(plain, seconds: 10, knock: null, out var ruledAt));
        var candidate = Assert.Single(Run(watched, seconds: 10, knock: null, out var handedAt));

        Assert.Equal(expected.VehicleTrackId, candidate.VehicleTrackId);
        Assert.Equal(expected.Leaving.At, candidate.Leaving.At);
        Assert.InRange((handedAt[0] - ruledAt[0]).TotalSeconds, 0, 1.01); // held after the rule gave it until the next check, a second at most
        Assert.Equal(ViewState.Ok, watched.View!.State);
        Assert.Equal(0, watched.Dropped);
    }

    [Fact]
    public void Process_KnockedAsTheCarLeaves_DropsTheCandidateAndPauses()
    {
        using var plain = new CameraPipeline("cam1", new ScriptedDetector(Violation), ScriptedScene.Model(), new YieldRuleSettings());
        var left = Assert.Single(Run(plain, seconds: 10, knock: null, out _)).Leaving.At;
        var detector = new CountingDetector(new ScriptedDetector(Violation));
        using var watched = Watched(detector);

        // Knocked 40 px to the right a second before the car leaves the crosswalk.
        var candidates = Run(watched, seconds: 10, knock: (left - Start).TotalSeconds - 1, out _);

        Assert.Empty(candidates);
        Assert.Equal(1, watched.Dropped);
        Assert.Equal(ViewState.Moved, watched.View!.State);
        Assert.Equal(40 / 640.0, watched.View.Shift!.X, 0.005);
        Assert.True(detector.Runs < 10 * Fps, $"{detector.Runs} detector runs: a moved camera must not be detected on");
    }

    [Fact]
    public void Process_PutRight_ResumesAndCatchesTheNextViolation()
    {
        // Knocked at 1.5 s and put right at 4.5 s, before the car comes at 6 s: the car is judged with a fresh tracker and rule.
        var late = new[] { Southbound(1, from: 6), Walker(2, (0, 0.56, 0.61), (16, 0.56, 0.61)) };
        using var watched = Watched(late);

        var candidates = Run(watched, seconds: 14, knock: 1.5, out _, putRight: 4.5);

        Assert.Single(candidates);
        Assert.Equal(ViewState.Ok, watched.View!.State);
    }

    [Fact]
    public void Process_SceneSavedWhileMoved_TakesTheNewSceneAndANewReference()
    {
        var scene = _data.File("cam1.yaml");
        File.WriteAllText(scene, ScriptedScene.Yaml);
        using var watched = Watched(Violation, scene);
        Run(watched, seconds: 4, knock: 1, out _);
        Assert.Equal(ViewState.Moved, watched.View!.State);

        // The operator shifts the drawing to the moved view and saves it.
        File.WriteAllText(scene, ScriptedScene.Yaml + "\n# shifted\n");
        File.SetLastWriteTimeUtc(scene, DateTime.UtcNow.AddSeconds(5));
        Run(watched, seconds: 4, knock: 0, out _, from: 4);

        Assert.Equal(ViewState.Ok, watched.View.State);
        var info = ViewReferenceFile.ReadInfo(_data.Path, "cam1")!;
        Assert.Equal(CrosswalkWatch.Config.SceneLoader.VersionOf(File.ReadAllText(scene)), info.SceneVersion);
        Assert.True(File.Exists(ViewReferenceFile.LivePath(_data.Path, "cam1")));
    }

    [Fact]
    public void ViewWatch_RestartWithTheSameScene_KeepsTheReferenceAndAnotherSceneTakesANewOne()
    {
        var scene = _data.File("cam1.yaml");
        File.WriteAllText(scene, ScriptedScene.Yaml);
        using (var first = Watched([], scene))
        {
            Run(first, seconds: 2, knock: null, out _);
        }

        var taken = ViewReferenceFile.ReadInfo(_data.Path, "cam1")!.TakenAt;
        using (var again = Watched([], scene))
        {
            Assert.Equal(taken, again.View!.ReferenceAt);
            Run(again, seconds: 4, knock: 0, out _, from: 10); // the camera was knocked while the box was down
            Assert.Equal(ViewState.Moved, again.View.State);
        }

        File.AppendAllText(scene, "\n# redrawn\n");
        using var redrawn = Watched([], scene);
        Assert.Null(redrawn.View!.ReferenceAt);
    }

    [Fact]
    public void ViewWatch_UnreadableReference_IsTakenAgain()
    {
        var scene = _data.File("cam1.yaml");
        File.WriteAllText(scene, ScriptedScene.Yaml);
        Directory.CreateDirectory(ViewReferenceFile.Folder(_data.Path));
        File.WriteAllText(ViewReferenceFile.InfoPath(_data.Path, "cam1"), "{ not json");

        using var watched = Watched([], scene);
        Run(watched, seconds: 2, knock: null, out _);

        Assert.Equal(ViewState.Ok, watched.View!.State);
        Assert.NotNull(ViewReferenceFile.ReadInfo(_data.Path, "cam1"));
    }

    public void Dispose() => _data.Dispose();

    private CameraPipeline Watched(ScriptedObject[] objects, string? scene = null) => Watched(new CountingDetector(new ScriptedDetector(objects)), scene);

    private CameraPipeline Watched(CountingDetector detector, string? scene = null) =>
        new("cam1", detector, ScriptedScene.Model(), new YieldRuleSettings(), view: new ViewWatch("cam1", _data.Path, scene, EverySecond, new YieldRuleSettings(), NullLogger.Instance));

    /// <summary>
    /// Frames at 5 fps of the texture from <paramref name="from"/> to <paramref name="from"/> + <paramref name="seconds"/>,
    /// shifted 40 px right from <paramref name="knock"/> on (until <paramref name="putRight"/>), flushed at the end.
    /// </summary>
    private static List<ViolationCandidate> Run(CameraPipeline pipeline, double seconds, double? knock, out List<DateTimeOffset> handedAt, double? putRight = null, double from = 0)
    {
        var pool = new FramePool();
        var candidates = new List<ViolationCandidate>();
        handedAt = [];
        for (var n = 0; n <= (int)Math.Round(seconds * Fps); n++)
        {
            var t = from + (n / Fps);
            var shifted = knock is { } k && t >= k && !(putRight is { } p && t >= p);
            using var frame = pool.Rent("cam1", 640, 360);
            Paint(frame, shifted ? 40 : 0);
            frame.Sequence = n + 1;
            frame.CapturedAt = Start.AddSeconds(t);
            foreach (var candidate in pipeline.Process(frame))
            {
                candidates.Add(candidate);
                handedAt.Add(frame.CapturedAt);
            }
        }

        candidates.AddRange(pipeline.Flush());
        Assert.Equal(0, pool.Outstanding);
        return candidates;
    }

    private static void Paint(Frame frame, int dx)
    {
        // The camera looks at a window of a wider street: turned left by dx, the street shows dx further right.
        using var window = new Mat(Texture.Value, new Rect(40 - dx, 0, 640, 360));
        using var picture = window.Clone();
        System.Runtime.InteropServices.Marshal.Copy(picture.Data, frame.Buffer, 0, frame.Length);
    }

    /// <summary>A picture with detail at every scale, as a street has: blurred noise over a few blocks.</summary>
    private static Mat MakeTexture()
    {
        var texture = new Mat(360, 720, MatType.CV_8UC3);
        var random = new Random(11);
        var noise = new byte[360 * 720 * 3];
        random.NextBytes(noise);
        System.Runtime.InteropServices.Marshal.Copy(noise, 0, texture.Data, noise.Length);
        Cv2.GaussianBlur(texture, texture, new Size(0, 0), 4);
        Cv2.Normalize(texture, texture, 0, 255, NormTypes.MinMax); // the blurred noise stretched to full contrast, as a street's detail
        for (var i = 0; i < 60; i++)
        {
            texture.Rectangle(new Rect(random.Next(680), random.Next(330), 20 + random.Next(80), 10 + random.Next(40)), Scalar.All(random.Next(256)), -1);
        }

        return texture;
    }
}
