using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.UnitTests.Detection;


/// <summary>Each decoder on a hand-made output with one lit cell, laid out as the manifest and the models' READMEs say.</summary>
public sealed class DecoderTests
{
    private const int Person = 0;
    private const int Car = 2;
    private const int Bus = 5;
    private const int TrafficLight = 9;

    private static readonly Lazy<ModelManifest> Manifest = new(() => ModelManifest.Load(TestAssets.ManifestPath));

    private static readonly Lazy<string[]> Coco = new(() =>
        File.ReadAllLines(Path.Combine(TestAssets.AssetsRoot, "models", "detector", "coco.names")));

    [Fact]
    public void Decode_YoloxAnchorAtStride16_GridDecodesAndKeepsMappedClasses()
    {
        DetectorModel model = DetectorModel.Create("yolox-nano", Manifest.Value.Models["yolox-nano"], Coco.Value, Manifest.Value);
        float[] output = new float[model.OutputLength];
        // Stride 16 starts after the 52x52 stride-8 grid; cell (gx 3, gy 2) of the 26x26 grid.
        int anchor = (52 * 52) + (2 * 26) + 3;
        Span<float> cell = output.AsSpan(anchor * 85, 85);
        (cell[0], cell[1], cell[2], cell[3], cell[4]) = (0.5f, 0.25f, MathF.Log(2), MathF.Log(4), 0.9f);
        (cell[5 + Person], cell[5 + Car]) = (0.8f, 0.5f);

        DetectedObject[] found = Decode(model, output, 0.35f);

        Assert.Equal([new DetectedObject(Box.FromCenter(56, 36, 32, 64), 0.9f * 0.8f, ObjectClass.Pedestrian, Person)], found);
    }

    [Fact]
    public void Decode_YoloxAnchorWhoseBestLabelIsUnmapped_IsDropped()
    {
        DetectorModel model = DetectorModel.Create("yolox-nano", Manifest.Value.Models["yolox-nano"], Coco.Value, Manifest.Value);
        float[] output = new float[model.OutputLength];
        Span<float> cell = output.AsSpan(100 * 85, 85);
        (cell[4], cell[5 + Person], cell[5 + TrafficLight]) = (0.9f, 0.8f, 0.95f);

        Assert.Empty(Decode(model, output, 0.35f));
    }

    [Fact]
    public void Decode_YoloxBelowThreshold_FindsNothing()
    {
        DetectorModel model = DetectorModel.Create("yolox-nano", Manifest.Value.Models["yolox-nano"], Coco.Value, Manifest.Value);
        float[] output = new float[model.OutputLength];
        Span<float> cell = output.AsSpan(0, 85);
        (cell[4], cell[5 + Person]) = (0.5f, 0.6f);

        Assert.Empty(Decode(model, output, 0.35f));
    }

    [Fact]
    public void Decode_FastestDetCell_DecodesPlanesAndScoreFormula()
    {
        DetectorModel model = DetectorModel.Create("fastestdet", Manifest.Value.Models["fastestdet"], Coco.Value, Manifest.Value);
        float[] output = new float[model.OutputLength];
        int plane = 22 * 22;
        int i = (7 * 22) + 5;
        output[i] = 0.8f;                              // obj
        output[plane + i] = 0;                         // tanh(0) = 0: cx = 5/22
        output[(2 * plane) + i] = 100;                 // tanh → 1: cy = 8/22
        output[(3 * plane) + i] = 0;                   // sigmoid(0) = 0.5 of the width
        output[(4 * plane) + i] = MathF.Log(3);        // sigmoid = 0.75 of the height
        output[((5 + Bus) * plane) + i] = 0.9f;
        output[((5 + Car) * plane) + i] = 0.05f;

        DetectedObject[] found = Decode(model, output, 0.35f);

        DetectedObject bus = Assert.Single(found);
        Assert.Equal((ObjectClass.MotorVehicle, Bus), (bus.Class, bus.Label));
        Assert.Equal(MathF.Pow(0.8f, 0.6f) * MathF.Pow(0.9f, 0.4f), bus.Score, 1e-5f);
        Box expected = Box.FromCenter(5f / 22 * 352, 8f / 22 * 352, 176, 264);
        Assert.Equal(expected.X1, bus.Box.X1, 1e-3f);
        Assert.Equal(expected.Y1, bus.Box.Y1, 1e-3f);
        Assert.Equal(expected.X2, bus.Box.X2, 1e-3f);
        Assert.Equal(expected.Y2, bus.Box.Y2, 1e-3f);
    }

    [Fact]
    public void Decode_EmptyOutput_FindsNothing()
    {
        DetectorModel model = DetectorModel.Create("fastestdet", Manifest.Value.Models["fastestdet"], Coco.Value, Manifest.Value);

        Assert.Empty(Decode(model, new float[model.OutputLength], 0.01f));
    }

    private static DetectedObject[] Decode(DetectorModel model, float[] output, float threshold)
    {
        var pool = new CountingArrayPool<DetectedObject>();
        DetectedObject[] found;
        using (var candidates = new DetectionBuffer(pool, initialCapacity: 1))
        {
            model.Decoder.Decode(output, threshold, candidates);
            found = candidates.Span.ToArray();
        }

        Assert.Equal(0, pool.Outstanding);
        return found;
    }
}
