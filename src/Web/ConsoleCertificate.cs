using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.Web;

/// <summary>
/// The certificate of an https:// console: web.certificateFile (PFX, or PEM with its key), or a self-signed one made
/// once in DATA/keys/web/console.pfx (its SHA-256 fingerprint is printed so users can check what their browser shows).
/// </summary>
internal static class ConsoleCertificate
{
    public static X509Certificate2 Load(WebConfig web, string dataDirectory, string host)
    {
        if (web.CertificateFile is { } file)
        {
            try
            {
                return Path.GetExtension(file).ToUpperInvariant() is ".PFX" or ".P12"
                    ? X509CertificateLoader.LoadPkcs12FromFile(file, null)
                    : X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPemFile(file).Export(X509ContentType.Pkcs12), null);
            }
            catch (CryptographicException e)
            {
                throw new WebConsoleException($"web.certificateFile {file}: not a certificate with its private key ({e.Message})", e);
            }
        }

        var path = Path.Combine(dataDirectory, "keys", "web", "console.pfx");
        if (File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, null);
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=CrosswalkWatch console", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        if (System.Net.IPAddress.TryParse(host, out var ip))
        {
            names.AddIpAddress(ip);
        }
        else if (host != "localhost")
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        var pfx = made.Export(X509ContentType.Pkcs12);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, pfx);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Console.WriteLine($"web console: made a self-signed certificate {path} (SHA-256 {made.GetCertHashString(HashAlgorithmName.SHA256)})");
        return X509CertificateLoader.LoadPkcs12(pfx, null);
    }
}
