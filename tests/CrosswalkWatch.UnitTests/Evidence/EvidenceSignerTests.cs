using System.Security.Cryptography;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.UnitTests.Evidence;

/// <summary>A box's signing key: owner-only from its first byte, never written through a planted link, and its public half holds nothing private.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EvidenceSignerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void LoadOrCreate_NewKey_IsOwnerOnlyP256AndReadBackTheSame()
    {
        var path = EvidenceSigner.DefaultPath(_temp.Path);

        using var signer = EvidenceSigner.LoadOrCreate(path);
        using var again = EvidenceSigner.LoadOrCreate(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(signer.KeyId, again.KeyId);
        Assert.Matches("^[0-9a-f]{16}$", signer.KeyId);
        Assert.False(File.Exists(path + ".part"));
        Assert.Contains("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadOrCreate_APlantedLinkAtTheTemporaryName_IsNotWrittenThrough()
    {
        var path = EvidenceSigner.DefaultPath(_temp.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stolen = _temp.File("stolen");
        await File.WriteAllTextAsync(stolen, "the attacker's file");
        File.CreateSymbolicLink(path + ".part", stolen);

        using var signer = EvidenceSigner.LoadOrCreate(path);

        Assert.Equal("the attacker's file", await File.ReadAllTextAsync(stolen));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var read = EvidenceSigner.Load(path);
        Assert.Equal(signer.KeyId, read.KeyId);
    }

    [Fact]
    public void PublicKeyPem_HoldsNoPrivateMaterial_AndAPrivateKeyIsRefusedAsAPublicOne()
    {
        var path = EvidenceSigner.DefaultPath(_temp.Path);
        using var signer = EvidenceSigner.LoadOrCreate(path);
        using var full = ECDsa.Create();
        full.ImportFromPem(File.ReadAllText(path));
        var d = full.ExportParameters(includePrivateParameters: true).D!;

        var der = Convert.FromBase64String(signer.PublicKeyPem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Aggregate("", (a, l) => a + l.Trim()));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", signer.PublicKeyPem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", signer.PublicKeyPem, StringComparison.Ordinal);
        Assert.Equal(-1, der.AsSpan().IndexOf(d));
        using var publicOnly = ECDsa.Create();
        publicOnly.ImportFromPem(signer.PublicKeyPem);
        Assert.Throws<CryptographicException>(() => publicOnly.ExportParameters(includePrivateParameters: true));

        Assert.Equal((signer.KeyId, signer.PublicKeyPem), SitePublicKey.Parse(signer.PublicKeyPem));
        Assert.Contains("this is a private key", Assert.Throws<EvidenceException>(() => SitePublicKey.Parse(File.ReadAllText(path))).Message, StringComparison.Ordinal);
        using var rsa = RSA.Create(2048);
        Assert.Throws<EvidenceException>(() => SitePublicKey.Parse(rsa.ExportSubjectPublicKeyInfoPem()));
    }

    public void Dispose() => _temp.Dispose();
}
