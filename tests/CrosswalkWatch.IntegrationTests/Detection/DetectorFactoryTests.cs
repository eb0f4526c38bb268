using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;

namespace CrosswalkWatch.IntegrationTests.Detection;

[Collection(UsesDetectionModels.Name)]
public sealed class DetectorFactoryTests(DetectionModels models)
{
    /// <summary>A change to the repository manifest, and what the load error must say.</summary>
    public static TheoryData<string, string, string, string[]> WrongManifests => new()
    {
        {
            "yolox-nano", "\"decoder\": \"yolox\"", "\"decoder\": \"fastestdet\"",
            ["'yolox-nano'", "models.yolox-nano.output.shape", "decoder 'fastestdet' reads [1, 5 + labels, grid height, grid width]", "[1, 3549, 85]"]
        },
        {
            "fastestdet", "\"decoder\": \"fastestdet\"", "\"decoder\": \"yolox\",\n        \"strides\": [8, 16, 32]",
            ["models.fastestdet.output.shape", "decoder 'yolox' reads [1, anchors, 5 + labels] = [1, 2541, 85]", "[1, 85, 22, 22]"]
        },
        {
            "yolox-nano", "\"decoder\": \"yolox\"", "\"decoder\": \"ctc\"",
            ["models.yolox-nano.output.decoder", "'ctc' is not an object detector's decoder", "detector models in this manifest: fastestdet"]
        },
        {
            "yolox-nano", "\"resize\": \"letterbox-top-left\",\n        \"padValue\": 114,\n        \"trimTo\": 32", "\"resize\": \"fixed-height-pad-right\",\n        \"padValue\": 114",
            ["models.yolox-nano.input.resize", "'fixed-height-pad-right'"]
        },
        {
            "yolox-nano", "\"strides\": [8, 16, 32]", "\"strides\": [8, 16]",
            ["models.yolox-nano.output.shape", "[1, 3380, 85]", "the manifest says [1, 3549, 85]"]
        },
        {
            "yolox-nano", "\"shape\": [1, 3, 416, 416]", "\"shape\": [1, 3, 320, 320]",
            ["models.yolox-nano.output.shape", "for a 320x320 input", "[1, 2100, 85]"]
        },
        {
            // Consistent with its decoder, but not what the ONNX file takes: caught when the session opens.
            "yolox-nano", "\"name\": \"images\"", "\"name\": \"image\"",
            ["'yolox-nano'", "the manifest names input 'image'", "'images' [1, 3, 416, 416]"]
        },
    };

    [Theory]
    [MemberData(nameof(WrongManifests))]
    public void Create_ManifestNotMatchingTheModel_FailsAtLoadWithClearMessage(string key, string from, string to, string[] expected)
    {
        ModelStore store = models.StoreWithManifest(json => json.Replace(from, to, StringComparison.Ordinal));

        var error = Assert.Throws<ModelException>(() => DetectorFactory.Create(store, new DetectorOptions(key)));

        foreach (string part in expected)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Create_PlateDetectorKey_FailsNamingTheDetectorModels()
    {
        var error = Assert.Throws<ModelException>(() => DetectorFactory.Create(models.Store, new DetectorOptions("plate-detector-320")));

        Assert.Contains("'plate-corners' is not an object detector's decoder", error.Message, StringComparison.Ordinal);
        Assert.Contains("detector models in this manifest: yolox-nano, fastestdet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownKey_ListsTheManifestKeys()
    {
        var error = Assert.Throws<ModelException>(() => DetectorFactory.Create(models.Store, new DetectorOptions("yolov8")));

        Assert.Contains("'yolov8'", error.Message, StringComparison.Ordinal);
        Assert.Contains("yolox-nano", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0.35f, 0.45f)]
    [InlineData(65, 0.35f, 0.45f)]
    [InlineData(2, 0f, 0.45f)]
    [InlineData(2, 1.5f, 0.45f)]
    [InlineData(2, 0.35f, 0f)]
    [InlineData(2, 0.35f, float.NaN)]
    public void Create_OptionOutOfBounds_Throws(int threads, float score, float iou)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => DetectorFactory.Create(models.Store, new DetectorOptions("yolox-nano", threads, score, iou)));
    }

    [Theory]
    [InlineData("yolox-nano", 416, 416, ResizeMode.LetterboxTopLeft)]
    [InlineData("fastestdet", 352, 352, ResizeMode.Stretch)]
    public void Create_DetectorKey_TakesItsConstantsFromTheManifest(string key, int width, int height, ResizeMode resize)
    {
        using IObjectDetector detector = DetectorFactory.Create(models.Store, new DetectorOptions(key, IntraOpThreads: 1));

        DetectorModel model = ((OnnxObjectDetector)detector).Model;
        Assert.Equal(key, detector.ModelKey);
        Assert.Equal((width, height, resize), (model.Preprocessor.Width, model.Preprocessor.Height, model.Preprocessor.Mode));
        Assert.Equal(80, model.Labels.Count);
    }
}
