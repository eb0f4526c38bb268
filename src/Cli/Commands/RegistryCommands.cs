using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Matcher.Matching;
using CrosswalkWatch.Matcher.Registry;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Cli.Commands;

/// <summary>
/// <c>cww registry import|export|list|history|match</c>: the officials' registry in the store of a configuration
/// (its <c>storage</c> section: SQLite under <c>paths.data</c> or PostgreSQL), or <c>DIR/cww.db</c> with
/// <c>--data DIR</c>, or <c>var/cww.db</c> in the repository.
/// </summary>
internal static class RegistryCommands
{
    public static Command Create()
    {
        var command = new Command("registry", "The officials' registry: import and export the CSV file, list officials and vehicles, list the imports, match a plate.");
        command.Add(Import());
        command.Add(Export());
        command.Add(List());
        command.Add(History());
        command.Add(Match());
        return command;
    }

    /// <summary>The sample registry of fictional officials, whose plates match the generated scenario suite.</summary>
    internal static string SampleFile() => Path.Combine(Assets.RepositoryRoot() ?? Environment.CurrentDirectory, "samples", "registry", "officials.csv");

    /// <summary>Reads, checks and imports <paramref name="file"/>: all of it, or on any error nothing (exit 2, every error printed).</summary>
    internal static async Task<int> ImportAsync(string file, (StorageConfig Storage, string Data) database, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"{file}: cannot read: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        var read = RegistryCsv.Read(bytes, file);
        if (!read.Ok)
        {
            foreach (var error in read.Errors)
            {
                await Console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync($"{read.Errors.Count} error(s) in {file} (read as {read.Encoding}); nothing was imported, the registry is unchanged.").ConfigureAwait(false);
            return 2;
        }

        var snapshot = read.Snapshot!;
        using var store = Stores.OpenRegistry(database.Storage, database.Data);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var source = new RegistrySource(Path.GetFileName(file), Convert.ToHexStringLower(SHA256.HashData(bytes)), read.Encoding);
        var import = await store.ReplaceAsync(snapshot, source, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        var c = import.Changes;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{file}: read as {read.Encoding}: {import.Officials} officials, {import.Vehicles} vehicle entries; import #{import.Id} into {store.Location}: " +
            $"officials +{c.OfficialsAdded} ~{c.OfficialsChanged} -{c.OfficialsRemoved}, vehicles +{c.VehiclesAdded} ~{c.VehiclesChanged} -{c.VehiclesRemoved}"));
        return 0;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The registry CSV (UTF-8 with or without BOM, or GB18030)." };
        var (config, data) = WhereOptions();
        var command = new Command(
            "import",
            "Replace the registry with a CSV file: every bad row is reported with its line and reason, and a file with any error changes nothing.")
        {
            file, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = Settings(result, config, data);
            var imported = await ImportAsync(result.GetRequiredValue(file).FullName, (settings.Storage, settings.Paths.Data), cancellationToken).ConfigureAwait(false);
            return imported != 0 ? imported : await RecheckAsync(settings, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// After an import: a vehicle no longer listed (wrongly listed before) stops its cases counting, so every standing
    /// notice is checked again and those whose count fell below their number are withdrawn (each once, with a message).
    /// </summary>
    private static async Task<int> RecheckAsync(CwwConfig settings, CancellationToken cancellationToken)
    {
        await using var desk = await ReviewDesk.OpenAsync(settings, null, cancellationToken).ConfigureAwait(false);
        foreach (var n in await desk.Service.RecheckRegistryAsync("registry import", cancellationToken).ConfigureAwait(false))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"notice withdrawn: official {n.OfficialId}, no. {n.Ordinal} in {n.Window}: {n.WithdrawnReason}"));
        }

        return 0;
    }

