using System.CommandLine;
using System.Globalization;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Broker;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww broker acl</c>: the accounts, passwords and rules of a mosquitto shared by several boxes.</summary>
internal static class BrokerCommands
{
    public static Command Create()
    {
        var command = new Command("broker", "The MQTT broker between the edge boxes and the central site: its accounts and rules.");
        command.Add(Acl());
        return command;
    }

    private static Command Acl()
    {
        var sites = new Option<string>("--sites")
        {
            Description = "The edge boxes' site ids (site.id of each box), comma-separated: each gets an account site-ID that may publish only under cww/v1/sites/ID/.",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Folder for the files (made owner-only; run again with more sites to add them: existing passwords are kept).",
            Required = true,
        };
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Configuration file whose messaging.maxPayloadBytes caps the payload (default: 262144)." };
        var signals = new Option<string?>("--signals")
        {
            Description = "Sites (of --sites) whose crossings' pedestrian signals the city's signal controller publishes, comma-separated: each gets an account signal-ID that may publish only cww/v1/sites/ID/signals/CAMERA.",
        };
        var command = new Command(
            "acl",
            "Write a mosquitto password file, ACL and config snippet, and one password file per account: site-ID for each box (publishes its own site's " +
            "topics only), central for `cww central` (reads candidates and health, publishes the office topics), office for the campaign office's " +
            "clients (reads the office topics only), and with --signals signal-ID for a site's signal controller (publishes that site's signals only). " +
            "Passwords are random, written owner-only and never printed; give each box its own file " +
            "(messaging.username and messaging.passwordFile). See README.md, \"Who may talk on the broker\".")
        {
            sites, output, config, signals,
        };
        command.SetAction(result =>
        {
            var ids = result.GetRequiredValue(sites).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var roles = new List<BrokerRole>();
            foreach (var id in ids)
            {
                try
                {
                    roles.Add(BrokerRole.Site(id));
                }
                catch (ArgumentException e)
                {
                    Console.Error.WriteLine($"cww broker acl: --sites: {e.Message}; nothing was written");
                    return 2;
                }
            }

            if (roles.Count == 0)
            {
                Console.Error.WriteLine("cww broker acl: --sites names no site (give the boxes' site ids, e.g. --sites jn-0417,jn-0418); nothing was written");
                return 2;
            }

            roles.Add(BrokerRole.Central);
            roles.Add(BrokerRole.Office);
            foreach (var id in (result.GetValue(signals) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!ids.Contains(id, StringComparer.Ordinal))
                {
                    Console.Error.WriteLine($"cww broker acl: --signals: '{id}' is not one of --sites (a signal controller publishes for a site's box to read); nothing was written");
                    return 2;
                }

                roles.Add(BrokerRole.Signal(id));
            }

            var maxPayload = result.GetValue(config) is { } file ? ConfigLoader.Load(file.FullName).Messaging.MaxPayloadBytes : MessagingConfig.DefaultMaxPayloadBytes;
            BrokerCredentials credentials;
            try
            {
                credentials = BrokerCredentials.OpenOrCreate(result.GetRequiredValue(output).FullName, roles);
                MosquittoFiles.Write(credentials, maxPayload);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or MessagingException)
            {
                Console.Error.WriteLine($"cww broker acl: {e.Message}");
                return 1;
            }

            var folder = credentials.Folder;
            Console.WriteLine($"""
                broker files in {folder} (owner-only; no password is printed):
                  {MosquittoFiles.ConfFile(folder)}   include it in mosquitto's config (allow_anonymous false, the files below, max_packet_size {MosquittoFiles.MaxPacketSize(maxPayload).ToString(CultureInfo.InvariantCulture)})
                  {MosquittoFiles.PasswdFile(folder)}   the accounts' password hashes (chown mosquitto: mosquitto reads it after dropping root)
                  {MosquittoFiles.AclFile(folder)}   who may publish and subscribe to what (chown mosquitto as well)
                each box's password file, to copy to that box only (messaging.username, messaging.passwordFile):
                """);
            foreach (var role in credentials.Roles)
            {
                Console.WriteLine($"  {role.UserName,-24} {credentials.PasswordFileOf(role)}");
            }

            return 0;
        });
        return command;
    }
}
