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
    private DetectorModel(string key, ModelEntry entry, Preprocessor preprocessor, IOutputDecoder decoder, IReadOnlyList<string> labels)
    {
        Key = key;
        Entry = entry;
        Preprocessor = preprocessor;
        Decoder = decoder;
        Labels = labels;
        InputShape = [.. entry.Input.Shape];
        OutputShape = [.. entry.Output.Shape];
        long outputLength = 1;
        foreach (long dimension in OutputShape)
        {
            outputLength *= dimension;
        }

        OutputLength = checked((int)outputLength);
    }

    public string Key { get; }

    public ModelEntry Entry { get; }

    public Preprocessor Preprocessor { get; }

    public IOutputDecoder Decoder { get; }

    public IReadOnlyList<string> Labels { get; }

    public IReadOnlyList<long> InputShape { get; }

    public IReadOnlyList<long> OutputShape { get; }

    public int InputLength => Preprocessor.TensorLength;

    public int OutputLength { get; }

    /// <summary>The decoders an object detector can run, by their manifest names.</summary>
    public static bool IsDetectorDecoder(ModelDecoder decoder) => decoder is ModelDecoder.Yolox or ModelDecoder.FastestDet;

    /// <summary>Checks a resolved model for use as an object detector and builds its pieces.</summary>
    /// <exception cref="ModelException">The entry is not a detector's, or its input and output do not fit its decoder; every reason is listed.</exception>
    public static DetectorModel Create(ResolvedModel model, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        IReadOnlyList<string> labels = ReadLabels(model);
        return Create(model.Key, model.Entry, labels, manifest);
    }

    internal static DetectorModel Create(string key, ModelEntry entry, IReadOnlyList<string> labels, ModelManifest manifest)
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

        int height = (int)shape[2];
        int width = (int)shape[3];
        IOutputDecoder? decoder = entry.Output.Decoder == ModelDecoder.Yolox
            ? YoloxDecoder.Create(at, entry.Output.Shape, entry.Output.Strides, width, height, labels.Count, scorer!, errors)
            : FastestDetDecoder.Create(at, entry.Output.Shape, width, height, labels.Count, scorer!, errors);
        if (decoder is null)
        {
            throw Fail(key, manifest, errors);
        }

        return new DetectorModel(key, entry, new Preprocessor(input), decoder, labels);
    }

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
