using System.Text.Json;

namespace CrosswalkWatch.Evidence;

/// <summary>Checks a package: the manifest's signature with the site key, and every file's presence and sha256.</summary>
public static class EvidenceVerifier
{
    /// <summary>Every problem found, in words; empty when the package is intact.</summary>
    public static IReadOnlyList<string> Verify(string folder, byte[] key)
    {
        var problems = new List<string>();
        var manifestPath = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            return [$"{folder}: no manifest.json"];
        }

        EvidenceManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<EvidenceManifest>(File.ReadAllText(manifestPath), EvidenceJson.Files);
        }
        catch (JsonException e)
        {
            return [$"{manifestPath}: not a readable manifest: {e.Message}"];
        }

        if (manifest is null)
        {
            return [$"{manifestPath}: empty manifest"];
        }

        if (!string.Equals(manifest.Signature, manifest.Sign(key), StringComparison.Ordinal))
        {
            problems.Add($"{manifestPath}: the signature does not match: the manifest was changed, or signed with another site's key");
        }

        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(folder, file.Name);
            if (!File.Exists(path))
            {
                problems.Add($"{file.Name}: missing");
            }
            else if (EvidenceManifest.Sha256Of(path) is var actual && actual != file.Sha256)
            {
                problems.Add($"{file.Name}: sha256 {actual} differs from the manifest's {file.Sha256}: the file was changed");
            }
        }

        return problems;
    }
}
