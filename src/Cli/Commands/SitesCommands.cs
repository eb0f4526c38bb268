using System.CommandLine;
using System.Globalization;
using CrosswalkWatch.Domain.Sites;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Cli.Commands;

/// <summary>
/// <c>cww sites</c>: each box's own signing key. On a box, <c>key</c> prints its public key for the operator to carry
/// to the central site; at the central site, <c>add</c>, <c>list</c> and <c>retire</c> keep the sites' public keys
/// that evidence is verified with.
/// </summary>
internal static class SitesCommands
{
    public static Command Create()
    {
        var command = new Command("sites", "Each box's signing key: print a box's public key; register, list and retire the sites' public keys at the central site.");
        command.Add(Key());
        command.Add(Add());
        command.Add(List());
        command.Add(Retire());
        return command;
    }

    private static Command Key()
    {
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command(
            "key",
            "On a box: print its public key (PEM) and key id, for `cww sites add` at the central site. Makes the box's private key " +
            "(DATA/keys/site-private.pem, owner-only) if there is none yet; the private key itself is never printed.")
        {
            config, data,
        };
        command.SetAction(result =>
        {
            var settings = RegistryCommands.Settings(result, config, data);
            var path = EvidenceSigner.DefaultPath(settings.Paths.Data);
            using var signer = EvidenceSigner.LoadOrCreate(path);
            Console.Error.WriteLine($"site {settings.Site.Id}: key {signer.KeyId} ({EvidenceSigner.Algorithm}; private key {path}, never leaves this box)");
            Console.Error.WriteLine($"at the central site: cww sites add {settings.Site.Id} --public-key FILE (FILE holding the lines below)");
            Console.Write(signer.PublicKeyPem);
            Console.WriteLine();
            return 0;
        });
        return command;
    }

    private static Command Add()
    {
        var site = new Argument<string>("SITE") { Description = "The site id (site.id of the box's configuration)." };
        var file = new Option<FileInfo>("--public-key") { Description = "The box's public key as `cww sites key` printed it (PEM); a private key is refused.", Required = true };
        var by = ByOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command(
            "add",
            "Register a box's public key for its site: packages that site's box signs with it then verify here. A key belongs to one site only.")
        {
            site, file, by, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var siteId = result.GetRequiredValue(site);
            var path = result.GetRequiredValue(file).FullName;
            if (string.IsNullOrWhiteSpace(siteId))
            {
                await Console.Error.WriteLineAsync("SITE: empty; give the site id of the box (its site.id)").ConfigureAwait(false);
                return 2;
            }

            (string KeyId, string Pem) key;
            try
            {
                key = SitePublicKey.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is EvidenceException or IOException or FormatException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"--public-key {path}: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            using var store = await OpenAsync(result, config, data, cancellationToken).ConfigureAwait(false);
            var (stored, added) = await store.AddAsync(new SiteKey(siteId, key.KeyId, key.Pem, DateTimeOffset.UtcNow), result.GetRequiredValue(by), cancellationToken).ConfigureAwait(false);
            Console.WriteLine(added
                ? $"site {siteId}: key {stored.KeyId} added; its packages verify in {store.Location}"
                : $"site {siteId}: key {stored.KeyId} was already registered{(stored.RetiredAt is { } r ? $" (retired {Time(r)})" : "")}; nothing changed");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var site = new Argument<string?>("SITE") { Description = "Only this site's keys.", Arity = ArgumentArity.ZeroOrOne };
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("list", "The sites' public keys: site, key id, added, retired (a retired key verifies only packages of events before then).") { site, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var store = await OpenAsync(result, config, data, cancellationToken).ConfigureAwait(false);
            var keys = await store.ListAsync(result.GetValue(site), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{"site",-16} {"key id",-16} {"added",-20} retired");
            foreach (var k in keys)
            {
                Console.WriteLine($"{k.SiteId,-16} {k.KeyId,-16} {Time(k.AddedAt),-20} {(k.RetiredAt is { } r ? Time(r) : "-")}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{keys.Count} key(s) in {store.Location}"));
            return 0;
        });
        return command;
    }

    private static Command Retire()
    {
        var site = new Argument<string>("SITE") { Description = "The site id." };
        var keyId = new Argument<string>("KEYID") { Description = "The key id (`cww sites list`)." };
        var at = new Option<string?>("--at")
        {
            Description = "When the key stops vouching (ISO 8601, e.g. 2026-12-01T08:00:00+08:00; default now). For a key that may have been " +
                "taken, give the earliest moment it could have been: packages of events from then on are refused.",
        };
        var by = ByOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command(
            "retire",
            "Retire a site's key (after the box has a new one, or when it may have been taken): it still verifies packages of events before the retirement, none after.")
        {
            site, keyId, at, by, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var when = DateTimeOffset.UtcNow;
            if (result.GetValue(at) is { } text && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out when))
            {
                await Console.Error.WriteLineAsync($"--at: '{text}' is not a time as 2026-12-01T08:00:00+08:00").ConfigureAwait(false);
                return 2;
            }

            var siteId = result.GetRequiredValue(site);
            var id = result.GetRequiredValue(keyId);
            using var store = await OpenAsync(result, config, data, cancellationToken).ConfigureAwait(false);
            if (await store.RetireAsync(siteId, id, when, result.GetRequiredValue(by), cancellationToken).ConfigureAwait(false) is not { } retired)
            {
                await Console.Error.WriteLineAsync($"site {siteId} has no key {id} in {store.Location} (`cww sites list {siteId}`)").ConfigureAwait(false);
                return 2;
            }

            Console.WriteLine($"site {siteId}: key {id} retired at {Time(retired.RetiredAt!.Value)}; it verifies only packages of events before then");
            return 0;
        });
        return command;
    }

    private static Option<string> ByOption() => new("--by")
    {
        Description = "Who makes the change (goes into the audit log; default: the user running the command).",
        DefaultValueFactory = _ => Environment.UserName,
    };

    private static async Task<SiteKeyStore> OpenAsync(ParseResult result, Option<FileInfo?> config, Option<DirectoryInfo?> data, CancellationToken cancellationToken)
    {
        var settings = RegistryCommands.Settings(result, config, data);
        var store = SiteKeyStore.Open(settings.Storage, settings.Paths.Data);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
