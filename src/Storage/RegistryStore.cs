using System.Data.Common;
using System.Globalization;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Matcher.Registry;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>The file an import came from: its name, the sha256 of its bytes, the encoding it was read in.</summary>
public sealed record RegistrySource(string FileName, string Sha256, string Encoding);

/// <summary>One import in the registry's history: when, from what file, how big the registry became, what changed.</summary>
public sealed record RegistryImport(
    long Id,
    DateTimeOffset ImportedAt,
    RegistrySource Source,
    int Officials,
    int Vehicles,
    RegistryChanges Changes);

/// <summary>Where the officials' registry is kept. SQLite on a box; PostgreSQL at a central site behind the same contract.</summary>
public interface IRegistryStore : IStore
{
    /// <summary>The registry as stored now (empty before the first import).</summary>
    Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the whole registry with <paramref name="snapshot"/> and records the import in the history, in one
    /// transaction: all of it or, on any failure, none of it.
    /// </summary>
    Task<RegistryImport> ReplaceAsync(RegistrySnapshot snapshot, RegistrySource source, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Every import, oldest first.</summary>
    Task<IReadOnlyList<RegistryImport>> HistoryAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The officials' registry, the same statements on SQLite (<see cref="SqliteRegistryStore"/>) and PostgreSQL
/// (<see cref="PostgresRegistryStore"/>); a dialect says only how a replacement takes its lock and how it inserts
/// many rows.
/// </summary>
public abstract class RegistryStore : DatabaseStore, IRegistryStore
{
    private protected RegistryStore(StoreDatabase database)
        : base(database)
    {
    }

    public Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync(connection => LoadAsync(connection, null), "read the registry", cancellationToken);

    public Task<RegistryImport> ReplaceAsync(RegistrySnapshot snapshot, RegistrySource source, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(source);
        return Database.RunAsync(
            async connection =>
            {
                await using var transaction = await BeginReplaceAsync(connection, cancellationToken).ConfigureAwait(false);
                var previous = await LoadAsync(connection, transaction).ConfigureAwait(false);
                await connection.ExecuteAsync("DELETE FROM registered_vehicles", transaction: transaction).ConfigureAwait(false);
                await connection.ExecuteAsync("DELETE FROM officials", transaction: transaction).ConfigureAwait(false);
                await InsertAsync(connection, transaction, snapshot.Officials, snapshot.Vehicles.Select(VehicleRow.From).ToList()).ConfigureAwait(false);
                var id = 1 + await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(import_id), 0) FROM registry_imports", transaction: transaction).ConfigureAwait(false);
                var import = new RegistryImport(id, at, source, snapshot.Officials.Count, snapshot.Vehicles.Count, snapshot.ChangesFrom(previous));
                await connection.ExecuteAsync(ImportRow.Insert, ImportRow.From(import), transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return import;
            },
            $"replace the registry from {source.FileName} (nothing was changed)",
            cancellationToken);
    }

    public Task<IReadOnlyList<RegistryImport>> HistoryAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<RegistryImport>>(
            async connection => (await connection.QueryAsync<ImportRow>(ImportRow.Select + " ORDER BY import_id").ConfigureAwait(false)).Select(r => r.ToImport()).ToList(),
            "read the registry's history",
            cancellationToken);

    /// <summary>
    /// Begins the replacement's transaction holding the lock that keeps another replacement out until it commits,
    /// so the changes counted are the ones made and import numbers are not taken twice.
    /// </summary>
    private protected abstract Task<DbTransaction> BeginReplaceAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Inserts the officials and vehicle entries (the tables are empty by then).</summary>
    private protected abstract Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Official> officials, IReadOnlyList<VehicleRow> vehicles);

    private static async Task<RegistrySnapshot> LoadAsync(DbConnection connection, DbTransaction? transaction)
    {
        var officials = await connection.QueryAsync<Official>(
            "SELECT official_id AS Id, name AS Name, department AS Department, authority AS Authority, notes AS Notes FROM officials ORDER BY official_id",
            transaction: transaction).ConfigureAwait(false);
        var vehicles = await connection.QueryAsync<VehicleRow>(
            "SELECT plate AS Plate, valid_from AS ValidFrom, valid_to AS ValidTo, official_id AS OfficialId, colour AS Colour, relation AS Relation, " +
            "vehicle_kind AS VehicleKind, body_colour AS BodyColour, make AS Make FROM registered_vehicles ORDER BY plate, valid_from",
            transaction: transaction).ConfigureAwait(false);
        return new RegistrySnapshot(officials.ToList(), vehicles.Select(v => v.ToVehicle()).ToList());
    }

    /// <summary>A vehicle entry as stored: dates as ISO text, enums by name (kind and body colour NULL when not given).</summary>
    private protected sealed record VehicleRow
    {
        public string Plate { get; init; } = "";

        public string ValidFrom { get; init; } = "";

        public string? ValidTo { get; init; }

        public string OfficialId { get; init; } = "";

        public string Colour { get; init; } = "";

        public string Relation { get; init; } = "";

        public string? VehicleKind { get; init; }

        public string? BodyColour { get; init; }

        public string Make { get; init; } = "";

        public static VehicleRow From(RegisteredVehicle v) => new()
        {
            Plate = v.Plate,
            ValidFrom = RegistryCsv.Date(v.ValidFrom),
            ValidTo = v.ValidTo is { } to ? RegistryCsv.Date(to) : null,
            OfficialId = v.OfficialId,
            Colour = v.Colour.ToString(),
            Relation = v.Relation.ToString(),
            VehicleKind = v.Kind?.ToString(),
            BodyColour = v.BodyColour?.ToString(),
            Make = v.Make,
        };

        public RegisteredVehicle ToVehicle() => new(
            OfficialId,
            Plate,
            Enum.Parse<PlateColour>(Colour),
            Enum.Parse<VehicleRelation>(Relation),
            Day(ValidFrom),
            ValidTo is null ? null : Day(ValidTo))
        {
            Kind = VehicleKind is null ? null : Enum.Parse<Domain.Officials.VehicleKind>(VehicleKind),
            BodyColour = BodyColour is null ? null : Enum.Parse<Domain.Officials.BodyColour>(BodyColour),
            Make = Make,
        };

        private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>A history row (times as Unix milliseconds).</summary>
    private sealed record ImportRow
    {
        private static readonly (string Column, string Property)[] Map =
        [
            ("import_id", nameof(Id)), ("imported_at_ms", nameof(ImportedAtMs)), ("file_name", nameof(FileName)), ("sha256", nameof(Sha256)),
            ("encoding", nameof(Encoding)), ("officials", nameof(Officials)), ("vehicles", nameof(Vehicles)),
            ("officials_added", nameof(OfficialsAdded)), ("officials_changed", nameof(OfficialsChanged)), ("officials_removed", nameof(OfficialsRemoved)),
            ("vehicles_added", nameof(VehiclesAdded)), ("vehicles_changed", nameof(VehiclesChanged)), ("vehicles_removed", nameof(VehiclesRemoved)),
        ];

        public static string Select { get; } = $"SELECT {string.Join(", ", Map.Select(m => $"{m.Column} AS {m.Property}"))} FROM registry_imports";

        public static string Insert { get; } = $"INSERT INTO registry_imports ({string.Join(", ", Map.Select(m => m.Column))}) VALUES ({string.Join(", ", Map.Select(m => "@" + m.Property))})";

        public long Id { get; init; }

        public long ImportedAtMs { get; init; }

        public string FileName { get; init; } = "";

        public string Sha256 { get; init; } = "";

        public string Encoding { get; init; } = "";

        public long Officials { get; init; }

        public long Vehicles { get; init; }

        public long OfficialsAdded { get; init; }

        public long OfficialsChanged { get; init; }

        public long OfficialsRemoved { get; init; }

        public long VehiclesAdded { get; init; }

        public long VehiclesChanged { get; init; }

        public long VehiclesRemoved { get; init; }

        public static ImportRow From(RegistryImport i) => new()
        {
            Id = i.Id,
            ImportedAtMs = i.ImportedAt.ToUnixTimeMilliseconds(),
            FileName = i.Source.FileName,
            Sha256 = i.Source.Sha256,
            Encoding = i.Source.Encoding,
            Officials = i.Officials,
            Vehicles = i.Vehicles,
            OfficialsAdded = i.Changes.OfficialsAdded,
            OfficialsChanged = i.Changes.OfficialsChanged,
            OfficialsRemoved = i.Changes.OfficialsRemoved,
            VehiclesAdded = i.Changes.VehiclesAdded,
            VehiclesChanged = i.Changes.VehiclesChanged,
            VehiclesRemoved = i.Changes.VehiclesRemoved,
        };

        public RegistryImport ToImport() => new(
            Id,
            DateTimeOffset.FromUnixTimeMilliseconds(ImportedAtMs),
            new RegistrySource(FileName, Sha256, Encoding),
            (int)Officials,
            (int)Vehicles,
            new RegistryChanges((int)OfficialsAdded, (int)OfficialsChanged, (int)OfficialsRemoved, (int)VehiclesAdded, (int)VehiclesChanged, (int)VehiclesRemoved));
    }
}
