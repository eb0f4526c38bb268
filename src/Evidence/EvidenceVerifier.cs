using System.Text.Json;
using CrosswalkWatch.Domain.Cases;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// Checks a package: the manifest's signature with the site key, and every file's presence and sha256. A file name is
/// a plain name inside the package folder (not absolute, no <c>..</c> or separator, not a link): anything else is
/// refused unopened. A manifest whose signature does not match vouches for nothing, so its files are not opened
/// either (only their presence is told).
/// </summary>
public static class EvidenceVerifier
{
    /// <summary>Every problem found, in words; empty when the package is intact.</summary>
    public static IReadOnlyList<string> Verify(string folder, byte[] key) => Verify(folder, key, out _);

    /// <summary><see cref="Verify(string, byte[])"/>, giving the manifest it read (null when there was none to read).</summary>
    private static List<string> Verify(string folder, byte[] key, out EvidenceManifest? read)
    {
        var manifestPath = Path.Combine(folder, "manifest.json");
        read = ReadManifest(folder);
        if (read is not { } manifest)
        {
            return [File.Exists(manifestPath) ? $"{manifestPath}: not a readable manifest" : $"{folder}: no manifest.json"];
        }

        var problems = new List<string>();
        var signed = string.Equals(manifest.Signature, manifest.Sign(key), StringComparison.Ordinal);
        if (!signed)
        {
            problems.Add($"{manifestPath}: the signature does not match: the manifest was changed, or signed with another site's key");
        }

        var root = Path.GetFullPath(folder);
        foreach (var file in manifest.Files)
        {
            if (PathInside(root, file.Name) is not { } path)
            {
                problems.Add($"{file.Name}: not a file of this package (outside its folder, or a link); not opened");
            }
            else if (!File.Exists(path))
            {
                problems.Add($"{file.Name}: missing");
            }
            else if (signed && EvidenceManifest.Sha256Of(path) is var actual && actual != file.Sha256)
            {
                problems.Add($"{file.Name}: sha256 {actual} differs from the manifest's {file.Sha256}: the file was changed");
            }
        }

        return problems;
    }

    /// <summary>
    /// <see cref="Verify"/>, and then that the package is this case's: its signed manifest names the case's id, site,
    /// camera and event time, and its signed plate.json (when it has one) the case's plate read. A package backs one
    /// case only: another case pointing at it (a new case id with an earlier package of the same official) is refused.
    /// </summary>
    public static IReadOnlyList<string> VerifyFor(CaseRecord record, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(record);
        var problems = Verify(record.EvidenceFolder, key, out var manifest);
        if (problems.Count > 0 || manifest is null)
        {
            return problems;
        }

        if (!string.Equals(manifest.CaseId, record.CaseId, StringComparison.Ordinal))
        {
            problems.Add($"the package is case {manifest.CaseId}'s, not {record.CaseId}'s: a package backs one case only");
        }

        if (!string.Equals(manifest.SiteId, record.SiteId, StringComparison.Ordinal))
        {
            problems.Add($"the package was signed for site {manifest.SiteId}, the case says {record.SiteId}");
        }

        if (!string.Equals(manifest.CameraId, record.CameraId, StringComparison.Ordinal))
        {
            problems.Add($"the package is of camera {manifest.CameraId}, the case says {record.CameraId}");
        }

        if (Math.Abs((manifest.EventAt - record.EventAt).TotalMilliseconds) >= 1)
        {
            problems.Add($"the package's event is at {manifest.EventAt:O}, the case says {record.EventAt:O}");
        }

        if (manifest.Files.Any(f => f.Name == "plate.json") && VotedPlate(record.EvidenceFolder) is var voted && voted != record.PlateRead)
        {
            problems.Add($"the case's plate read {record.PlateRead ?? "(none)"} is not the package's {voted ?? "(none)"}");
        }

        return problems;
    }

    /// <summary>The voted plate text of a verified package's plate.json, or null when it has none.</summary>
    private static string? VotedPlate(string folder)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "plate.json")));
            return document.RootElement.TryGetProperty("voted", out var voted) && voted.ValueKind == JsonValueKind.Object
                && voted.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                ? text.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return "(plate.json not readable)";
        }
    }

    /// <summary>The package's manifest as written (signature not checked), or null when there is none or it cannot be read.</summary>
    public static EvidenceManifest? ReadManifest(string folder)
    {
        var manifestPath = Path.Combine(folder, "manifest.json");
        var info = new FileInfo(manifestPath);
        if (!info.Exists || info.LinkTarget is not null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<EvidenceManifest>(File.ReadAllText(manifestPath), EvidenceJson.Files);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The path of package file <paramref name="name"/> in <paramref name="root"/> (a full path), or null when the
    /// name would leave the folder (absolute, <c>..</c>, a separator) or names a link.
    /// </summary>
    public static string? PathInside(string root, string name)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (string.IsNullOrWhiteSpace(name) || name is "." or ".." || Path.IsPathRooted(name)
            || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.Combine(root, name);
        return new FileInfo(path) is { Exists: true, LinkTarget: not null } ? null : path;
    }
}
