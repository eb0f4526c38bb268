using System.Security.Cryptography;
using System.Text;
using CrosswalkWatch.Domain.Files;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// A box's own signing key (ECDSA P-256 with SHA-256): made once on the box, kept as PKCS#8 PEM in a file readable by
/// the owner only from its first byte (<c>DATA/keys/site-private.pem</c>), never sent anywhere. Only its public key
/// (<see cref="PublicKeyPem"/>, printed by <c>cww sites key</c>) goes to the central site, which verifies the box's
/// packages with it; so a box can sign for its own site only. Keep a copy of the file off the box to go on signing
/// with the same key after a disk is replaced; a lost key is replaced by a new one (the old packages keep verifying).
/// </summary>
public sealed class EvidenceSigner : IDisposable
{
    /// <summary>The manifest's <c>signatureAlgorithm</c> for this key's signatures.</summary>
    public const string Algorithm = "ecdsa-p256-sha256";

    private readonly ECDsa _key;

    private EvidenceSigner(ECDsa key)
    {
        _key = key;
        var spki = key.ExportSubjectPublicKeyInfo();
        KeyId = SitePublicKey.IdOf(spki);
        PublicKeyPem = PemEncoding.WriteString("PUBLIC KEY", spki);
    }

    /// <summary>The key's id: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo.</summary>
    public string KeyId { get; }

    /// <summary>The public key alone (SubjectPublicKeyInfo as PEM): what the central site registers.</summary>
    public string PublicKeyPem { get; }

    /// <summary>Where a box keeps its signing key in its data folder.</summary>
    public static string DefaultPath(string dataDirectory) => Path.Combine(dataDirectory, "keys", "site-private.pem");

    /// <summary>The key at <paramref name="path"/>, or a new one written there (owner-only from its first byte) when there is none.</summary>
    public static EvidenceSigner LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Load(path);
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            var pem = Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem());
            if (!OwnerOnlyFile.WriteNew(path, pem, replace: false))
            {
                key.Dispose();
                return Load(path); // another process made it first: use that one
            }

            return new EvidenceSigner(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The key at <paramref name="path"/>; an <see cref="EvidenceException"/> when it is not a P-256 private key.</summary>
    public static EvidenceSigner Load(string path)
    {
        try
        {
            return FromPem(File.ReadAllText(path));
        }
        catch (EvidenceException e)
        {
            throw new EvidenceException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>A key from its PKCS#8 (or SEC1) PEM.</summary>
    public static EvidenceSigner FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            SitePublicKey.RequireP256(key);
            return new EvidenceSigner(key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new EvidenceException($"not an ECDSA P-256 private key ({e.Message})", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>A new key held in memory only (tests, and replays that keep no key).</summary>
    public static EvidenceSigner CreateEphemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The signature of <paramref name="data"/>: ECDSA P-256 over its SHA-256, r‖s (64 bytes, IEEE P1363).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();
}

/// <summary>A site's public key as PEM: checked (a P-256 public key, never private material) and named by its id.</summary>
public static class SitePublicKey
{
    private const string P256 = "1.2.840.10045.3.1.7";

    /// <summary>The id of a key: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo (DER).</summary>
    public static string IdOf(ReadOnlySpan<byte> subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    /// <summary>
    /// The public key in <paramref name="pem"/> as (id, normalised PEM): exactly one <c>PUBLIC KEY</c> block, an ECDSA
    /// P-256 key. A private key is refused with a word on what to give instead, so it is never stored by mistake.
    /// </summary>
    public static (string KeyId, string Pem) Parse(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new EvidenceException("no PEM block found: expected the box's public key as printed by `cww sites key` (-----BEGIN PUBLIC KEY-----)");
        }

        var label = pem[fields.Label];
        if (label.Contains("PRIVATE", StringComparison.Ordinal) || pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new EvidenceException("this is a private key: it never leaves the box; give its public key instead (`cww sites key` on the box prints it)");
        }

        if (label != "PUBLIC KEY")
        {
            throw new EvidenceException($"a PEM '{label}' block: expected a PUBLIC KEY (as `cww sites key` prints it)");
        }

        var spki = Convert.FromBase64String(pem[fields.Base64Data]);
        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
            {
                throw new EvidenceException("the public key has trailing bytes");
            }

            RequireP256(key);
        }
        catch (CryptographicException e)
        {
            throw new EvidenceException($"not an ECDSA public key ({e.Message})", e);
        }

        var exported = key.ExportSubjectPublicKeyInfo();
        return (IdOf(exported), PemEncoding.WriteString("PUBLIC KEY", exported));
    }

    /// <summary>Whether <paramref name="signature"/> (r‖s) is <paramref name="pem"/>'s signature of <paramref name="data"/>.</summary>
    public static bool Verifies(string pem, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }

        return key.KeySize == 256 && key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    internal static void RequireP256(ECDsa key)
    {
        var curve = key.ExportParameters(false).Curve;
        if (curve.Oid?.Value != P256 && curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256" or "secp256r1"))
        {
            throw new EvidenceException($"an ECDSA key on curve {curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "(unnamed)"}: expected P-256");
        }
    }
}
