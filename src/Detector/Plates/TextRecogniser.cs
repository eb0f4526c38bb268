using System.Runtime.InteropServices;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.Plates;

/// <summary>
/// The PP-OCRv4 line recogniser (manifest decoder <c>ctc</c>): the shared <see cref="Preprocessor"/> scales a line
/// image to the input height keeping its aspect and pads it on the right (normalisation, channel order and the least
/// width from the manifest); the input is a tensor over a pinned pooled array; the output, whose timestep count
/// follows the width, is read in place from ONNX Runtime's own buffer and decoded greedily. Safe to call from
/// several threads at a time.
/// </summary>
internal sealed class TextRecogniser : IDisposable
{
    private readonly ModelSession _model;
    private readonly Preprocessor _preprocessor;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly char[] _symbols;
    private readonly int _blank;
    private readonly CountingArrayPool<float> _floats = new();
    private readonly CountingArrayPool<byte> _bytes = new();

    private TextRecogniser(ModelSession model, char[] symbols, int blank)
    {
        _model = model;
        ModelEntry entry = model.Entry;
        _preprocessor = new Preprocessor(entry.Input);
        _inputNames = [entry.Input.Name];
        _outputNames = [entry.Output.Name];
        _symbols = symbols;
        _blank = blank;
    }

    public string Key => _model.Key;

    /// <summary>Pooled arrays rented by calls in progress (0 when none is running).</summary>
    internal long OutstandingBuffers => _floats.Outstanding + _bytes.Outstanding;

    /// <summary>Candidates kept per character for voting and the grammar.</summary>
    internal const int Candidates = 8;

    /// <exception cref="ModelException">The entry is not a CTC recogniser's, its labels do not fit the output, or the model does not match it.</exception>
    public static TextRecogniser Create(ModelStore store, string key, int intraOpThreads)
    {
        char[] symbols = [];
        int blank = 0;
        ModelSession model = ModelSession.Open(store, key, intraOpThreads, resolved => (symbols, blank) = Symbols(key, resolved, store.Manifest.SourcePath));
        return new TextRecogniser(model, symbols, blank);
    }

    /// <summary>Reads one line of text from a BGR24 image.</summary>
    public List<PlateCharacter> Read(Mat line)
    {
        Letterbox letterbox = _preprocessor.Place(line.Width, line.Height);
        int inputLength = 3 * letterbox.InputWidth * letterbox.InputHeight;
        float[] input = _floats.Rent(inputLength);
        GCHandle pin = default;
        try
        {
            _preprocessor.Run(line, letterbox, input.AsSpan(0, inputLength), _bytes);
            pin = GCHandle.Alloc(input, GCHandleType.Pinned);
            long[] shape = [1, 3, letterbox.InputHeight, letterbox.InputWidth];
            using OrtValue inputValue = OrtValue.CreateTensorValueWithData(
                OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape, pin.AddrOfPinnedObject(), (long)inputLength * sizeof(float));
            using IDisposableReadOnlyCollection<OrtValue> outputs = _model.Session.Run(_model.RunOptions, _inputNames, [inputValue], _outputNames);
            long[] outputShape = outputs[0].GetTensorTypeAndShape().Shape;
            int classes = (int)outputShape[^1];
            if (classes != _symbols.Length)
            {
                throw new DetectorException($"Model '{Key}' gave {classes} classes per timestep, its labels make {_symbols.Length}.");
            }

            return CtcDecoder.Decode(outputs[0].GetTensorDataAsSpan<float>(), classes, _symbols, _blank, Candidates);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new DetectorException($"Model '{Key}' failed on a {line.Width}x{line.Height} line: {ex.Message}", ex);
        }
        finally
        {
            if (pin.IsAllocated)
            {
                pin.Free();
            }

            _floats.Return(input);
        }
    }

    public void Dispose() => _model.Dispose();

    /// <summary>The symbol of every class: the blank, the labels file's lines, then the appended labels.</summary>
    private static (char[] Symbols, int Blank) Symbols(string key, ResolvedModel model, string manifestPath)
    {
        ModelEntry entry = model.Entry;
        string at = $"Model '{key}' in the manifest {manifestPath}";
        if (entry.Output.Decoder != ModelDecoder.Ctc || entry.Input.Resize != ResizeMode.FixedHeightPadRight)
        {
            throw new ModelException($"{at} cannot be used as a plate recogniser: expected output.decoder 'ctc' and input.resize 'fixed-height-pad-right'.");
        }

        if (model.LabelsPath is not { } path || entry.Labels.BlankIndex is not { } blank)
        {
            throw new ModelException($"{at}: a CTC recogniser needs labels.file (one symbol per line) and labels.blankIndex.");
        }

        var lines = new List<string>(File.ReadAllLines(path));
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        lines.AddRange(entry.Labels.Append ?? []);
        lines.Insert(blank, "\0");
        var symbols = new char[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            // A few labels are outside the Basic Multilingual Plane (two UTF-16 units); none is a plate character,
            // so they read as U+FFFD, which the grammar drops.
            symbols[i] = lines[i].Length == 1 ? lines[i][0] : '\uFFFD';
        }

        long classes = entry.Output.Shape[^1];
        if (classes > 0 && classes != symbols.Length)
        {
            throw new ModelException($"{at}: the output has {classes} classes, the labels make {symbols.Length} (blank, {path}'s lines, appended labels).");
        }

        return (symbols, blank);
    }
}
