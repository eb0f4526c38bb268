using Microsoft.Data.Sqlite;

namespace CrosswalkWatch.Storage;

/// <summary>
/// What every store over the box's SQLite file shares: one connection (<see cref="SqliteDatabase"/>: WAL mode,
/// embedded migrations) used by one caller at a time through <see cref="Gate"/>.
/// </summary>
public abstract class SqliteStore : IDisposable
{
    protected SqliteStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Connection = SqliteDatabase.Open(Path);
    }

    public string Path { get; }

    private protected SqliteConnection Connection { get; }

    private protected SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Applies the migrations not yet applied (cases, registry, …); safe to run at every start.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SqliteDatabase.MigrateAsync(Connection).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs one statement under the gate; a database error names the file and the action.</summary>
    private protected async Task<T> LockedAsync<T>(Func<Task<T>> action, string what, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new StorageException($"{Path}: could not {what}: {e.Message}", e);
        }
        finally
        {
            Gate.Release();
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Connection.Dispose();
            Gate.Dispose();
        }
    }
}