    private static Command Export()
    {
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write here instead of standard output." };
        var encoding = new Option<string>("--encoding") { Description = "utf-8, utf-8-bom (for spreadsheets) or gb18030.", DefaultValueFactory = _ => "utf-8" };
        encoding.AcceptOnlyFromAmong("utf-8", "utf-8-bom", "gb18030");
        var (config, data) = WhereOptions();
        var command = new Command("export", "Write the registry as the CSV file `cww registry import` reads.") { output, encoding, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var store = Open(result, config, data);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var snapshot = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
            Encoding text = result.GetValue(encoding) switch
            {
                "gb18030" => RegistryCsv.Gb18030,
                "utf-8-bom" => new UTF8Encoding(true),
                _ => new UTF8Encoding(false),
            };
            var path = result.GetValue(output)?.FullName;
            await using var stream = path is null ? Console.OpenStandardOutput() : File.Create(path);
            await using (var writer = new StreamWriter(stream, text))
            {
                RegistryCsv.Write(snapshot, writer);
            }

            if (path is not null)
            {
                Console.WriteLine($"{path}: {snapshot.Officials.Count} officials, {snapshot.Vehicles.Count} vehicle entries ({result.GetValue(encoding)})");
            }

            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var (config, data) = WhereOptions();
        var command = new Command(
            "list",
            "List the registry: each official, then each vehicle entry with its plate, plate type, relation, validity and the vehicle as registered (kind, body colour, make; '-' where the registry does not say).")
        {
            config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var store = Open(result, config, data);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            Console.Write(Listing(await store.LoadAsync(cancellationToken).ConfigureAwait(false), store.Location));
            return 0;
        });
        return command;
    }

