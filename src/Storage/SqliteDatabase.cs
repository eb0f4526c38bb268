using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrosswalkWatch.Storage;

/// <summary>
/// The box's one SQLite file, as every SQLite store opens it: WAL mode (readers never block the writer), one
/// connection used by one caller at a time, migrations from the embedded scripts (<see cref="Migrations"/>).
/// </summary>
internal sealed class SqliteDatabase : StoreDatabase
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Opens (creating the folder and file if needed) the database at <paramref name="path"/>.</summary>
    public SqliteDatabase(string path)
    {
        Location = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Location)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot make the folder of the SQLite database {Location}: {e.Message}", e);
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Location, Pooling = false }.ToString());
        try
        {
            _connection.Open();
            _connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new StorageException($"cannot open the SQLite database {Location}: {e.Message}", e);
        }
    }

    public override string Location { get; }

    public override async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> action, string what, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action(_connection).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new StorageException($"{Location}: could not {what}: {e.Message}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override Task MigrateAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                await Migrations.ApplyAsync(connection, Migrations.Sqlite, cancellationToken).ConfigureAwait(false);
                return true;
            },
            "apply the migrations",
            cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connection.Dispose();
            _gate.Dispose();
        }
    }
}
