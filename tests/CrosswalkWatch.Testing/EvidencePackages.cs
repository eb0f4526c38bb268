using System.Text.Json;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Media.Clips;

namespace CrosswalkWatch.Testing;

/// <summary>
/// Small evidence packages for review tests: a few files and a manifest signed through the same
/// <see cref="EvidenceManifest"/> code <see cref="EvidenceBuilder"/> uses, so <see cref="EvidenceVerifier"/> checks them as it checks real ones.
/// </summary>
internal static class EvidencePackages
{
    public static readonly byte[] Key = [.. Enumerable.Range(7, 32).Select(i => (byte)i)];

    /// <summary>A package of a clip, a photo and the reasons (text standing in for them), or of <paramref name="contents"/> when given.</summary>
    public static string Write(string root, string caseId, DateTimeOffset at, IReadOnlyList<(string Name, string Role, byte[] Bytes)>? contents = null)
    {
        var folder = Path.Combine(root, "evidence", at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), caseId);
        Directory.CreateDirectory(folder);
        var files = new List<EvidenceFile>();
        contents ??= [.. new[] { ("clip.mp4", "clip"), ("photo2-on-line.jpg", "photo"), ("candidate.json", "candidate") }
            .Select(f => (f.Item1, f.Item2, System.Text.Encoding.UTF8.GetBytes($"{caseId} {f.Item1}")))];
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
}

/// <summary>Every moment is the same still photo; the clip is a stand-in file (for tests of what is built from the photos, not of the clip).</summary>
internal sealed class StillEvidenceSource(string photo) : IEvidenceSource
{
    public Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult((photo, 0.0));

    public async Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(output, "stand-in clip", cancellationToken);
        return new ClipResult(output, windowStart, windowEnd, 1, CoversWindow: true);
    }
}
