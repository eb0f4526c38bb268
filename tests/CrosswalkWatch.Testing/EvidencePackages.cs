using System.Text.Json;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.Testing;

/// <summary>
/// Small evidence packages for review tests: a few files and a manifest signed through the same
/// <see cref="EvidenceManifest"/> code <see cref="EvidenceBuilder"/> uses, so <see cref="EvidenceVerifier"/> checks them as it checks real ones.
/// </summary>
internal static class EvidencePackages
{
    public static readonly byte[] Key = [.. Enumerable.Range(7, 32).Select(i => (byte)i)];

    /// <summary>
    /// A package of a clip, a photo and the reasons (text standing in for them), or of <paramref name="contents"/> when
    /// given; with a plate.json voting <paramref name="plate"/> surely when one is given (a case's plate read must be its package's).
    /// </summary>
    public static string Write(string root, string caseId, DateTimeOffset at, IReadOnlyList<(string Name, string Role, byte[] Bytes)>? contents = null, string? plate = null)
    {
        var folder = Path.Combine(root, "evidence", at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), caseId);
        Directory.CreateDirectory(folder);
        var files = new List<EvidenceFile>();
        contents ??= [.. new[] { ("clip.mp4", "clip"), ("photo2-on-line.jpg", "photo"), ("candidate.json", "candidate") }
            .Select(f => (f.Item1, f.Item2, System.Text.Encoding.UTF8.GetBytes($"{caseId} {f.Item1}")))];
        if (plate is not null)
        {
            contents = [.. contents, ("plate.json", "plate reads", PlateJson(plate))];
        }

        foreach (var (name, role, bytes) in contents)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, bytes);
            files.Add(new EvidenceFile(name, role, EvidenceManifest.Sha256Of(path), new FileInfo(path).Length));
        }

        var manifest = new EvidenceManifest { SiteId = "site-01", CameraId = "cam1", CaseId = caseId, EventAt = at, Files = files }.WithSignature(Key);
        File.WriteAllText(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, EvidenceJson.Files));
        return folder;
    }

    /// <summary>A plate.json whose vote is <paramref name="plate"/>, every character sure and three photos agreeing.</summary>
    public static byte[] PlateJson(string plate) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        voted = new
        {
            text = plate,
            valid = true,
            colour = "blue",
            minConfidence = 0.98,
            reads = 3,
            voting = 3,
            agreeing = 3,
            validReads = 3,
            characters = plate.EnumerateRunes().Select(r => new { symbol = r.ToString(), confidence = 0.98, votes = 3 }),
        },
        reads = Array.Empty<object>(),
    });
}
