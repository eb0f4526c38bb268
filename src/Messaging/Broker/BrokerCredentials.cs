using System.Security.Cryptography;
using System.Text;
using CrosswalkWatch.Domain.Files;

namespace CrosswalkWatch.Messaging.Broker;

/// <summary>
/// The broker accounts' passwords, one file per account in one folder: <c>FOLDER/USER.password</c> (e.g.
/// <c>site-jn-0417.password</c>, <c>central.password</c>), each 32 random bytes in base64url, readable by the owner only
/// from its first byte. A password already there is kept, so making the files again for one more site changes no
/// other box's password. The folder is what <c>cww broker acl --out</c> writes and what the embedded broker keeps in
/// <c>DATA/keys/broker/</c>; a box is given its own file only.
/// </summary>
public sealed class BrokerCredentials
{
    private readonly Dictionary<string, string> _passwords;

    private BrokerCredentials(string folder, IReadOnlyList<BrokerRole> roles, Dictionary<string, string> passwords)
    {
        Folder = folder;
        Roles = roles;
        _passwords = passwords;
    }

    public string Folder { get; }

    /// <summary>The accounts, in the order given.</summary>
    public IReadOnlyList<BrokerRole> Roles { get; }

    /// <summary>
    /// The embedded broker's accounts in <c>DATA/keys/broker/</c>: the box's site, central, office and the site's
    /// signal controller (for a gateway on the box itself: the broker listens on loopback only), made on first use, so a
    /// one-box install needs no setup and a second process on the box (<c>cww central</c>) signs in too.
    /// </summary>
    public static BrokerCredentials ForEmbedded(string dataFolder, string siteId) =>
        OpenOrCreate(Path.Combine(dataFolder, "keys", "broker"), [BrokerRole.Site(siteId), BrokerRole.Central, BrokerRole.Office, BrokerRole.Signal(siteId)]);

    /// <summary>The password file of <paramref name="role"/>'s account in <paramref name="folder"/>.</summary>
    public static string PasswordFile(string folder, BrokerRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return Path.Combine(folder, role.UserName + ".password");
    }

    /// <summary>Reads the passwords of <paramref name="roles"/> in <paramref name="folder"/>, making those that are missing.</summary>
    public static BrokerCredentials OpenOrCreate(string folder, IEnumerable<BrokerRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var list = roles.Distinct().ToList();
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in list)
        {
            passwords[role.UserName] = LoadOrCreate(PasswordFile(folder, role));
        }

        return new BrokerCredentials(folder, list, passwords);
    }

    /// <summary>The password of <paramref name="role"/>'s account.</summary>
    public string PasswordOf(BrokerRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return _passwords.TryGetValue(role.UserName, out var password)
            ? password
            : throw new MessagingException($"{Folder} holds no broker account for {role.UserName}");
    }

    public string PasswordFileOf(BrokerRole role) => PasswordFile(Folder, role);

    /// <summary>Whether <paramref name="userName"/> is an account here and <paramref name="password"/> its password (in constant time).</summary>
    public bool Accepts(string? userName, string? password) =>
        userName is not null && password is not null && _passwords.TryGetValue(userName, out var expected)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(password));

    /// <summary>An endpoint on <paramref name="host"/>:<paramref name="port"/> signing in as <paramref name="role"/>.</summary>
    public BrokerEndpoint Endpoint(string host, int port, BrokerRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return new BrokerEndpoint(host, port, role.UserName, PasswordOf(role));
    }

    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            return existing.Length >= 16
                ? existing
                : throw new MessagingException($"broker password file {path} holds {existing.Length} characters; expected at least 16 (delete it to make a new one, and give the box the new file)");
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        OwnerOnlyFile.WriteNew(path, Encoding.UTF8.GetBytes(password + "\n"), replace: false);
        return File.ReadAllText(path).Trim(); // another process may have made it first: its password is the one
    }
}
