using System.Text.Json;
using CrosswalkWatch.Domain.Sites;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.UnitTests.Evidence;

/// <summary>
/// A key per site: a package verifies only with a key registered for the site its manifest names, a retired key only
/// for events before its retirement, and the legacy shared key only for format-1 packages, which are marked so.
/// </summary>
public sealed class SiteKeyVerificationTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset LongAgo = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();
    private readonly EvidenceSigner _siteA = EvidenceSigner.CreateEphemeral();
    private readonly EvidenceSigner _siteB = EvidenceSigner.CreateEphemeral();

    [Fact]
    public async Task Verify_PackageForSiteBSignedByBoxA_RefusedAndNoFileOpened()
    {
        var keys = Keys(Key("site-a", _siteA), Key("site-b", _siteB));
        var forged = EvidencePackages.Write(_temp.Path, "forged", At, signer: _siteA, site: "site-b");
        await File.AppendAllTextAsync(Path.Combine(forged, "clip.mp4"), "changed");

        var check = await EvidenceVerifier.VerifyAsync(forged, keys);

        Assert.Equal([$"{Path.Combine(forged, "manifest.json")}: signed with key {_siteA.KeyId}, which is not a key of site site-b (`cww sites list`): another site's box, or a key never registered, signed it"], check.Problems);
        Assert.Equal("", check.SignedBy);
        Assert.Empty((await EvidenceVerifier.VerifyAsync(EvidencePackages.Write(_temp.Path, "own", At, signer: _siteA, site: "site-a"), keys)).Problems);
    }

    [Fact]
    public async Task Verify_KeyIdOfSiteBsKeyButSignedByA_SignatureRefused()
    {
        // Box A writes site B's key id into the manifest and signs with its own key.
        var folder = EvidencePackages.Write(_temp.Path, "forged", At, signer: _siteA, site: "site-b");
        var path = Path.Combine(folder, "manifest.json");
        var manifest = JsonSerializer.Deserialize<EvidenceManifest>(await File.ReadAllTextAsync(path), EvidenceJson.Files)!;
        var lying = manifest with { KeyId = _siteB.KeyId, Signature = "" };
        lying = lying with { Signature = Convert.ToHexStringLower(_siteA.Sign(lying.SignedBytes())) };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(lying, EvidenceJson.Files));

        var check = await EvidenceVerifier.VerifyAsync(folder, Keys(Key("site-a", _siteA), Key("site-b", _siteB)));

        Assert.Contains("the signature does not match", Assert.Single(check.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RetiredKey_VerifiesEventsBeforeItsRetirementOnly()
    {
        using var fresh = EvidenceSigner.CreateEphemeral();
        var retiredAt = At.AddDays(1);
        var keys = Keys(Key("site-a", _siteA) with { RetiredAt = retiredAt }, Key("site-a", fresh, At));
        var before = EvidencePackages.Write(_temp.Path, "before", At, signer: _siteA, site: "site-a");
        var after = EvidencePackages.Write(_temp.Path, "after", retiredAt, signer: _siteA, site: "site-a");
        var rotated = EvidencePackages.Write(_temp.Path, "rotated", retiredAt.AddDays(1), signer: fresh, site: "site-a");

        var old = await EvidenceVerifier.VerifyAsync(before, keys);
        Assert.Empty(old.Problems);
        Assert.Contains("retired at", old.SignedBy, StringComparison.Ordinal);
        Assert.Contains($"retired at {retiredAt:O}: it vouches only for events before then", Assert.Single((await EvidenceVerifier.VerifyAsync(after, keys)).Problems), StringComparison.Ordinal);
        Assert.Empty((await EvidenceVerifier.VerifyAsync(rotated, keys)).Problems);
    }

    [Fact]
    public async Task Verify_FormatOnePackage_VerifiesWithTheLegacyKeyMarkedLegacy_AndNotAfterTheSiteHadItsOwnKey()
    {
        var legacy = EvidencePackages.Write(_temp.Path, "legacy", At, legacy: true);
        var tooLate = EvidencePackages.Write(_temp.Path, "too-late", At.AddDays(30), legacy: true);
        var keys = Keys(Key(EvidencePackages.Site, _siteA, At.AddDays(1)));

        var check = await EvidenceVerifier.VerifyAsync(legacy, keys);

        Assert.Empty(check.Problems);
        Assert.True(check.Legacy);
        Assert.StartsWith("legacy shared-key signature (format 1)", check.SignedBy, StringComparison.Ordinal);
        Assert.Contains("after site site-01 had its own key", Assert.Single((await EvidenceVerifier.VerifyAsync(tooLate, keys)).Problems), StringComparison.Ordinal);
        Assert.Contains("no legacy shared key", Assert.Single((await EvidenceVerifier.VerifyAsync(legacy, new EvidenceKeys([]))).Problems), StringComparison.Ordinal);
        Assert.Contains("signature does not match", Assert.Single((await EvidenceVerifier.VerifyAsync(legacy, new EvidenceKeys([], new byte[32]))).Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FormatOneManifestAsThePreviousVersionWroteIt_VerifiesMarkedLegacy()
    {
        // Written here as the previous version wrote it (its properties in its order, HMAC over the JSON with the
        // signature empty), not through EvidenceManifest, so a change in how format 1 is read shows.
        var folder = _temp.File("old");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "clip.mp4"), "the clip");
        EvidenceFile[] files = [new("clip.mp4", "clip", EvidenceManifest.Sha256Of(Path.Combine(folder, "clip.mp4")), 8)];
        var unsigned = JsonSerializer.Serialize(new { FormatVersion = 1, SiteId = "site-01", CameraId = "cam1", CaseId = "old", EventAt = At, Files = files, Signature = "" }, EvidenceJson.Files);
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(EvidencePackages.LegacyKey, System.Text.Encoding.UTF8.GetBytes(unsigned)));
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(new { FormatVersion = 1, SiteId = "site-01", CameraId = "cam1", CaseId = "old", EventAt = At, Files = files, Signature = signature }, EvidenceJson.Files));

        var check = await EvidenceVerifier.VerifyAsync(folder, EvidencePackages.Keys);

        Assert.Empty(check.Problems);
        Assert.True(check.Legacy);
    }

    public void Dispose()
    {
        _siteA.Dispose();
        _siteB.Dispose();
        _temp.Dispose();
    }

    private static SiteKey Key(string site, EvidenceSigner signer, DateTimeOffset? addedAt = null) => new(site, signer.KeyId, signer.PublicKeyPem, addedAt ?? LongAgo);

    private static EvidenceKeys Keys(params SiteKey[] keys) => new(keys, EvidencePackages.LegacyKey);
}
