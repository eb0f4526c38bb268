using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.Plates;

/// <summary>A plate the detector found: its corners and box in image pixels, score (obj × class) and layer count.</summary>
internal readonly record struct PlateDetection(PlateCorners Corners, Rect2f Box, float Score, int Layers);

/// <summary>
/// The HyperLPR3 plate detector (manifest decoder <c>plate-corners</c>): preprocess with the shared
/// <see cref="Preprocessor"/> (letterbox, channel order, scale from the manifest), run over pinned pooled arrays,
/// decode boxes, four corners and the single/double-layer class, then non-maximum suppression. Safe to call from
/// several threads at a time.
/// </summary>
internal sealed class PlateDetector : IDisposable
{
    /// <summary>Values per candidate before the class scores: cx, cy, w, h, obj, then 4 corners × (x, y).</summary>
    private const int ClassOffset = 13;

    private readonly ModelSession _model;
    private readonly Preprocessor _preprocessor;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _inputShape;
    private readonly long[] _outputShape;
    private readonly int _outputLength;
    private readonly int _stride;
    private readonly int _classes;
    private readonly float _scoreThreshold;
    private readonly float _nmsIoU;
    private readonly CountingArrayPool<float> _floats = new();
    private readonly CountingArrayPool<byte> _bytes = new();

    private PlateDetector(ModelSession model, float scoreThreshold, float nmsIoU)
    {
        _model = model;
        ModelEntry entry = model.Entry;
        _preprocessor = new Preprocessor(entry.Input);
        _inputNames = [entry.Input.Name];
        _outputNames = [entry.Output.Name];
        _inputShape = [.. entry.Input.Shape];
        _outputShape = [.. entry.Output.Shape];
        _outputLength = checked((int)(_outputShape[1] * _outputShape[2]));
        _stride = (int)_outputShape[2];
        _classes = _stride - ClassOffset;
        _scoreThreshold = scoreThreshold;
        _nmsIoU = nmsIoU;
    }

    public string Key => _model.Key;

    /// <summary>Pooled arrays rented by calls in progress (0 when none is running).</summary>
    internal long OutstandingBuffers => _floats.Outstanding + _bytes.Outstanding;

    /// <exception cref="ModelException">The entry is not a plate detector's, or the model does not match it.</exception>
    public static PlateDetector Create(ModelStore store, string key, int intraOpThreads, float scoreThreshold, float nmsIoU)
    {
        ModelSession model = ModelSession.Open(store, key, intraOpThreads, resolved => Check(key, resolved.Entry, store.Manifest.SourcePath));
        return new PlateDetector(model, scoreThreshold, nmsIoU);
    }

    /// <summary>The plates in a BGR24 image, best first, corners in the image's pixels.</summary>
    public List<PlateDetection> Detect(Mat image)
    {
        Letterbox letterbox = _preprocessor.Place(image.Width, image.Height);
        int inputLength = 3 * letterbox.InputWidth * letterbox.InputHeight;
        float[] input = _floats.Rent(inputLength);
        float[] output = _floats.Rent(_outputLength);
        try
        {
            _preprocessor.Run(image, letterbox, input.AsSpan(0, inputLength), _bytes);
            try
            {
                PinnedTensors.Run(_model.Session, _model.RunOptions, _inputNames, _inputShape, input, inputLength, _outputNames, _outputShape, output, _outputLength);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new DetectorException($"Model '{Key}' failed on a {image.Width}x{image.Height} image: {ex.Message}", ex);
            }

            List<PlateDetection> found = Decode(output.AsSpan(0, _outputLength), letterbox);
            return Suppress(found, _nmsIoU);
        }
        finally
        {
            _floats.Return(output);
            _floats.Return(input);
        }
    }

    public void Dispose() => _model.Dispose();

