using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CrosswalkWatch.Detector.Detection;


/// <summary>
/// An object detector over one ONNX Runtime session: preprocess → run → postprocess as the model's manifest entry
/// says. Per call it rents its input, output and scratch buffers from pools it counts, pins them for the tensors
/// (no copies into or out of ONNX Runtime) and returns them before <see cref="Detect"/> returns; the detections
/// handed out are a fresh array. Safe to call from several threads at a time.
/// </summary>
internal sealed class OnnxObjectDetector : IObjectDetector
{
    private readonly DetectorModel _model;
    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly RunOptions _runOptions;
    private readonly DetectorOptions _options;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly CountingArrayPool<float> _floats = new();
    private readonly CountingArrayPool<byte> _bytes = new();
    private readonly CountingArrayPool<DetectedObject> _candidates = new();
    private int _disposed;

    /// <summary>Takes ownership of <paramref name="session"/> and <paramref name="sessionOptions"/>.</summary>
    /// <exception cref="ModelException">The session's tensors are not float.</exception>
    public OnnxObjectDetector(DetectorModel model, InferenceSession session, SessionOptions sessionOptions, DetectorOptions options)
    {
        _model = model;
        _session = session;
        _sessionOptions = sessionOptions;
        _options = options;
        _inputNames = [model.Entry.Input.Name];
        _outputNames = [model.Entry.Output.Name];
        CheckFloat(session.InputMetadata[model.Entry.Input.Name], "input", model.Entry.Input.Name);
        CheckFloat(session.OutputMetadata[model.Entry.Output.Name], "output", model.Entry.Output.Name);
        _runOptions = new RunOptions();
    }

    public string ModelKey => _model.Key;

    /// <summary>Pooled arrays rented by calls in progress (0 when none is running).</summary>
    internal long OutstandingBuffers => _floats.Outstanding + _bytes.Outstanding + _candidates.Outstanding;

    internal DetectorModel Model => _model;

    public FrameDetections Detect(Frame frame, Box? region = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        PixelRect crop = PixelRect.FromRegion(region, frame.Width, frame.Height);

        float[] input = _floats.Rent(_model.InputLength);
        float[]? output = null;
        try
        {
            Letterbox letterbox = Preprocess(frame, crop, input);
            ModelShape shape = _model.ShapeFor(letterbox);
            output = _floats.Rent(shape.OutputLength);
            Infer(input, output, shape, frame);
            DetectedObject[] items = Postprocess(output, shape, letterbox);
            return new FrameDetections(frame.CameraId, frame.Sequence, frame.CapturedAt, frame.Width, frame.Height, items);
        }
        finally
        {
            if (output is not null)
            {
                _floats.Return(output);
            }

            _floats.Return(input);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _session.Dispose();
        _sessionOptions.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>Preprocess: the crop of the frame into <paramref name="input"/> (at least <see cref="DetectorModel.InputLength"/> floats).</summary>
    internal Letterbox Preprocess(Frame frame, PixelRect crop, float[] input) =>
        _model.Preprocessor.Run(frame, crop, input.AsSpan(0, _model.InputLength), _bytes);

    /// <summary>
    /// Run: the session over tensors on the pinned arrays, no copies; ONNX Runtime writes the output in place. The
    /// pins and tensors live only for this call.
    /// </summary>
    internal void Infer(float[] input, float[] output, ModelShape shape, Frame? frame = null)
    {
        try
        {
            PinnedTensors.Run(
                _session, _runOptions, _inputNames, shape.Input, input, shape.InputLength, _outputNames, shape.Output, output, shape.OutputLength);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new DetectorException($"Model '{_model.Key}' failed on frame {frame?.ToString() ?? "(none)"}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Postprocess: decode, class-aware NMS, and the kept boxes mapped through the letterbox and crop to the whole
    /// frame, in a fresh array the caller owns (the candidates' pooled array is returned before this returns).
    /// </summary>
    internal DetectedObject[] Postprocess(float[] output, ModelShape shape, in Letterbox letterbox)
    {
        using var candidates = new DetectionBuffer(_candidates);
        shape.Decoder.Decode(output.AsSpan(0, shape.OutputLength), _options.ScoreThreshold, candidates);
        int kept = Nms.Suppress(candidates.Span, _options.NmsIoU);
        return ToFrame(candidates.Span[..kept], letterbox);
    }

    /// <summary>The kept candidates, mapped to the whole frame, in a fresh array the caller owns.</summary>
    private static DetectedObject[] ToFrame(ReadOnlySpan<DetectedObject> kept, in Letterbox letterbox)
    {
        if (kept.IsEmpty)
        {
            return [];
        }

        var items = new DetectedObject[kept.Length];
        int count = 0;
        foreach (DetectedObject candidate in kept)
        {
            Box box = letterbox.ToFrame(candidate.Box);
            if (box.Area > 0)
            {
                items[count++] = candidate with { Box = box };
            }
        }

        if (count < items.Length)
        {
            Array.Resize(ref items, count);
        }

        return items;
    }

    private void CheckFloat(NodeMetadata metadata, string what, string name)
    {
        if (!metadata.IsTensor || metadata.ElementDataType != TensorElementType.Float)
        {
            throw new ModelException(
                $"Model '{_model.Key}': {what} '{name}' is {metadata.ElementDataType}, the detector feeds and reads float tensors.");
        }
    }
}
