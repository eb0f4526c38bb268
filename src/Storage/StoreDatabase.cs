using System.Data.Common;

namespace CrosswalkWatch.Storage;

/// <summary>
/// Where a store's statements run, the only part that differs between SQLite and PostgreSQL besides a few
/// statements: how a connection is had, how migrations are serialised, and how a driver error becomes a
/// <see cref="StorageException"/> that names the database and what failed.
/// </summary>
internal abstract class StoreDatabase : IDisposable
{
    /// <summary>Which database, for messages: the SQLite file, or PostgreSQL's host, port and database (never a password).</summary>
    public abstract string Location { get; }

    /// <summary>Runs <paramref name="action"/> on a connection; a driver error becomes a <see cref="StorageException"/> saying what could not be done.</summary>
    public abstract Task<T> RunAsync<T>(Func<DbConnection, Task<T>> action, string what, CancellationToken cancellationToken);

    /// <summary>Applies the migrations not yet applied, each in its own transaction; safe at every start.</summary>
    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
