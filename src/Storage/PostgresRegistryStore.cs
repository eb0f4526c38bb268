using System.Data.Common;
using CrosswalkWatch.Domain.Officials;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>The officials' registry in a central site's PostgreSQL database, the same schema as <see cref="SqliteRegistryStore"/>.</summary>
public sealed class PostgresRegistryStore(string connectionString) : RegistryStore(new PostgresDatabase(connectionString))
{
    /// <summary>
    /// Read committed with the history table locked against other writers (readers go on seeing the old registry
    /// until the commit): a second replacement waits, then reads what the first one wrote.
    /// </summary>
    private protected override async Task<DbTransaction> BeginReplaceAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("LOCK TABLE registry_imports IN EXCLUSIVE MODE", transaction: transaction).ConfigureAwait(false);
        return transaction;
    }

    /// <summary>One statement per table over unnest'ed arrays: a round trip per row costs ~2 s for 10k rows, this ~50 ms.</summary>
    private protected override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Official> officials, IReadOnlyList<VehicleRow> vehicles)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO officials (official_id, name, department, authority, notes)
            SELECT * FROM unnest(@ids::text[], @names::text[], @departments::text[], @authorities::text[], @notes::text[])
            """,
            new
            {
                ids = officials.Select(o => o.Id).ToArray(),
                names = officials.Select(o => o.Name).ToArray(),
                departments = officials.Select(o => o.Department).ToArray(),
                authorities = officials.Select(o => o.Authority).ToArray(),
                notes = officials.Select(o => o.Notes).ToArray(),
            },
            transaction).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO registered_vehicles (plate, valid_from, valid_to, official_id, colour, relation, vehicle_kind, body_colour, make)
            SELECT * FROM unnest(@plates::text[], @froms::text[], @tos::text[], @officialIds::text[], @colours::text[], @relations::text[],
                                 @kinds::text[], @bodyColours::text[], @makes::text[])
            """,
            new
            {
                plates = vehicles.Select(v => v.Plate).ToArray(),
                froms = vehicles.Select(v => v.ValidFrom).ToArray(),
                tos = vehicles.Select(v => v.ValidTo).ToArray(),
                officialIds = vehicles.Select(v => v.OfficialId).ToArray(),
                colours = vehicles.Select(v => v.Colour).ToArray(),
                relations = vehicles.Select(v => v.Relation).ToArray(),
                kinds = vehicles.Select(v => v.VehicleKind).ToArray(),
                bodyColours = vehicles.Select(v => v.BodyColour).ToArray(),
                makes = vehicles.Select(v => v.Make).ToArray(),
            },
            transaction).ConfigureAwait(false);
    }
}
