using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.UnitTests.Detection;

/// <summary>Letterbox geometry and tensor filling for each resize mode, with the inputs of the repository manifest.</summary>
public sealed class PreprocessTests
{
    private static readonly Lazy<ModelManifest> Manifest = new(() => ModelManifest.Load(TestAssets.ManifestPath));

    /// <summary>
    /// Mode, frame size, region (or none), model input size, a box normalised to the frame, and where it must land in
    /// model-input pixels (worked by hand).
    /// </summary>
    public static TheoryData<ResizeMode, int, int, Box?, int, Box, Box> Mappings => new()
    {
        // YOLOX: 640x352 → 416: r = 0.65, image 416x229 at the top-left.
        { ResizeMode.LetterboxTopLeft, 640, 352, null, 416, new Box(0.25f, 0.5f, 0.5f, 1f), new Box(104, 114.4f, 208, 228.8f) },
        // YOLOX on the lower middle half: crop 160,176 320x176 → r = 1.3.
        { ResizeMode.LetterboxTopLeft, 640, 352, new Box(0.25f, 0.5f, 0.75f, 1f), 416, new Box(0.25f, 0.5f, 0.5f, 0.75f), new Box(0, 0, 208, 114.4f) },
        // FastestDet: 640x352 → 352x352, x scaled by 0.55, y by 1.
        { ResizeMode.Stretch, 640, 352, null, 352, new Box(0.25f, 0.5f, 0.5f, 1f), new Box(88, 176, 176, 352) },
        { ResizeMode.Stretch, 640, 352, new Box(0.5f, 0f, 1f, 0.5f), 352, new Box(0.75f, 0.25f, 1f, 0.5f), new Box(176, 176, 352, 352) },
        // HyperLPR plates: 640x352 → 320: r = 0.5, image 320x176 centred, 72 rows of pad above.
        { ResizeMode.LetterboxCentred, 640, 352, null, 320, new Box(0.25f, 0.5f, 0.5f, 1f), new Box(80, 160, 160, 248) },
        // A tall crop 100x200 → 320: r = 1.6, image 160x320 centred, 80 columns of pad on the left.
        { ResizeMode.LetterboxCentred, 1000, 1000, new Box(0.1f, 0.1f, 0.2f, 0.3f), 320, new Box(0.1f, 0.2f, 0.2f, 0.3f), new Box(80, 160, 240, 320) },
    };

    /// <summary>Model key, and the first-plane value expected in the image and in the padding (null when nothing is padded).</summary>
    public static TheoryData<string, float, float?> Inputs => new()
    {
        // BGR, raw 0–255, pad 114: plane 0 is blue.
        { "yolox-nano", 10f, 114f },
        // BGR /255, no pad.
        { "fastestdet", 10f / 255, null },
        // RGB /255, pad 0: plane 0 is red.
        { "plate-detector-320", 30f / 255, 0f },
    };

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Letterbox_FrameBox_LandsInModelSpaceAndMapsBack(
        ResizeMode mode, int frameWidth, int frameHeight, Box? region, int input, Box frameBox, Box expectedModel)
    {
        PixelRect crop = PixelRect.FromRegion(region, frameWidth, frameHeight);
        Letterbox letterbox = Letterbox.Compute(mode, crop, frameWidth, frameHeight, input, input);

        Box model = letterbox.ToModel(frameBox);
        Box back = letterbox.ToFrame(model);

        AssertClose(expectedModel, model, 0.5f);
        AssertClose(frameBox, back, 1e-4f);
    }

    /// <summary>Crop size, trim multiple, and the input size and resized picture expected in a 416 × 416 top-left letterbox.</summary>
    public static TheoryData<int, int, int, int, int, int, int> Trims => new()
    {
        // A 16:9 frame: 416 × 234 of picture, 22 rows of padding where there were 182.
        { 640, 360, 32, 416, 256, 416, 234 },
        // The sample footage, 640 × 352: 416 × 229 in 416 × 256.
        { 640, 352, 32, 416, 256, 416, 229 },
        // A portrait crop is cut on the other side.
        { 360, 640, 32, 256, 416, 234, 416 },
        // A square crop fills the input: nothing to cut.
        { 500, 500, 32, 416, 416, 416, 416 },
        // No trimming: the full input, as before.
        { 640, 360, 0, 416, 416, 416, 234 },
    };

