using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CrosswalkWatch.Evidence;

/// <summary>One file of a package with its sha256.</summary>
public sealed record EvidenceFile(string Name, string Role, string Sha256, long Bytes);

/// <summary>
/// <c>manifest.json</c> of a package: what the case is, every file with its sha256, and an HMAC-SHA256 signature
/// over all of it with the site key, so a changed file or a changed manifest is detected.
/// </summary>
public sealed record EvidenceManifest
{
    public const int Version = 1;

    public int FormatVersion { get; init; } = Version;

    public required string SiteId { get; init; }

    public required string CameraId { get; init; }

    public required string CaseId { get; init; }

    public required DateTimeOffset EventAt { get; init; }

    public required IReadOnlyList<EvidenceFile> Files { get; init; }

    /// <summary>HMAC-SHA256 (hex) of the manifest with this field empty.</summary>
    public string Signature { get; init; } = "";

    public EvidenceManifest WithSignature(byte[] key) => this with { Signature = Sign(key) };

    public string Sign(byte[] key)
    {
        var unsigned = JsonSerializer.Serialize(this with { Signature = "" }, EvidenceJson.Files);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(unsigned)));
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
