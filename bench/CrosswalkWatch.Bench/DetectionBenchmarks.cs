using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace CrosswalkWatch.Bench;

/// <summary>
/// The object detector's per-frame work on a real 640×352 frame of the sample footage, YOLOX-Nano with 2 intra-op
/// threads: preprocess, inference and postprocess each beside the plain hand-written way it replaces, and the whole
/// <see cref="IObjectDetector.Detect"/> for both models.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DetectionBenchmarks
{
    private const int Threads = 2;
    private const float ScoreThreshold = 0.35f;
    private const float NmsIoU = 0.45f;

    private readonly FramePool _pool = new();
    private Frame _frame = null!;
    private GCHandle _framePin;
    private Mat _frameMat = null!;
    private OnnxObjectDetector _yolox = null!;
    private OnnxObjectDetector _fastestDet = null!;
    private OnnxObjectDetector _yoloxTrimmed = null!;
    private SessionOptions _bareOptions = null!;
    private InferenceSession _bareSession = null!;
    private float[] _input = null!;
    private float[] _output = null!;
    private Letterbox _letterbox;
    private ModelShape _shape = null!;
    private string[] _labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        ModelStore store = BenchModels.Install();

        _yolox = (OnnxObjectDetector)DetectorFactory.Create(store, new DetectorOptions("yolox-nano", Threads, ScoreThreshold, NmsIoU));
        _fastestDet = (OnnxObjectDetector)DetectorFactory.Create(store, new DetectorOptions("fastestdet", Threads, ScoreThreshold, NmsIoU));
        _yoloxTrimmed = (OnnxObjectDetector)DetectorFactory.Create(store, new DetectorOptions("yolox-nano", Threads, ScoreThreshold, NmsIoU, TrimInput: true));
        _bareOptions = ModelStore.CreateSessionOptions(Threads);
        _bareSession = store.OpenSession("yolox-nano", _bareOptions);
        _labels = [.. _yolox.Model.Labels];

        _frame = ReadFrame(Assets.SampleFootage(), index: 83);
        _framePin = GCHandle.Alloc(_frame.Buffer, GCHandleType.Pinned);
        _frameMat = Mat.FromPixelData(_frame.Height, _frame.Width, MatType.CV_8UC3, _framePin.AddrOfPinnedObject(), _frame.Stride);

        _input = new float[_yolox.Model.InputLength];
        _output = new float[_yolox.Model.OutputLength];
        _letterbox = _yolox.Preprocess(_frame, new PixelRect(0, 0, _frame.Width, _frame.Height), _input);
        _shape = _yolox.Model.ShapeFor(_letterbox);
        _yolox.Infer(_input, _output, _shape);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _frameMat.Dispose();
        _framePin.Free();
        _frame.Dispose();
        _bareSession.Dispose();
        _bareOptions.Dispose();
        _yolox.Dispose();
        _fastestDet.Dispose();
        _yoloxTrimmed.Dispose();
    }

    [Benchmark(Baseline = true, Description = "naive: resize to new Mat, Mat.At<Vec3b> per pixel into new float[]")]
    [BenchmarkCategory("preprocess")]
    public float PreprocessNaive()
    {
        const int Size = 416;
        double r = Math.Min((double)Size / _frame.Width, (double)Size / _frame.Height);
        int width = (int)Math.Round(_frame.Width * r);
        int height = (int)Math.Round(_frame.Height * r);
        using var resized = new Mat();
        Cv2.Resize(_frameMat, resized, new OpenCvSharp.Size(width, height), 0, 0, InterpolationFlags.Linear);
        var tensor = new float[3 * Size * Size];
        Array.Fill(tensor, 114f);
        int plane = Size * Size;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Vec3b pixel = resized.At<Vec3b>(y, x);
                tensor[(y * Size) + x] = pixel.Item0;
                tensor[plane + (y * Size) + x] = pixel.Item1;
                tensor[(2 * plane) + (y * Size) + x] = pixel.Item2;
            }
        }

        return tensor[plane];
    }

    [Benchmark(Description = "Preprocessor: resize into pooled bytes, span loop + table into pooled float[]")]
    [BenchmarkCategory("preprocess")]
    public float PreprocessSpans()
    {
        _yolox.Preprocess(_frame, new PixelRect(0, 0, _frame.Width, _frame.Height), _input);
        return _input[416 * 416];
    }

    [Benchmark(Baseline = true, Description = "bare InferenceSession.Run, DenseTensor in, ORT-allocated output")]
    [BenchmarkCategory("inference")]
    public float InferenceDenseTensor()
    {
        var tensor = new DenseTensor<float>([1, 3, 416, 416]);
        _input.AsSpan(0, _shape.InputLength).CopyTo(tensor.Buffer.Span);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            _bareSession.Run([NamedOnnxValue.CreateFromTensor("images", tensor)]);
        Tensor<float> output = results[0].AsTensor<float>();
        return output[0, 0, 4];
    }

    [Benchmark(Description = "OrtValue over pinned pooled input and output (no copies)")]
    [BenchmarkCategory("inference")]
    public float InferenceOrtValue()
    {
        _yolox.Infer(_input, _output, _shape);
        return _output[4];
    }

    [Benchmark(Baseline = true, Description = "LINQ: decode, OrderBy, Any-based NMS, Select to frame")]
    [BenchmarkCategory("postprocess")]
    public int PostprocessLinq()
    {
        float[] output = _output;
        int[] strides = [8, 16, 32];
        (int width, int height) = (_letterbox.InputWidth, _letterbox.InputHeight);
        var anchors = strides.SelectMany(s => Enumerable.Range(0, (width / s) * (height / s)).Select(i => (Stride: s, Gx: i % (width / s), Gy: i / (width / s))));
        List<DetectedObject> candidates = anchors
            .Select((a, index) =>
            {
                int o = index * 85;
                float[] scores = output.Skip(o + 5).Take(80).ToArray();
                float best = scores.Max();
                int label = Array.IndexOf(scores, best);
                Box box = Box.FromCenter(
                    (output[o] + a.Gx) * a.Stride, (output[o + 1] + a.Gy) * a.Stride,
                    MathF.Exp(output[o + 2]) * a.Stride, MathF.Exp(output[o + 3]) * a.Stride);
                return (Box: box, Score: output[o + 4] * best, Label: label, Class: ClassScorer.ClassOf(_labels[label]));
            })
            .Where(c => c.Score >= ScoreThreshold && c.Class is not null)
            .OrderByDescending(c => c.Score)
            .Select(c => new DetectedObject(c.Box, c.Score, c.Class!.Value, c.Label))
            .ToList();
        var kept = new List<DetectedObject>();
        foreach (DetectedObject candidate in candidates)
        {
            if (!kept.Any(k => k.Class == candidate.Class && k.Box.IoU(candidate.Box) > NmsIoU))
            {
                kept.Add(candidate);
            }
        }

        Letterbox letterbox = _letterbox;
        return kept.Select(k => k with { Box = letterbox.ToFrame(k.Box) }).Where(k => k.Box.Area > 0).ToArray().Length;
    }

    [Benchmark(Description = "decoder + in-place NMS over pooled candidates")]
    [BenchmarkCategory("postprocess")]
    public int PostprocessPooled() => _yolox.Postprocess(_output, _shape, _letterbox).Length;

    [Benchmark(Baseline = true, Description = "Detect, YOLOX-Nano 416")]
    [BenchmarkCategory("detect")]
    public int DetectYolox() => _yolox.Detect(_frame).Items.Count;

    [Benchmark(Description = "Detect, YOLOX-Nano 416 trimmed to the picture (416 x 256)")]
    [BenchmarkCategory("detect")]
    public int DetectYoloxTrimmed() => _yoloxTrimmed.Detect(_frame).Items.Count;

    [Benchmark(Description = "Detect, FastestDet 352")]
    [BenchmarkCategory("detect")]
    public int DetectFastestDet() => _fastestDet.Detect(_frame).Items.Count;

    private Frame ReadFrame(string footage, int index)
    {
        using var capture = new VideoCapture(footage);
        using var mat = new Mat();
        for (int i = 0; i <= index; i++)
        {
            if (!capture.Read(mat) || mat.Empty())
            {
                throw new InvalidOperationException($"{footage} has fewer than {index + 1} frames");
            }
        }

        Frame frame = _pool.Rent("bench", mat.Width, mat.Height);
        Marshal.Copy(mat.Data, frame.Buffer, 0, frame.Length);
        frame.Sequence = index;
        return frame;
    }
}
