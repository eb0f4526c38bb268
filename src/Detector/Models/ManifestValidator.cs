using System.Globalization;
using System.Text.RegularExpressions;

namespace CrosswalkWatch.Detector.Models;

/// <summary>Checks what JSON binding cannot: values, references between members, paths that stay inside their folder.</summary>
internal static partial class ManifestValidator
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();

    public static IReadOnlyList<string> Validate(ModelManifest manifest)
    {
        var errors = new List<string>();
        if (manifest.Models.Count == 0)
        {
            errors.Add("models: expected at least one model.");
        }

        // The same installed file may serve several models (coco.names); it must be the same bytes everywhere.
        var seen = new Dictionary<string, (string Where, ModelFile File)>(StringComparer.Ordinal);
        foreach ((string key, ModelEntry entry) in manifest.Models)
        {
            string at = $"models.{key}";
            if (!KeyPattern().IsMatch(key))
            {
                errors.Add($"{at}: a model key is lower-case letters, digits and '-' (at most 64), got '{key}'.");
            }

            ValidateFiles(entry, at, seen, errors);
            ValidateInput(entry.Input, $"{at}.input", errors);
            ValidateShape(entry.Output.Shape, $"{at}.output.shape", errors);
            Require(!string.IsNullOrWhiteSpace(entry.Output.Name), $"{at}.output.name: expected the output tensor's name.", errors);
            if (entry.Output.Strides is { } strides)
            {
                Require(strides.Count > 0 && strides.All(s => s > 0), $"{at}.output.strides: expected positive integers.", errors);
            }

            ValidateLabels(entry, at, errors);
            if (entry.Score is { } score)
            {
                Require(score.ObjExponent >= 0 && score.ClsExponent >= 0,
                    $"{at}.score: exponents must be 0 or more, got obj {Num(score.ObjExponent)}, cls {Num(score.ClsExponent)}.", errors);
            }
        }

        return errors;
    }

    private static void ValidateFiles(
        ModelEntry entry, string at, Dictionary<string, (string Where, ModelFile File)> seen, List<string> errors)
    {
        if (entry.Files.Count == 0)
        {
            errors.Add($"{at}.files: expected at least one file.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < entry.Files.Count; i++)
        {
            ModelFile file = entry.Files[i];
            string fat = $"{at}.files[{i}]";
            if (!IsSafeRelativePath(file.Name))
            {
                errors.Add($"{fat}.name: expected a relative path with '/' and no '..', got '{file.Name}'.");
            }
            else if (!names.Add(file.Name))
            {
                errors.Add($"{fat}.name: '{file.Name}' is listed twice.");
            }

            Require(Sha256Pattern().IsMatch(file.Sha256), $"{fat}.sha256: expected 64 lower-case hex digits, got '{file.Sha256}'.", errors);
            Require(file.Size > 0, $"{fat}.size: expected a size in bytes above 0, got {file.Size}.", errors);
            Require(file.Assets is not null || file.Npm is not null || file.Url is not null,
                $"{fat}: expected at least one of `assets`, `npm`, `url` (where the file can be had).", errors);
            if (file.Assets is { } assets)
            {
                Require(IsSafeRelativePath(assets), $"{fat}.assets: expected a relative path with '/' and no '..', got '{assets}'.", errors);
            }

            if (file.Npm is { } npm)
            {
                Require(npm.Package.Length > 0 && !npm.Package.Contains("..", StringComparison.Ordinal),
                    $"{fat}.npm.package: expected a package name, got '{npm.Package}'.", errors);
                Require(IsSafeRelativePath(npm.Path), $"{fat}.npm.path: expected a relative path with '/' and no '..', got '{npm.Path}'.", errors);
            }

            if (file.Url is { } url)
            {
                Require(url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp),
                    $"{fat}.url: expected an absolute http(s) address, got '{url}'.", errors);
            }

            if (seen.TryGetValue(file.Name, out var other))
            {
                Require(other.File.Sha256 == file.Sha256 && other.File.Size == file.Size,
                    $"{fat}: '{file.Name}' is also listed at {other.Where} with a different sha256 or size.", errors);
            }
            else
            {
                seen[file.Name] = (fat, file);
            }
        }

        Require(names.Contains(entry.Model), $"{at}.model: '{entry.Model}' is not one of the model's files.", errors);
    }

    private static void ValidateInput(ModelInput input, string at, List<string> errors)
    {
        Require(!string.IsNullOrWhiteSpace(input.Name), $"{at}.name: expected the input tensor's name.", errors);
        ValidateShape(input.Shape, $"{at}.shape", errors);
        if (input.Shape.Count != 4)
        {
            errors.Add($"{at}.shape: expected 4 dimensions (N, C, H, W), got {input.Shape.Count}.");
            return;
        }

        long channels = input.Shape[1];
        Require(channels == 3, $"{at}.shape: expected 3 channels at index 1 (NCHW), got {channels}.", errors);
        Require(input.Mean.Count == channels, $"{at}.mean: expected {channels} values (one per channel), got {input.Mean.Count}.", errors);
        Require(input.Std.Count == channels, $"{at}.std: expected {channels} values (one per channel), got {input.Std.Count}.", errors);
        Require(input.Std.All(s => s > 0), $"{at}.std: expected values above 0.", errors);
        Require(input.Scale > 0, $"{at}.scale: expected a value above 0, got {Num(input.Scale)}.", errors);

        bool pads = input.Resize is ResizeMode.LetterboxTopLeft or ResizeMode.LetterboxCentred or ResizeMode.FixedHeightPadRight;
        if (pads)
        {
            Require(input.PadValue is not null, $"{at}.padValue: resize '{input.Resize}' pads, so a pad value is expected.", errors);
        }
        else
        {
            Require(input.PadValue is null, $"{at}.padValue: resize '{input.Resize}' does not pad; remove the pad value.", errors);
        }

        if (input.PadValue is { } pad && input.PadIn == PadTarget.Pixels)
        {
            Require(pad is >= 0 and <= 255, $"{at}.padValue: a pixel pad value is 0-255, got {Num(pad)}.", errors);
        }

        if (input.Resize == ResizeMode.FixedHeightPadRight)
        {
            Require(input.Shape[2] > 0, $"{at}.shape: resize 'fixed-height-pad-right' needs a fixed height (index 2).", errors);
            Require(input.Shape[3] > 0 || input.MinWidth > 0,
                $"{at}.minWidth: a dynamic width (index 3 is -1) needs the least width a tensor is padded to, above 0.", errors);
        }
        else
        {
            Require(input.Shape[2] > 0 && input.Shape[3] > 0,
                $"{at}.shape: resize '{input.Resize}' needs a fixed height and width (indices 2 and 3).", errors);
        }

        if (input.TrimTo is { } trim)
        {
            Require(input.Resize == ResizeMode.LetterboxTopLeft,
                $"{at}.trimTo: only a letterbox at the top left leaves all its padding at the end of the rows and columns to cut; resize is '{input.Resize}'.", errors);
            Require(trim > 0 && input.Shape[2] % trim == 0 && input.Shape[3] % trim == 0,
                $"{at}.trimTo: expected a multiple that divides the input's height and width ({input.Shape[2]} × {input.Shape[3]}), got {trim}.", errors);
        }
    }

    private static void ValidateShape(IReadOnlyList<long> shape, string at, List<string> errors)
    {
        Require(shape.Count > 0, $"{at}: expected at least one dimension.", errors);
        Require(shape.All(d => d > 0 || d == -1), $"{at}: dimensions are above 0, or -1 for dynamic; got [{string.Join(", ", shape)}].", errors);
    }

    private static void ValidateLabels(ModelEntry entry, string at, List<string> errors)
    {
        ModelLabels labels = entry.Labels;
        if ((labels.File is null) == (labels.Names is null))
        {
            errors.Add($"{at}.labels: expected exactly one of `file` (one label per line) and `names` (inline).");
        }

        if (labels.File is { } file)
        {
            Require(entry.Files.Any(f => f.Name == file), $"{at}.labels.file: '{file}' is not one of the model's files.", errors);
        }

        if (labels.Names is { } names)
        {
            Require(names.Count > 0, $"{at}.labels.names: expected at least one name.", errors);
        }

        Require(labels.BlankIndex is null or >= 0, $"{at}.labels.blankIndex: expected 0 or more.", errors);
    }

    internal static bool IsSafeRelativePath(string path) =>
        path.Length > 0
        && !path.Contains('\\', StringComparison.Ordinal)
        && !path.StartsWith('/')
        && !Path.IsPathRooted(path)
        && path.Split('/').All(part => part.Length > 0 && part != "." && part != "..");

    private static void Require(bool condition, string error, List<string> errors)
    {
        if (!condition)
        {
            errors.Add(error);
        }
    }

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
}
