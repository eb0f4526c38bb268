using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using CrosswalkWatch.Detector.Models;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// One manifest entry checked for use as an object detector, and the pieces built from it once: the preprocessor
/// (input size, resize mode, pad, channel order, normalisation), the decoder its <c>output.decoder</c> names, and the
/// tensor shapes. Nothing about a model is a constant in code.
/// </summary>
internal sealed class DetectorModel
{
    private readonly ConcurrentDictionary<(int Width, int Height), ModelShape> _trimmed = new();
    private readonly Func<int, int, YoloxDecoder>? _trimmedDecoder;

    private DetectorModel(string key, ModelEntry entry, Preprocessor preprocessor, IOutputDecoder decoder, IReadOnlyList<string> labels, Func<int, int, YoloxDecoder>? trimmedDecoder)
    {
        Key = key;
        Entry = entry;
        Preprocessor = preprocessor;
        Decoder = decoder;
        Labels = labels;
        Full = new ModelShape([.. entry.Input.Shape], [.. entry.Output.Shape], preprocessor.TensorLength, Length(entry.Output.Shape), decoder);
        _trimmedDecoder = trimmedDecoder;
    }

    public string Key { get; }

    public ModelEntry Entry { get; }

    public Preprocessor Preprocessor { get; }

    public IOutputDecoder Decoder { get; }

    public IReadOnlyList<string> Labels { get; }

    public int InputLength => Preprocessor.TensorLength;

    public int OutputLength => Full.OutputLength;

    /// <summary>The tensors and decoder of the model's full input size.</summary>
    public ModelShape Full { get; }

    /// <summary>
    /// The tensors and decoder for a letterbox's input size: the full one, or for a trimmed input
    /// (<see cref="ModelInput.TrimTo"/>) its own, made once per size (a camera's frames keep one size).
    /// </summary>
    public ModelShape ShapeFor(in Letterbox letterbox)
    {
        if (letterbox.InputWidth == Preprocessor.Width && letterbox.InputHeight == Preprocessor.Height || _trimmedDecoder is null)
        {
            return Full;
        }

        var size = (letterbox.InputWidth, letterbox.InputHeight);
        return _trimmed.TryGetValue(size, out var known) ? known : _trimmed.GetOrAdd(size, Trimmed(_trimmedDecoder(size.InputWidth, size.InputHeight)));
    }

    private static ModelShape Trimmed(YoloxDecoder decoder)
    {
        var output = decoder.OutputShape.ToArray();
        return new ModelShape([1, 3, decoder.InputHeight, decoder.InputWidth], output, 3 * decoder.InputWidth * decoder.InputHeight, Length(output), decoder);
    }

    /// <summary>The decoders an object detector can run, by their manifest names.</summary>
    public static bool IsDetectorDecoder(ModelDecoder decoder) => decoder is ModelDecoder.Yolox or ModelDecoder.FastestDet;

    /// <summary>Checks a resolved model for use as an object detector and builds its pieces.</summary>
    /// <param name="trim">Trim the letterboxed input to the picture (<see cref="ModelInput.TrimTo"/>, which the entry must have).</param>
    /// <exception cref="ModelException">The entry is not a detector's, or its input and output do not fit its decoder; every reason is listed.</exception>
    public static DetectorModel Create(ResolvedModel model, ModelManifest manifest, bool trim = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        IReadOnlyList<string> labels = ReadLabels(model);
        return Create(model.Key, model.Entry, labels, manifest, trim);
    }

