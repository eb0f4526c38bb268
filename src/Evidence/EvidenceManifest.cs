using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrosswalkWatch.Evidence;

/// <summary>One file of a package with its sha256.</summary>
public sealed record EvidenceFile(string Name, string Role, string Sha256, long Bytes);

/// <summary>
/// The box's clock as measured against its NTP servers when the event was captured (clock.servers): the offset (the
/// servers' time minus the box's, milliseconds, known to within <see cref="UncertaintyMs"/>), the server, when it was
/// measured and the limit it is held to. Signed with the manifest, so a reviewer can trust what it says of the
/// photos' times.
/// </summary>
public sealed record EvidenceClock(double OffsetMs, double UncertaintyMs, string Server, DateTimeOffset MeasuredAt, int MaxOffsetMs)
{
    /// <summary>Off by more than the limit (GA/T 832: 1 s): the times burned into the photos are not to be relied on.</summary>
    [JsonIgnore]
    public bool Exceeded => Math.Abs(OffsetMs) > MaxOffsetMs;
}

/// <summary>
/// The camera's own clock as measured from its RTCP sender reports (clock.cameraCheckMinutes): its offset from the
/// box's (the camera's time minus the box's, milliseconds), from how many reports, when, and the limit it is held to.
/// The camera burns its own time into its picture (the OSD), so a reviewer comparing it with the package's times
/// needs to know. Signed with the manifest.
/// </summary>
public sealed record EvidenceCameraClock(double OffsetMs, int Reports, DateTimeOffset MeasuredAt, int MaxOffsetMs)
{
    /// <summary>Off by more than the limit: the time the camera burns into its picture is off by as much.</summary>
    [JsonIgnore]
    public bool Exceeded => Math.Abs(OffsetMs) > MaxOffsetMs;
}

/// <summary>
/// The anti-forgery mark burned into a photo, with what it derives from: the site key's signature of the overlay text
/// and of the sha256 of the picture's pixels before the overlay; the mark is the first 16 hex digits of the SHA-256 of
/// that signature. Only the site's private key can make a signature that verifies, so only the site's box can make a
/// mark that the signed manifest backs.
/// </summary>
public sealed record EvidenceMark(string File, string Text, string PixelSha256, string Signature)
{
    /// <summary>The statement signed: the overlay text, a bar, the pixels' sha256.</summary>
    public static byte[] Statement(string text, string pixelSha256) => Encoding.UTF8.GetBytes(text + "|" + pixelSha256);

    /// <summary>The mark printed on the photo for a signature (hex).</summary>
    public static string CodeOf(string signature) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(signature)))[..16];
}

/// <summary>
/// <c>manifest.json</c> of a package: what the case is, every file with its sha256, and a signature over all of it, so
/// a changed file or a changed manifest is detected. Format 2: signed by the site's own private key
/// (<see cref="SignatureAlgorithm"/> <c>ecdsa-p256-sha256</c>, <see cref="KeyId"/> naming the key) over the manifest's
/// JSON with <see cref="Signature"/> empty, with the photos' marks. Format 1 (read, never written): an HMAC-SHA256 with
/// the legacy key every box shared, over the same JSON without the format-2 fields.
/// </summary>
public sealed record EvidenceManifest
{
    /// <summary>The format written: per-site ECDSA keys.</summary>
    public const int Version = 2;

    /// <summary>The format of packages signed with the legacy shared HMAC key.</summary>
    public const int LegacyVersion = 1;

    public int FormatVersion { get; init; } = Version;

    public required string SiteId { get; init; }

    public required string CameraId { get; init; }

    public required string CaseId { get; init; }

    public required DateTimeOffset EventAt { get; init; }

    public required IReadOnlyList<EvidenceFile> Files { get; init; }

    /// <summary>Hex: the ECDSA signature (r‖s) in format 2, the HMAC-SHA256 in format 1, of the manifest with this field empty.</summary>
    public string Signature { get; init; } = "";

    /// <summary>Format 2: <see cref="EvidenceSigner.Algorithm"/>. Absent in format 1 (so its signed JSON is as it was).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SignatureAlgorithm { get; init; }

    /// <summary>Format 2: the id of the site key that signed (<see cref="SitePublicKey.IdOf"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyId { get; init; }

    /// <summary>Format 2: the photos' anti-forgery marks with the signatures they derive from.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<EvidenceMark>? Marks { get; init; }

    /// <summary>
    /// Format 2: the box's clock against its NTP servers at the event, where it was measured (absent without
    /// clock.servers, and in packages from before it was written).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EvidenceClock? Clock { get; init; }

    /// <summary>Format 2: the camera's own clock against the box's at the event, where it was measured from its sender reports.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EvidenceCameraClock? CameraClock { get; init; }

    /// <summary>This manifest as format 2, signed by <paramref name="signer"/>.</summary>
    public EvidenceManifest SignedBy(EvidenceSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var unsigned = this with { FormatVersion = Version, SignatureAlgorithm = EvidenceSigner.Algorithm, KeyId = signer.KeyId, Signature = "" };
        return unsigned with { Signature = Convert.ToHexStringLower(signer.Sign(unsigned.SignedBytes())) };
    }

    /// <summary>This manifest as format 1 with the legacy shared key's HMAC: how packages were signed before per-site keys (tests make such packages).</summary>
    public EvidenceManifest WithLegacySignature(byte[] key)
    {
        var unsigned = this with { FormatVersion = LegacyVersion, SignatureAlgorithm = null, KeyId = null, Marks = null, Clock = null, CameraClock = null, Signature = "" };
        return unsigned with { Signature = unsigned.LegacySignature(key) };
    }

    /// <summary>The HMAC-SHA256 (hex) of this manifest with the legacy key, as format 1 signs.</summary>
    public string LegacySignature(byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, SignedBytes()));

    /// <summary>Whether the format-2 signature is <paramref name="publicKeyPem"/>'s.</summary>
    public bool SignatureVerifies(string publicKeyPem)
    {
        if (Signature.Length != 128 || !Signature.All(Uri.IsHexDigit))
        {
            return false;
        }

        return SitePublicKey.Verifies(publicKeyPem, SignedBytes(), Convert.FromHexString(Signature));
    }

    /// <summary>What is signed: the manifest's JSON with the signature empty.</summary>
    public byte[] SignedBytes() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this with { Signature = "" }, EvidenceJson.Files));

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
