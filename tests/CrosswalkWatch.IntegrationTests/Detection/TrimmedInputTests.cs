using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.IntegrationTests.Detection;

/// <summary>
/// YOLOX-Nano on the letterboxed picture without its padding (<c>detector.trimInput</c>, allowed by the manifest's
/// <c>input.trimTo</c>): a 640 × 352 frame is a 416 × 256 input instead of 416 × 416. It must find what the square
/// input finds, on the real footage, with the real model: the padding it no longer sees held nothing.
/// </summary>
[Collection(UsesDetectionModels.Name)]
public sealed class TrimmedInputTests(DetectionModels models)
{
    [Fact]
    public void OpenSession_Trimmed_LeavesHeightWidthAndAnchorsFree()
    {
        using var session = models.Store.OpenSession(models.Store.Resolve("yolox-nano"), trimmed: true);

        Assert.Equal([1, 3, -1, -1], session.InputMetadata["images"].Dimensions);
        Assert.Equal([1, -1, 85], session.OutputMetadata["output"].Dimensions);
    }

    [Fact]
    public void OpenSession_TrimmedWithAWrongManifestShape_StillNamesTheFilesShape()
    {
        // The freed dimensions are checked against what the file declared, not waved through.
        var store = models.StoreWithManifest(json => json
            .Replace("\"shape\": [1, 3, 416, 416]", "\"shape\": [1, 3, 320, 320]", StringComparison.Ordinal)
            .Replace("\"shape\": [1, 3549, 85]", "\"shape\": [1, 2100, 85]", StringComparison.Ordinal));

        var error = Assert.Throws<ModelException>(() => store.OpenSession(store.Resolve("yolox-nano"), trimmed: true));

        Assert.Contains("input 'images' has shape [1, 3, 416, 416] in the model, the manifest says [1, 3, 320, 320]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_FootageFrames_FindsWhatTheSquareInputFinds()
    {
        Assert.Equal(32, models.Store.Manifest.Models["yolox-nano"].Input.TrimTo);
        using var full = DetectorFactory.Create(models.Store, new DetectorOptions("yolox-nano", IntraOpThreads: 1));
        using var trimmed = DetectorFactory.Create(models.Store, new DetectorOptions("yolox-nano", IntraOpThreads: 1, TrimInput: true));
        var pool = new FramePool();
        var footage = ((OnnxObjectDetector)trimmed).Model.Preprocessor.Place(640, 352);
        Assert.Equal((416, 256), (footage.InputWidth, footage.InputHeight));
        Assert.Equal((416, 416), (((OnnxObjectDetector)full).Model.Preprocessor.Place(640, 352).InputWidth, ((OnnxObjectDetector)full).Model.Preprocessor.Place(640, 352).InputHeight));

        var (found, matched) = (0, 0);
        var unmatched = new List<string>();
        for (var i = 0; i < DetectionModels.SampleCount; i++)
        {
            using var frame = models.RentSample(pool, i);
            var expected = full.Detect(frame).Items.Where(d => d.Score >= 0.5f).ToList();
            var actual = trimmed.Detect(frame).Items;
            foreach (var d in expected)
            {
                found++;
                if (actual.Any(a => a.Class == d.Class && a.Box.IoU(d.Box) >= 0.8f))
                {
                    matched++;
                }
                else
                {
                    unmatched.Add($"frame {i}: {d.Class} {d.Score:0.00} at {d.Box}");
                }
            }
        }

        Assert.True(found >= 20, $"only {found} confident objects in the square input's results: the samples are not the footage");
        Assert.True(matched >= found - 1, $"{matched} of {found} confident objects found again with the trimmed input; missing: {string.Join("; ", unmatched)}");
    }

    [Theory]
    [InlineData("\"trimTo\": 32", "\"trimTo\": 100", "models.yolox-nano.input.trimTo: expected a multiple that divides the input's height and width (416 × 416), got 100")]
    [InlineData("\"resize\": \"letterbox-top-left\"", "\"resize\": \"letterbox-centred\"", "models.yolox-nano.input.trimTo: only a letterbox at the top left")]
    public void Load_TrimToThatCannotWork_FailsNamingTheKey(string from, string to, string expected)
    {
        var error = Assert.Throws<ModelException>(() => models.StoreWithManifest(json => json.Replace(from, to, StringComparison.Ordinal)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_NearSquareRegion_UsesTheFullInput()
    {
        // A detect region as tall as it is wide fills the square input: nothing to trim, the same model shape.
        using var trimmed = DetectorFactory.Create(models.Store, new DetectorOptions("yolox-nano", IntraOpThreads: 1, TrimInput: true));
        var pool = new FramePool();
        using var frame = models.RentSample(pool, 0);
        var region = new Box(0.2f, 0, 0.75f, 1); // 352 × 352 pixels of a 640 × 352 frame
        var found = trimmed.Detect(frame, region);
        Assert.All(found.Items, d => Assert.True(d.Box.X1 >= 0.19f && d.Box.X2 <= 0.76f, $"{d.Box} outside the region"));
    }
}
