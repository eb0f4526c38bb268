using System.Text.Json;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.Tests.Review;

/// <summary>
/// Small evidence packages for review tests: a few files and a manifest signed through the same
/// <see cref="EvidenceManifest"/> code <see cref="EvidenceBuilder"/> uses, so <see cref="EvidenceVerifier"/> checks them as it checks real ones.
/// </summary>
internal static class EvidencePackages
{
    public static readonly byte[] Key = [.. Enumerable.Range(7, 32).Select(i => (byte)i)];

    public static string Write(string root, string caseId, DateTimeOffset at)
    {
        var folder = Path.Combine(root, "evidence", at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), caseId);
        Directory.CreateDirectory(folder);
        var files = new List<EvidenceFile>();
        foreach (var (name, role) in new[] { ("clip.mp4", "clip"), ("photo2-on-line.jpg", "photo"), ("candidate.json", "candidate") })
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, $"{caseId} {name}");
            files.Add(new EvidenceFile(name, role, EvidenceManifest.Sha256Of(path), new FileInfo(path).Length));
        }

        var manifest = new EvidenceManifest { SiteId = "site-01", CameraId = "cam1", CaseId = caseId, EventAt = at, Files = files }.WithSignature(Key);
        File.WriteAllText(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, EvidenceManifest.Json));
        return folder;
    }
}
