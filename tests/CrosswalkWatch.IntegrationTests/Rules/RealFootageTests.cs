using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.IntegrationTests.Rules;

/// <summary>The real model, the real footage and its committed scene file, end to end.</summary>
public class RealFootageTests : IClassFixture<DetectionModels>
{
    private readonly DetectionModels _models;

    public RealFootageTests(DetectionModels models) => _models = models;

    [Fact]
    public void Detect_RealFootageWithItsScene_FindsPersonsOnTheCrosswalk()
    {
        var scene = new SceneModel(SceneLoader.Load(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml")));
        using var detector = DetectorFactory.Create(_models.Store, new DetectorOptions());
        var pool = new FramePool();
        var framesWithSomeoneOnTheCrosswalk = 0;
        for (var i = 0; i < DetectionModels.SampleCount; i++)
        {
            using var frame = _models.RentSample(pool, i);
            var onCrosswalk = detector.Detect(frame).Items.Count(d =>
                d.Class == ObjectClass.Pedestrian && scene.OnCrosswalk(new Point2(d.Box.BottomCenter.X, d.Box.BottomCenter.Y)));
            framesWithSomeoneOnTheCrosswalk += onCrosswalk > 0 ? 1 : 0;
        }

        Assert.True(framesWithSomeoneOnTheCrosswalk >= 4, $"persons on the crosswalk in {framesWithSomeoneOnTheCrosswalk} of {DetectionModels.SampleCount} sampled frames");
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Replay_RealFootage_TracksPedestriansAndVehiclesAndSummarises()
    {
        var result = await CwwProcess.RunAsync(
            TimeSpan.FromMinutes(3),
            "replay", TestAssets.CrosswalkFootage, "--scene", Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml"));

        Assert.True(result.ExitCode == 0, result.All);
        var summary = System.Text.Json.JsonDocument.Parse(result.Output.Trim().Split('\n')[^1]).RootElement;
        Assert.InRange(summary.GetProperty("frames").GetInt32(), 55, 70); // 13 s at 5 fps
        Assert.InRange(summary.GetProperty("tracks").GetProperty("pedestrian").GetInt32(), 4, 30);
        Assert.InRange(summary.GetProperty("tracks").GetProperty("motorVehicle").GetInt32(), 1, 12);
        Assert.Equal("ended", summary.GetProperty("state").GetString());
    }
}