    /// <summary>The registry as <c>cww registry list</c> prints it.</summary>
    internal static string Listing(RegistrySnapshot snapshot, string location)
    {
        var text = new StringBuilder();
        if (snapshot.Officials.Count == 0)
        {
            return $"the registry in {location} is empty: import one with `cww registry import FILE`\n";
        }

        var byOfficial = snapshot.Vehicles.ToLookup(v => v.OfficialId, StringComparer.Ordinal);
        foreach (var official in snapshot.Officials.OrderBy(o => o.Id, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{official.Id}  {official.Name}  ({official.Department}; authority {official.Authority})\n");
            foreach (var v in byOfficial[official.Id].OrderBy(v => v.Plate, StringComparer.Ordinal).ThenBy(v => v.ValidFrom))
            {
                var valid = $"{RegistryCsv.Date(v.ValidFrom)} to {(v.ValidTo is { } to ? RegistryCsv.Date(to) : "open")}";
                text.Append(CultureInfo.InvariantCulture,
                    $"  {v.Plate,-10}  {v.Colour.ToString().ToLowerInvariant(),-7}  {v.Relation.ToString().ToLowerInvariant(),-8}  {valid,-26}  " +
                    $"kind {(v.Kind is { } k ? VehicleNames.Name(k) : "-"),-10}  colour {(v.BodyColour is { } c ? VehicleNames.Name(c) : "-"),-7}  make {(v.Make.Length > 0 ? v.Make : "-")}\n");
            }
        }

        return text.ToString();
    }

    private static Command History()
    {
        var (config, data) = WhereOptions();
        var command = new Command("history", "List every import: when, file, sha256, encoding, size, and officials/vehicles added (+), changed (~), removed (-).") { config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var store = Open(result, config, data);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var imports = await store.HistoryAsync(cancellationToken).ConfigureAwait(false);
            if (imports.Count == 0)
            {
                Console.WriteLine($"no import yet in {store.Location}");
                return 0;
            }

            Console.WriteLine($"{"#",4}  {"imported at",-25}  {"officials",9}  {"vehicles",8}  {"officials +~-",-13}  {"vehicles +~-",-13}  {"encoding",-14}  {"sha256",-12}  file");
            foreach (var i in imports)
            {
                var c = i.Changes;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{i.Id,4}  {i.ImportedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz}  {i.Officials,9}  {i.Vehicles,8}  {$"+{c.OfficialsAdded} ~{c.OfficialsChanged} -{c.OfficialsRemoved}",-13}  " +
                    $"{$"+{c.VehiclesAdded} ~{c.VehiclesChanged} -{c.VehiclesRemoved}",-13}  {i.Source.Encoding,-14}  {i.Source.Sha256[..12]}  {i.Source.FileName}"));
            }

            return 0;
        });
        return command;
    }

    private static Command Match()
    {
        var plate = new Argument<string>("PLATE") { Description = "The plate as read (OCR noise such as separators, lower case or O for 0 is normalised)." };
        var date = new Option<string?>("--date") { Description = "The violation's date, yyyy-MM-dd (default today): it decides whose a plate was." };
        var (config, data) = WhereOptions();
        var command = new Command("match", "Match a plate against the registry: the exact official, or fuzzy suggestions with their score and the characters in doubt.")
        {
            plate, date, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var day = DateOnly.FromDateTime(DateTime.Now);
            if (result.GetValue(date) is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            {
                await Console.Error.WriteLineAsync($"--date: '{text}' is not a date as yyyy-MM-dd").ConfigureAwait(false);
                return 2;
            }

            using var store = Open(result, config, data);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var index = PlateIndex.Build(await store.LoadAsync(cancellationToken).ConfigureAwait(false));
            Console.Write(Describe(index.Match(result.GetRequiredValue(plate), day)));
            return 0;
        });
        return command;
    }

    /// <summary>A match in words, one line per candidate.</summary>
    internal static string Describe(MatchResult match)
    {
        var text = new StringBuilder();
        var on = RegistryCsv.Date(match.Date);
        switch (match.Kind)
        {
            case MatchKind.Exact:
                text.Append(CultureInfo.InvariantCulture, $"{match.Read} on {on}: exact match\n");
                text.Append(Candidate(match.Exact!));
                break;
            case MatchKind.Suggested:
                text.Append(CultureInfo.InvariantCulture, $"{match.Read} on {on}: no exact match; {match.Suggestions.Count} suggestion(s), never counted until a reviewer confirms the plate:\n");
                foreach (var suggestion in match.Suggestions)
                {
                    text.Append(Candidate(suggestion));
                }

                break;
            default:
                text.Append(CultureInfo.InvariantCulture, $"{match.Read} on {on}: no official's vehicle, exact or close; the plate stays with the police\n");
                break;
        }

        return text.ToString();
    }

    private static string Candidate(MatchCandidate c)
    {
        var valid = $"{RegistryCsv.Date(c.Vehicle.ValidFrom)} to {(c.Vehicle.ValidTo is { } to ? RegistryCsv.Date(to) : "open")}";
        var doubts = c.Doubts.Count == 0 ? "" : $"  in doubt (position:read→registered): {string.Join(' ', c.Doubts)}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"  {c.Score:0.000}  {c.Vehicle.Plate}  {c.Official.Id} {c.Official.Name} ({c.Official.Department}; authority {c.Official.Authority})  {c.Vehicle.Relation.ToString().ToLowerInvariant()} car{Registered(c.Vehicle)}, valid {valid}{doubts}\n");
    }

    /// <summary>The vehicle as registered, when the registry describes it: " (white car, make Toyota)".</summary>
    private static string Registered(RegisteredVehicle vehicle) => vehicle.Described ? $" ({VehicleCheck.Describe(vehicle)})" : "";

    internal static (Option<FileInfo?> Config, Option<DirectoryInfo?> Data) WhereOptions() => (
        new Option<FileInfo?>("--config", "-c") { Description = "Configuration file: the stores (cases, registry, accounts) are those of its storage section and paths.data." },
        new Option<DirectoryInfo?>("--data") { Description = "Data folder: the stores are in DIR/cww.db (default: var/ in the repository)." });

    /// <summary>The storage settings and data folder of <c>--config</c> or <c>--data</c> (SQLite there), or of the repository's <c>var/</c>.</summary>
    private static (StorageConfig Storage, string Data) Database(ParseResult result, Option<FileInfo?> config, Option<DirectoryInfo?> data) =>
        Settings(result, config, data) is var settings ? (settings.Storage, settings.Paths.Data) : default;

    /// <summary>The configuration of <c>--config</c>, or the defaults with the data folder of <c>--data</c> or the repository's <c>var/</c>.</summary>
    internal static CwwConfig Settings(ParseResult result, Option<FileInfo?> config, Option<DirectoryInfo?> data) =>
        result.GetValue(config) is { } file
            ? ConfigLoader.Load(file.FullName)
            : new CwwConfig { Paths = new PathsConfig { Data = result.GetValue(data)?.FullName ?? Path.Combine(Assets.RepositoryRoot() ?? Environment.CurrentDirectory, "var") } };

    private static IRegistryStore Open(ParseResult result, Option<FileInfo?> config, Option<DirectoryInfo?> data)
    {
        var (storage, folder) = Database(result, config, data);
        return Stores.OpenRegistry(storage, folder);
    }
}
