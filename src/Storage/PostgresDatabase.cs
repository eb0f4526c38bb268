using System.Data.Common;
using Dapper;
using Npgsql;

namespace CrosswalkWatch.Storage;

/// <summary>
/// A central site's PostgreSQL database: a pooled Npgsql data source, a connection per statement or transaction
/// (so the stores are safe to share between callers), migrations serialised across processes by an advisory lock.
/// When the server goes away, each call fails with a <see cref="StorageException"/> naming host, port and database;
/// the pool is cleared, and once the server is back the next call works on a fresh connection (same store object).
/// </summary>
internal sealed class PostgresDatabase : StoreDatabase
{
    /// <summary>The advisory lock key every CrosswalkWatch process takes while it migrates ("CWW" and 1).</summary>
    private const long MigrationLock = 0x43_57_57_01;

    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The message of a bad connection string may quote it, password and all: say only what is wrong with its form.
            throw new StorageException($"storage.connectionString is not a valid Npgsql connection string ({e.GetType().Name}); expected e.g. 'Host=db;Database=cww;Username=cww'", e);
        }

        Location = $"PostgreSQL {builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username ?? "(default database)"}";
        _source = NpgsqlDataSource.Create(builder);
    }

    public override string Location { get; }

    public override async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> action, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await action(connection).ConfigureAwait(false);
            }
            catch (NpgsqlException e) when (ConnectionLost(e))
            {
                // The server went away or restarted: every pooled connection is dead, drop them all. A pooled connection
                // the server closed while it sat idle fails at its first statement, before anything ran, so try once more
                // on a fresh one. (Were a COMMIT itself cut off, the retry meets what it wrote: case and outbox inserts
                // are ON CONFLICT DO NOTHING, marks are idempotent.)
                _source.Clear();
                if (attempt > 1)
                {
                    throw new StorageException($"{Location}: could not {what}: {Reason(e)}", e);
                }
            }
            catch (NpgsqlException e)
            {
                throw new StorageException($"{Location}: could not {what}: {Reason(e)}", e);
            }
        }
    }

    public override Task MigrateAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                // Two processes starting at once: the second waits here, then finds the migrations recorded.
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = MigrationLock }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                try
                {
                    await Migrations.ApplyAsync(connection, Migrations.Postgres, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = MigrationLock }).ConfigureAwait(false);
                }

                return true;
            },
            "apply the migrations",
            cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _source.Dispose();
        }
    }

    /// <summary>No server at the other end any more: a socket error, a connection exception (08…), or a shutdown (57P0…).</summary>
    private static bool ConnectionLost(NpgsqlException e) =>
        e is not PostgresException || e is PostgresException { SqlState: ['0', '8', ..] or ['5', '7', 'P', '0', _] };

    /// <summary>The driver's message, with the socket's own reason ("Connection refused") when it has one.</summary>
    private static string Reason(NpgsqlException e) =>
        e is not PostgresException && e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
}
