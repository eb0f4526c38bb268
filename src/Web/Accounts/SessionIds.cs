using System.Security.Cryptography;
using System.Text;

namespace CrosswalkWatch.Web.Accounts;

/// <summary>
/// Console session ids: 32 random bytes (base64url) carried in the encrypted session cookie as the
/// <see cref="Claim"/> claim; the sessions table keeps only their SHA-256, so a copy of the database opens no session.
/// </summary>
public static class SessionIds
{
    /// <summary>The claim of the session cookie that holds the session id.</summary>
    public const string Claim = "cww:session";

    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What the sessions table keeps of <paramref name="id"/>: its SHA-256, in hex.</summary>
    public static string Hash(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
    }
}
