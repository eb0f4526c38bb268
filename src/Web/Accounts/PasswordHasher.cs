using System.Globalization;
using System.Security.Cryptography;

namespace CrosswalkWatch.Web.Accounts;

/// <summary>
/// Passwords as slow hashes: PBKDF2 with HMAC-SHA256, 600,000 iterations (OWASP's 2023 figure), a 16-byte random salt,
/// stored as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64) so the cost can rise later and old hashes still check.
/// </summary>
public static class PasswordHasher
{
    public const int Iterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>The shortest password an account may have.</summary>
    public const int MinLength = 10;

    public static string Hash(string password, int iterations = Iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="password"/> is the one hashed; compares in constant time; false for a malformed hash.</summary>
    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = (stored ?? "").Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Why a new password is refused, or null when it will do.</summary>
    public static AccountProblem? Weakness(string? password) =>
        string.IsNullOrEmpty(password) || password.Length < MinLength ? new AccountProblem("admin.error.passwordShort", ("min", MinLength))
        : password.Trim().Length == 0 ? new AccountProblem("admin.error.passwordBlank")
        : null;
}
