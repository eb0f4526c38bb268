using BenchmarkDotNet.Attributes;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Detector.Plates;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace CrosswalkWatch.Bench;

/// <summary>
/// Plate reading on one real vehicle photo (we_single_yellow.jpg, 640×474, the whole picture as the vehicle crop),
/// 2 intra-op threads per model: the recogniser's preprocessing, and the whole cascade (detect, rectify, read),
/// each beside the plain hand-written way.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PlateBenchmarks
{
    private const int Threads = 2;

    private PlateReader _reader = null!;
    private Mat _vehicle = null!;
    private Mat _plate = null!;
    private Preprocessor _ocrPreprocessor = null!;
    private float[] _ocrInput = null!;
    private readonly CountingArrayPool<byte> _bytes = new();
    private SessionOptions _bareOptions = null!;
    private InferenceSession _bareDetector = null!;
    private InferenceSession _bareRecogniser = null!;
    private string[] _keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        ModelStore store = BenchModels.Install();

        _reader = PlateReader.Create(store, new PlateReaderOptions(IntraOpThreads: Threads));
        _vehicle = Cv2.ImRead(Path.Combine(BenchModels.AssetsRoot, "data", "plates", "vehicles", "we_single_yellow.jpg"));
        IReadOnlyList<PlateRead> reads = _reader.Read(_vehicle);
        _plate = reads[0].Rectified.Clone();
        foreach (PlateRead read in reads)
        {
            read.Dispose();
        }

        ResolvedModel ocr = store.Resolve("plate-ocr");
        _ocrPreprocessor = new Preprocessor(ocr.Entry.Input);
        _ocrInput = new float[3 * 48 * 2048];
        _bareOptions = ModelStore.CreateSessionOptions(Threads);
        _bareDetector = store.OpenSession("plate-detector-320", _bareOptions);
        _bareRecogniser = store.OpenSession(ocr, _bareOptions);
        _keys = ["", .. File.ReadAllLines(ocr.LabelsPath!), " "];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _vehicle.Dispose();
        _plate.Dispose();
        _bareDetector.Dispose();
        _bareRecogniser.Dispose();
        _bareOptions.Dispose();
    }

    [Benchmark(Baseline = true, Description = "naive: resize to new Mat, Mat.At<Vec3b> per pixel into new float[]")]
    [BenchmarkCategory("ocr preprocess")]
    public float OcrPreprocessNaive() => NaiveOcrTensor(_plate, out _)[0];

    [Benchmark(Description = "Preprocessor: resize into pooled bytes, span loop + table into a reused float[]")]
    [BenchmarkCategory("ocr preprocess")]
    public float OcrPreprocessSpans()
    {
        Letterbox letterbox = _ocrPreprocessor.Place(_plate.Width, _plate.Height);
        _ocrPreprocessor.Run(_plate, letterbox, _ocrInput.AsSpan(0, 3 * letterbox.InputWidth * letterbox.InputHeight), _bytes);
        return _ocrInput[0];
    }

    [Benchmark(Baseline = true, Description = "hand-written: naive tensors, DenseTensor runs, best box, plain warp, argmax decode")]
    [BenchmarkCategory("read vehicle")]
    public string ReadNaive()
    {
        // Detect: centred letterbox to 320, RGB /255, pad 0.
        const int Size = 320;
        double r = Math.Min((double)Size / _vehicle.Width, (double)Size / _vehicle.Height);
        int width = (int)Math.Round(_vehicle.Width * r);
        int height = (int)Math.Round(_vehicle.Height * r);
        int padX = (Size - width) / 2;
        int padY = (Size - height) / 2;
        using var resized = new Mat();
        Cv2.Resize(_vehicle, resized, new OpenCvSharp.Size(width, height));
        var input = new DenseTensor<float>([1, 3, Size, Size]);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Vec3b pixel = resized.At<Vec3b>(y, x);
                input[0, 0, y + padY, x + padX] = pixel.Item2 / 255f;
                input[0, 1, y + padY, x + padX] = pixel.Item1 / 255f;
                input[0, 2, y + padY, x + padX] = pixel.Item0 / 255f;
            }
        }

        using var detections = _bareDetector.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        float[] rows = detections[0].AsTensor<float>().ToArray();
        int best = Enumerable.Range(0, rows.Length / 15).MaxBy(i => rows[(i * 15) + 4] * Math.Max(rows[(i * 15) + 13], rows[(i * 15) + 14]));
        Point2f[] corners = [.. Enumerable.Range(0, 4).Select(k => new Point2f(
            (float)((rows[(best * 15) + 5 + (2 * k)] - padX) / r),
            (float)((rows[(best * 15) + 6 + (2 * k)] - padY) / r)))];

        // Rectify at the corners' own size.
        int plateWidth = (int)corners[0].DistanceTo(corners[1]);
        int plateHeight = (int)corners[0].DistanceTo(corners[3]);
        using Mat transform = Cv2.GetPerspectiveTransform(corners, [new(0, 0), new(plateWidth, 0), new(plateWidth, plateHeight), new(0, plateHeight)]);
        using var plate = new Mat();
        Cv2.WarpPerspective(_vehicle, plate, transform, new OpenCvSharp.Size(plateWidth, plateHeight));

        // Read: argmax per timestep, collapse, drop blanks.
        float[] tensor = NaiveOcrTensor(plate, out int tensorWidth);
        using var text = _bareRecogniser.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(tensor, [1, 3, 48, tensorWidth]))]);
        Tensor<float> probabilities = text[0].AsTensor<float>();
        string read = "";
        int previous = 0;
        for (int t = 0; t < probabilities.Dimensions[1]; t++)
        {
            int c = Enumerable.Range(0, probabilities.Dimensions[2]).MaxBy(k => probabilities[0, t, k]);
            if (c != 0 && c != previous)
            {
                read += _keys[c];
            }

            previous = c;
        }

        return read;
    }

    [Benchmark(Description = "PlateReader.Read: pooled pinned tensors, NMS, true-aspect rectify, candidates, grammar, colour")]
    [BenchmarkCategory("read vehicle")]
    public string ReadPlateReader()
    {
        IReadOnlyList<PlateRead> reads = _reader.Read(_vehicle);
        string text = reads[0].Text;
        foreach (PlateRead read in reads)
        {
            read.Dispose();
        }

        return text;
    }

    /// <summary>PP-OCR's input the plain way: height 48 keeping aspect, BGR (x/255-0.5)/0.5, zero padding to 320.</summary>
    private static float[] NaiveOcrTensor(Mat plate, out int tensorWidth)
    {
        int width = (int)Math.Ceiling(plate.Width * 48.0 / plate.Height);
        tensorWidth = Math.Max(320, width);
        using var resized = new Mat();
        Cv2.Resize(plate, resized, new OpenCvSharp.Size(width, 48));
        var tensor = new float[3 * 48 * tensorWidth];
        int plane = 48 * tensorWidth;
        for (int y = 0; y < 48; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Vec3b pixel = resized.At<Vec3b>(y, x);
                tensor[(y * tensorWidth) + x] = ((pixel.Item0 / 255f) - 0.5f) / 0.5f;
                tensor[plane + (y * tensorWidth) + x] = ((pixel.Item1 / 255f) - 0.5f) / 0.5f;
                tensor[(2 * plane) + (y * tensorWidth) + x] = ((pixel.Item2 / 255f) - 0.5f) / 0.5f;
            }
        }

        return tensor;
    }
}
