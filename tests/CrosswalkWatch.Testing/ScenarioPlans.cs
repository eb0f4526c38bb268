using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Scenarios;
using OpenCvSharp;

namespace CrosswalkWatch.Testing;

/// <summary>
/// Scenario clips' ground truth without footage, models or rendering: the generator's scripts on the generated
/// scene with plain drawn cut-outs (a person 60×160, a car 220×110) and the size models fitted on the sample footage.
/// </summary>
internal sealed class ScenarioPlans : IDisposable
{
    /// <summary>The generated scene (<c>samples/scenes/rox_crosswalk_elevated_generated.yaml</c>).</summary>
    public static readonly SceneDefinition Scene = SceneLoader.Load(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated_generated.yaml"));

    /// <summary>The scene the turning kinds need (<c>samples/scenes/rox_crosswalk_elevated_turning.yaml</c>).</summary>
    public static readonly SceneDefinition TurningScene = SceneLoader.Load(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated_turning.yaml"));

    private readonly AssetLibrary _assets;
    private readonly Mat _background = new();

    public ScenarioPlans()
    {
        _assets = new AssetLibrary(
            new Mat(),
            [new Cutout("person-0", ObjectClass.Pedestrian, Drawn(60, 160, ellipse: true)), new Cutout("person-1", ObjectClass.Pedestrian, Drawn(56, 150, ellipse: true))],
            [new Cutout("car-0", ObjectClass.MotorVehicle, Drawn(220, 110, ellipse: false))],
            new SizeModel(-0.0985, 0.3682, 0.0712),
            new SizeModel(-0.1266, 0.4260, 0.0476));
    }

    /// <summary>The truth the generator would write for this kind, condition and clip seed (10 fps, 1920×1080).</summary>
    public ClipTruth Plan(ScenarioKind kind, int seed, ScenarioCondition condition = ScenarioCondition.Day, double seconds = 8, SceneDefinition? scene = null)
    {
        var options = new ScenarioOptions("unused", "unused", "unused", "unused", "unused", 1, 1, seconds);
        return new ClipBuilder(options, new ScenePaths(scene ?? (ScenarioGenerator.IsTurning(kind) ? TurningScene : Scene)), _assets, _background, kind, seed, "plan") { Condition = condition }.Plan();
    }

    public void Dispose()
    {
        _assets.Dispose();
        _background.Dispose();
    }

    /// <summary>An opaque shape on a transparent BGRA picture with a 4-pixel margin.</summary>
    private static Mat Drawn(int width, int height, bool ellipse)
    {
        var image = new Mat(height + 8, width + 8, MatType.CV_8UC4, Scalar.All(0));
        var colour = new Scalar(90, 80, 70, 255);
        if (ellipse)
        {
            Cv2.Ellipse(image, new Point(4 + (width / 2), 4 + (height / 2)), new Size(width / 2, height / 2), 0, 0, 360, colour, -1);
        }
        else
        {
            Cv2.Rectangle(image, new Rect(4, 4, width, height), colour, -1);
        }

        return image;
    }
}
