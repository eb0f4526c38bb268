using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrosswalkWatch.Domain.Files;

namespace CrosswalkWatch.Messaging.Broker;

/// <summary>
/// What a mosquitto (2.0 or newer) needs to enforce <see cref="BrokerAccess"/>: a password file (<c>passwd</c>, in
/// mosquitto's own PBKDF2-SHA512 format, so <c>mosquitto_passwd</c> is not needed), an ACL (<c>acl</c>, one
/// <c>user</c> block per account with its <c>topic read|write</c> lines) and a config snippet (<c>mosquitto.conf</c>:
/// no anonymous clients, the two files, the packet size cap) to include from the broker's own config.
/// </summary>
public static class MosquittoFiles
{
    /// <summary>Room in a packet beside the payload: the fixed header, the topic and the properties.</summary>
    public const int PacketOverhead = 1024;

    private const int Iterations = 1000;

    public static string PasswdFile(string folder) => Path.Combine(folder, "passwd");

    public static string AclFile(string folder) => Path.Combine(folder, "acl");

    public static string ConfFile(string folder) => Path.Combine(folder, "mosquitto.conf");

    /// <summary>The broker's largest packet for a payload cap: the cap plus <see cref="PacketOverhead"/>.</summary>
    public static int MaxPacketSize(int maxPayloadBytes) => checked(maxPayloadBytes + PacketOverhead);

    /// <summary>Writes the three files into <see cref="BrokerCredentials.Folder"/>, owner-only, replacing earlier ones.</summary>
    public static void Write(BrokerCredentials credentials, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var folder = credentials.Folder;
        OwnerOnlyFile.WriteNew(PasswdFile(folder), Encoding.UTF8.GetBytes(Passwd(credentials)), replace: true);
        OwnerOnlyFile.WriteNew(AclFile(folder), Encoding.UTF8.GetBytes(Acl(credentials.Roles)), replace: true);
        OwnerOnlyFile.WriteNew(ConfFile(folder), Encoding.UTF8.GetBytes(Conf(folder, maxPayloadBytes)), replace: true);
    }

    /// <summary>The ACL: each account's rules from <see cref="BrokerAccess.Rules"/>, nothing for anyone else.</summary>
    public static string Acl(IEnumerable<BrokerRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var acl = new StringBuilder("# Written by `cww broker acl` from CrosswalkWatch's broker rules; anything not listed is refused.\n");
        foreach (var role in roles)
        {
            acl.Append(CultureInfo.InvariantCulture, $"\nuser {role.UserName}\n");
            foreach (var rule in BrokerAccess.Rules(role))
            {
                acl.Append(CultureInfo.InvariantCulture, $"topic {(rule.Access == BrokerAccessKind.Read ? "read" : "write")} {rule.Filter}\n");
            }
        }

        return acl.ToString();
    }

    /// <summary>The config lines that turn the files on, to <c>include_dir</c> or copy into the broker's config.</summary>
    public static string Conf(string folder, int maxPayloadBytes) => string.Create(CultureInfo.InvariantCulture, $"""
        # Written by `cww broker acl`: CrosswalkWatch's accounts, rules and payload cap (messaging.maxPayloadBytes {maxPayloadBytes}).
        allow_anonymous false
        password_file {PasswdFile(folder)}
        acl_file {AclFile(folder)}
        max_packet_size {MaxPacketSize(maxPayloadBytes)}

        """);

    /// <summary>One password file line: <c>USER:$7$ITERATIONS$SALT$HASH</c> (PBKDF2-HMAC-SHA512, mosquitto 2.0's format).</summary>
    public static string PasswdLine(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(12);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, 64);
        return string.Create(CultureInfo.InvariantCulture, $"{userName}:$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="line"/> (a password file line) accepts <paramref name="password"/> for its user.</summary>
    public static bool Verifies(string line, string password)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(password);
        var parts = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split('$');
        if (parts is not ["", "7", var iterations, var salt, var hash] || !int.TryParse(iterations, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(salt), n, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static string Passwd(BrokerCredentials credentials) =>
        string.Concat(credentials.Roles.Select(r => PasswdLine(r.UserName, credentials.PasswordOf(r)) + "\n"));
}
