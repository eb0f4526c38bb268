using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.Storage;

/// <summary>
/// Opens the store the configuration names (<c>storage.type</c>): the SQLite file under the data folder, or the
/// PostgreSQL database of <c>storage.connectionString</c>. Every command opens its stores here.
/// </summary>
public static class Stores
{
    public static ICaseStore OpenCases(StorageConfig storage, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.Type == StorageKind.Postgres
            ? new PostgresCaseStore(ConnectionString(storage))
            : new SqliteCaseStore(Path.Combine(dataDirectory, storage.SqlitePath));
    }

    public static IRegistryStore OpenRegistry(StorageConfig storage, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.Type == StorageKind.Postgres
            ? new PostgresRegistryStore(ConnectionString(storage))
            : new SqliteRegistryStore(Path.Combine(dataDirectory, storage.SqlitePath));
    }

    /// <summary>The database the configuration names, for the stores that sit beside the cases (the console's, the sites' keys).</summary>
    internal static StoreDatabase Database(StorageConfig storage, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.Type == StorageKind.Postgres
            ? new PostgresDatabase(ConnectionString(storage))
            : new SqliteDatabase(Path.Combine(dataDirectory, storage.SqlitePath));
    }

    internal static string ConnectionString(StorageConfig storage) =>
        string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? throw new StorageException("storage.connectionString: required when storage.type is postgres: expected an Npgsql connection string, e.g. 'Host=db;Database=cww;Username=cww'")
            : storage.ConnectionString;
}
