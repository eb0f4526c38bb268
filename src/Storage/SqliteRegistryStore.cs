using System.Data;
using System.Globalization;
using CrosswalkWatch.Matcher.Plates;
using CrosswalkWatch.Matcher.Registry;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrosswalkWatch.Storage;

/// <summary>The officials' registry in the box's SQLite file (the same file as the cases).</summary>
public sealed class SqliteRegistryStore : SqliteStore, IRegistryStore
{
    public SqliteRegistryStore(string path)
        : base(path)
    {
    }

    public async Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await LoadAsync(null).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task<RegistryImport> ReplaceAsync(RegistrySnapshot snapshot, RegistrySource source, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(source);
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // BEGIN IMMEDIATE: take the write lock before reading what is there, so the changes counted are the ones made.
            using var transaction = Connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
            var previous = await LoadAsync(transaction).ConfigureAwait(false);
            await Connection.ExecuteAsync("DELETE FROM registered_vehicles", transaction: transaction).ConfigureAwait(false);
            await Connection.ExecuteAsync("DELETE FROM officials", transaction: transaction).ConfigureAwait(false);
            await Connection.ExecuteAsync(
                "INSERT INTO officials (official_id, name, department, authority, notes) VALUES (@Id, @Name, @Department, @Authority, @Notes)",
                snapshot.Officials,
                transaction).ConfigureAwait(false);
            await Connection.ExecuteAsync(
                "INSERT INTO registered_vehicles (plate, valid_from, valid_to, official_id, colour, relation) VALUES (@Plate, @ValidFrom, @ValidTo, @OfficialId, @Colour, @Relation)",
                snapshot.Vehicles.Select(VehicleRow.From),
                transaction).ConfigureAwait(false);
            var id = 1 + await Connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(import_id), 0) FROM registry_imports", transaction: transaction).ConfigureAwait(false);
            var import = new RegistryImport(id, at, source, snapshot.Officials.Count, snapshot.Vehicles.Count, snapshot.ChangesFrom(previous));
            await Connection.ExecuteAsync(
                ImportRow.Insert,
                ImportRow.From(import),
                transaction).ConfigureAwait(false);
            transaction.Commit();
            return import;
        }
        catch (SqliteException e)
        {
            throw new StorageException($"{Path}: could not replace the registry from {source.FileName} (nothing was changed): {e.Message}", e);
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task<IReadOnlyList<RegistryImport>> HistoryAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await Connection.QueryAsync<ImportRow>(ImportRow.Select + " ORDER BY import_id").ConfigureAwait(false);
            return rows.Select(r => r.ToImport()).ToList();
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<RegistrySnapshot> LoadAsync(IDbTransaction? transaction)
    {
        var officials = await Connection.QueryAsync<Official>(
            "SELECT official_id AS Id, name AS Name, department AS Department, authority AS Authority, notes AS Notes FROM officials ORDER BY official_id",
            transaction: transaction).ConfigureAwait(false);
        var vehicles = await Connection.QueryAsync<VehicleRow>(
            "SELECT plate AS Plate, valid_from AS ValidFrom, valid_to AS ValidTo, official_id AS OfficialId, colour AS Colour, relation AS Relation FROM registered_vehicles ORDER BY plate, valid_from",
            transaction: transaction).ConfigureAwait(false);
        return new RegistrySnapshot(officials.ToList(), vehicles.Select(v => v.ToVehicle()).ToList());
    }

    /// <summary>A vehicle entry as stored: dates as ISO text, enums by name.</summary>
    private sealed record VehicleRow
    {
        public string Plate { get; init; } = "";

        public string ValidFrom { get; init; } = "";

        public string? ValidTo { get; init; }

        public string OfficialId { get; init; } = "";

        public string Colour { get; init; } = "";

        public string Relation { get; init; } = "";

        public static VehicleRow From(RegisteredVehicle v) => new()
        {
            Plate = v.Plate,
            ValidFrom = RegistryCsv.Date(v.ValidFrom),
            ValidTo = v.ValidTo is { } to ? RegistryCsv.Date(to) : null,
            OfficialId = v.OfficialId,
            Colour = v.Colour.ToString(),
            Relation = v.Relation.ToString(),
        };

        public RegisteredVehicle ToVehicle() => new(
            OfficialId,
            Plate,
            Enum.Parse<PlateColour>(Colour),
            Enum.Parse<VehicleRelation>(Relation),
            Day(ValidFrom),
            ValidTo is null ? null : Day(ValidTo));

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
