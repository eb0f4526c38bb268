using System.Text.Json;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Sites;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Media.Clips;

namespace CrosswalkWatch.Testing;

/// <summary>
/// Small evidence packages for review tests: a few files and a manifest signed through the same
/// <see cref="EvidenceManifest"/> code <see cref="EvidenceBuilder"/> uses, so <see cref="EvidenceVerifier"/> checks them
/// as it checks real ones: format 2 signed by <see cref="Signer"/> (site <see cref="Site"/>'s box), or format 1 with
/// the legacy shared key.
/// </summary>
internal static class EvidencePackages
{
    /// <summary>The site the packages are issued for.</summary>
    public const string Site = "site-01";

    /// <summary>The legacy shared HMAC key that signed format-1 packages.</summary>
    public static readonly byte[] LegacyKey = [.. Enumerable.Range(7, 32).Select(i => (byte)i)];

    /// <summary>Site <see cref="Site"/>'s box's signing key (made once per test run).</summary>
    public static readonly EvidenceSigner Signer = EvidenceSigner.CreateEphemeral();

    /// <summary>
    /// What the packages verify with: <see cref="Signer"/>'s public key for <see cref="Site"/> (registered in 2027, so
    /// the tests' format-1 packages are of the shared-key days), and the legacy key.
    /// </summary>
    public static readonly EvidenceKeys Keys = new([new SiteKey(Site, Signer.KeyId, Signer.PublicKeyPem, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero))], LegacyKey);

    /// <summary>
    /// A package of a clip, a photo and the reasons (text standing in for them), or of <paramref name="contents"/> when
    /// given, signed by <paramref name="signer"/> (default <see cref="Signer"/>) for <paramref name="site"/>; with
    /// <paramref name="legacy"/>, format 1 signed with <see cref="LegacyKey"/>; with a plate.json voting
    /// <paramref name="plate"/> surely when one is given (a case's plate read must be its package's).
    /// </summary>
    public static string Write(
        string root, string caseId, DateTimeOffset at, IReadOnlyList<(string Name, string Role, byte[] Bytes)>? contents = null, EvidenceSigner? signer = null, string site = Site, bool legacy = false, string? plate = null)
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

        var unsigned = new EvidenceManifest { SiteId = site, CameraId = "cam1", CaseId = caseId, EventAt = at, Files = files };
        var manifest = legacy ? unsigned.WithLegacySignature(LegacyKey) : unsigned.SignedBy(signer ?? Signer);
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

    /// <summary>
    /// Registers <paramref name="signer"/>'s public key (default <see cref="Signer"/>) for <paramref name="site"/> in the
    /// store of <paramref name="storage"/> and <paramref name="data"/>, as <c>cww sites add</c> does, at <paramref name="addedAt"/> (default long ago).
    /// </summary>
    public static async Task RegisterAsync(StorageConfig storage, string data, EvidenceSigner? signer = null, string site = Site, DateTimeOffset? addedAt = null)
    {
        signer ??= Signer;
        using var store = SiteKeyStore.Open(storage, data);
        await store.MigrateAsync();
        await store.AddAsync(new SiteKey(site, signer.KeyId, signer.PublicKeyPem, addedAt ?? new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)), "test");
    }
}

/// <summary>Every moment is the same still photo; the clip is a stand-in file (for tests of what is built from the photos, not of the clip).</summary>
internal sealed class StillEvidenceSource(string photo) : IEvidenceSource
{
    public Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult((photo, 0.0));

    public IDisposable Keep(DateTimeOffset from) => NothingToRelease.Instance;

    public Task WaitForRecordingAsync(DateTimeOffset until, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(output, "stand-in clip", cancellationToken);
        return new ClipResult(output, windowStart, windowEnd, 1, CoversWindow: true, Codec: "h264"); // as an H.264 camera's: no rendition
    }
}