    [Theory]
    [MemberData(nameof(Trims))]
    public void Letterbox_TrimTo_CutsThePaddingDownToTheMultiple(int width, int height, int trim, int inputWidth, int inputHeight, int resizedWidth, int resizedHeight)
    {
        Letterbox letterbox = Letterbox.Compute(ResizeMode.LetterboxTopLeft, new PixelRect(0, 0, width, height), width, height, 416, 416, trim);

        Assert.Equal((inputWidth, inputHeight, resizedWidth, resizedHeight, 0, 0), (letterbox.InputWidth, letterbox.InputHeight, letterbox.ResizedWidth, letterbox.ResizedHeight, letterbox.PadX, letterbox.PadY));
    }

    [Fact]
    public void Letterbox_BoxInThePadding_IsClampedToTheFrame()
    {
        Letterbox letterbox = Letterbox.Compute(ResizeMode.LetterboxCentred, new PixelRect(0, 0, 640, 352), 640, 352, 320, 320);

        Box mapped = letterbox.ToFrame(new Box(-20, 0, 400, 100));

        Assert.Equal(new Box(0, 0, 1, (100f - 72) / 176), mapped);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Run_UniformFrame_FillsImageAndPaddingPerManifest(string key, float image, float? pad)
    {
        ModelInput input = Manifest.Value.Models[key].Input;
        var preprocessor = new Preprocessor(input);
        var pool = new FramePool();
        var scratch = new CountingArrayPool<byte>();
        using Frame frame = pool.Rent("uniform", 640, 352);
        Span<byte> pixels = frame.Pixels;
        for (int i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = ((byte)10, (byte)20, (byte)30);
        }

        float[] tensor = new float[preprocessor.TensorLength];
        Letterbox letterbox = preprocessor.Run(frame, new PixelRect(0, 0, 640, 352), tensor, scratch);

        int width = letterbox.InputWidth; // a trimmed input (YOLOX) is smaller than the model's full size
        int height = letterbox.InputHeight;
        float inside = tensor[((letterbox.PadY + (letterbox.ResizedHeight / 2)) * width) + letterbox.PadX + (letterbox.ResizedWidth / 2)];
        Assert.Equal(image, inside, 1e-5f);
        Assert.Equal(20f * (float)input.Scale, tensor[(width * height) + ((letterbox.PadY + 1) * width) + letterbox.PadX + 1], 1e-5f);
        Assert.Equal(pad is null, letterbox.ResizedWidth == width && letterbox.ResizedHeight == height);
        if (pad is { } padValue)
        {
            // The corner opposite the image's top-left is always padding for these 640x352 frames.
            Assert.Equal(padValue, tensor[((height - 1) * width) + width - 1], 1e-5f);
            Assert.Equal(padValue, tensor[(height - 1) * width], 1e-5f);
        }

        Assert.Equal(0, scratch.Outstanding);
        Assert.Equal(1, pool.Outstanding);
    }

    [Fact]
    public void Run_CropAlreadyModelSized_ReadsFramePixelsInPlace()
    {
        var preprocessor = new Preprocessor(Manifest.Value.Models["fastestdet"].Input);
        var pool = new FramePool();
        var scratch = new CountingArrayPool<byte>();
        using Frame frame = pool.Rent("big", 800, 600);
        frame.Pixels.Clear();
        // A 352x352 crop at (100, 50) whose first pixel is (255, 0, 0) and whose last is (0, 0, 255).
        int first = (50 * frame.Stride) + (100 * 3);
        int last = ((50 + 351) * frame.Stride) + ((100 + 351) * 3);
        frame.Pixels[first] = 255;
        frame.Pixels[last + 2] = 255;
        float[] tensor = new float[preprocessor.TensorLength];

        Letterbox letterbox = preprocessor.Run(frame, PixelRect.FromRegion(new Box(100f / 800, 50f / 600, 452f / 800, 402f / 600), 800, 600), tensor, scratch);

        int plane = 352 * 352;
        Assert.Equal((352, 352), (letterbox.ResizedWidth, letterbox.ResizedHeight));
        Assert.Equal(1f, tensor[0], 1e-6f);
        Assert.Equal(0f, tensor[2 * plane]);
        Assert.Equal(1f, tensor[(2 * plane) + plane - 1], 1e-6f);
        Assert.Equal(0f, tensor[plane - 1]);
    }

    private static void AssertClose(Box expected, Box actual, float tolerance) =>
        Assert.True(
            Math.Abs(expected.X1 - actual.X1) <= tolerance && Math.Abs(expected.Y1 - actual.Y1) <= tolerance
            && Math.Abs(expected.X2 - actual.X2) <= tolerance && Math.Abs(expected.Y2 - actual.Y2) <= tolerance,
            $"expected {expected}, got {actual} (tolerance {tolerance})");
}