    /// <summary>Candidates above the score threshold, mapped from model input pixels to image pixels.</summary>
    private List<PlateDetection> Decode(ReadOnlySpan<float> output, in Letterbox letterbox)
    {
        var found = new List<PlateDetection>();
        float sx = letterbox.ScaleX;
        float sy = letterbox.ScaleY;
        float px = letterbox.PadX;
        float py = letterbox.PadY;
        float cropX = letterbox.Crop.X;
        float cropY = letterbox.Crop.Y;
        for (int offset = 0; offset + _stride <= output.Length; offset += _stride)
        {
            ReadOnlySpan<float> row = output.Slice(offset, _stride);
            float obj = row[4];
            if (obj < _scoreThreshold)
            {
                continue;
            }

            int label = 0;
            for (int c = 1; c < _classes; c++)
            {
                if (row[ClassOffset + c] > row[ClassOffset + label])
                {
                    label = c;
                }
            }

            float score = obj * row[ClassOffset + label];
            if (score < _scoreThreshold)
            {
                continue;
            }

            var corners = new PlateCorners(
                new Point2f(((row[5] - px) / sx) + cropX, ((row[6] - py) / sy) + cropY),
                new Point2f(((row[7] - px) / sx) + cropX, ((row[8] - py) / sy) + cropY),
                new Point2f(((row[9] - px) / sx) + cropX, ((row[10] - py) / sy) + cropY),
                new Point2f(((row[11] - px) / sx) + cropX, ((row[12] - py) / sy) + cropY));
            float w = row[2] / sx;
            float h = row[3] / sy;
            var centre = new Point2f(((row[0] - px) / sx) + cropX, ((row[1] - py) / sy) + cropY);
            found.Add(new PlateDetection(corners, new Rect2f(centre.X - (w / 2), centre.Y - (h / 2), w, h), score, label + 1));
        }

        return found;
    }

    /// <summary>Greedy NMS across classes (a plate is one-layer or two-layer, never both), best first.</summary>
    internal static List<PlateDetection> Suppress(List<PlateDetection> candidates, float iouThreshold)
    {
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var kept = new List<PlateDetection>();
        foreach (PlateDetection candidate in candidates)
        {
            bool keep = true;
            foreach (PlateDetection other in kept)
            {
                if (IoU(candidate.Box, other.Box) > iouThreshold)
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    private static float IoU(Rect2f a, Rect2f b)
    {
        float x1 = Math.Max(a.Left, b.Left);
        float y1 = Math.Max(a.Top, b.Top);
        float x2 = Math.Min(a.Right, b.Right);
        float y2 = Math.Min(a.Bottom, b.Bottom);
        float overlap = Math.Max(0, x2 - x1) * Math.Max(0, y2 - y1);
        float union = (a.Width * a.Height) + (b.Width * b.Height) - overlap;
        return union <= 0 ? 0 : overlap / union;
    }

    private static void Check(string key, ModelEntry entry, string manifestPath)
    {
        string at = $"models.{key}";
        var errors = new List<string>();
        if (entry.Output.Decoder != ModelDecoder.PlateCorners)
        {
            errors.Add($"{at}.output.decoder: a plate detector's is 'plate-corners', got '{entry.Output.Decoder}'.");
        }

        IReadOnlyList<long> input = entry.Input.Shape;
        if (input.Count != 4 || input[0] != 1 || input[2] <= 0 || input[3] <= 0)
        {
            errors.Add($"{at}.input.shape: a plate detector takes one fixed-size image, [1, 3, height, width]; got [{string.Join(", ", input)}].");
        }

        if (entry.Input.Resize is not (ResizeMode.LetterboxCentred or ResizeMode.LetterboxTopLeft or ResizeMode.Stretch) || entry.Input.PadIn != PadTarget.Pixels)
        {
            errors.Add($"{at}.input.resize: a plate detector's input is a letterbox or a stretch padded in pixels.");
        }

        IReadOnlyList<long> output = entry.Output.Shape;
        int labels = entry.Labels.Names?.Count ?? 0;
        if (output.Count != 3 || output[0] != 1 || output[1] <= 0 || output[2] != ClassOffset + labels || labels < 1)
        {
            errors.Add($"{at}.output.shape: expected [1, candidates, {ClassOffset} + one score per label in labels.names], got [{string.Join(", ", output)}] with {labels} label(s).");
        }

        if (errors.Count > 0)
        {
            throw new ModelException(
                $"Model '{key}' in the manifest {manifestPath} cannot be used as a plate detector:{Environment.NewLine}  - " +
                string.Join(Environment.NewLine + "  - ", errors));
        }
    }
}