    internal static DetectorModel Create(string key, ModelEntry entry, IReadOnlyList<string> labels, ModelManifest manifest, bool trim = false)
    {
        string at = $"models.{key}";
        var errors = new List<string>();
        if (!IsDetectorDecoder(entry.Output.Decoder))
        {
            errors.Add(
                $"{at}.output.decoder: '{NameOf(entry.Output.Decoder)}' is not an object detector's decoder; expected " +
                $"'{NameOf(ModelDecoder.Yolox)}' or '{NameOf(ModelDecoder.FastestDet)}' (detector models in this manifest: {DetectorKeys(manifest)}).");
            throw Fail(key, manifest, errors);
        }

        ModelInput input = entry.Input;
        if (input.Resize is not (ResizeMode.LetterboxTopLeft or ResizeMode.LetterboxCentred or ResizeMode.Stretch))
        {
            errors.Add($"{at}.input.resize: an object detector's input is 'letterbox-top-left', 'letterbox-centred' or 'stretch', got '{NameOf(input.Resize)}'.");
        }

        if (input.PadIn != PadTarget.Pixels)
        {
            errors.Add($"{at}.input.padIn: an object detector pads pixels before normalising; expected 'pixels'.");
        }

        IReadOnlyList<long> shape = input.Shape;
        if (shape.Count != 4 || shape[0] != 1 || shape[1] != 3 || shape[2] <= 0 || shape[3] <= 0)
        {
            errors.Add($"{at}.input.shape: an object detector takes one fixed-size image, [1, 3, height, width]; got [{string.Join(", ", shape)}].");
        }

        if (entry.Score is null)
        {
            errors.Add($"{at}.score: an object detector needs the score formula (objExponent, clsExponent).");
        }

        ClassScorer? scorer = ClassScorer.Create(labels, entry.Score?.ObjExponent ?? 1, entry.Score?.ClsExponent ?? 1);
        if (scorer is null)
        {
            errors.Add($"{at}.labels: none of the {labels.Count} labels is person, bicycle, car, bus, truck or motorcycle (motorbike).");
        }

        if (errors.Count > 0)
        {
            throw Fail(key, manifest, errors);
        }

        if (input.TrimTo is not null && entry.Output.Decoder != ModelDecoder.Yolox)
        {
            errors.Add($"{at}.input.trimTo: a trimmed input needs a decoder that reads any grid size; only 'yolox' does.");
        }

        int height = (int)shape[2];
        int width = (int)shape[3];
        IOutputDecoder? decoder = entry.Output.Decoder == ModelDecoder.Yolox
            ? YoloxDecoder.Create(at, entry.Output.Shape, entry.Output.Strides, width, height, labels.Count, scorer!, errors)
            : FastestDetDecoder.Create(at, entry.Output.Shape, width, height, labels.Count, scorer!, errors);
        if (decoder is null || errors.Count > 0)
        {
            throw Fail(key, manifest, errors);
        }

        Func<int, int, YoloxDecoder>? trimmed = trim && input.TrimTo is not null
            ? (w, h) => YoloxDecoder.ForSize(entry.Output.Strides!, w, h, labels.Count, scorer!)
            : null;
        return new DetectorModel(key, entry, new Preprocessor(input, trimmed is null ? 0 : input.TrimTo!.Value), decoder, labels, trimmed);
    }

    private static int Length(IEnumerable<long> shape) => checked((int)shape.Aggregate(1L, (a, b) => a * b));

    private static List<string> ReadLabels(ResolvedModel model)
    {
        if (model.Entry.Labels.Names is { } names)
        {
            return [.. names];
        }

        string path = model.LabelsPath ?? throw new ModelException($"Model '{model.Key}' has no labels file or names in its manifest entry.");
        var labels = new List<string>(File.ReadAllLines(path));
        while (labels.Count > 0 && string.IsNullOrWhiteSpace(labels[^1]))
        {
            labels.RemoveAt(labels.Count - 1);
        }

        return labels;
    }

    private static ModelException Fail(string key, ModelManifest manifest, List<string> errors) =>
        new($"Model '{key}' in the manifest {manifest.SourcePath} cannot be used as an object detector:{Environment.NewLine}  - " +
            string.Join(Environment.NewLine + "  - ", errors));

    private static string DetectorKeys(ModelManifest manifest)
    {
        var keys = new List<string>();
        foreach ((string key, ModelEntry entry) in manifest.Models)
        {
            if (IsDetectorDecoder(entry.Output.Decoder))
            {
                keys.Add(key);
            }
        }

        return keys.Count == 0 ? "none" : string.Join(", ", keys);
    }

    /// <summary>An enum value as the manifest spells it.</summary>
    private static string NameOf<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        string name = value.ToString();
        return typeof(TEnum).GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? name;
    }
}

/// <summary>One input size of a detector: the input and output tensors' shapes and lengths, and the decoder of that grid.</summary>
internal sealed record ModelShape(long[] Input, long[] Output, int InputLength, int OutputLength, IOutputDecoder Decoder);
