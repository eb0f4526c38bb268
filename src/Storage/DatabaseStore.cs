namespace CrosswalkWatch.Storage;

/// <summary>A store opened on a database, or where to find one: its location for messages and its migrations.</summary>
public interface IStore : IDisposable
{
    /// <summary>Which database, for messages: the SQLite file, or PostgreSQL's host, port and database.</summary>
    string Location { get; }

    /// <summary>Applies the migrations not yet applied; safe to run at every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);
}

/// <summary>What every store shares, whichever the database: the <see cref="StoreDatabase"/> its statements run on.</summary>
public abstract class DatabaseStore : IStore
{
    private protected DatabaseStore(StoreDatabase database) => Database = database;

    public string Location => Database.Location;

    private protected StoreDatabase Database { get; }

    public Task MigrateAsync(CancellationToken cancellationToken = default) => Database.MigrateAsync(cancellationToken);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Database.Dispose();
        }
    }
}
