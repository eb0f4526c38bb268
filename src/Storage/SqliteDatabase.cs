using System.Globalization;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrosswalkWatch.Storage;

/// <summary>
/// The box's one SQLite file, as every SQLite store opens it: WAL mode (readers never block the writer), migrations
/// from embedded scripts applied in order and recorded in <c>schema_version</c>.
/// </summary>
internal static class SqliteDatabase
{
    /// <summary>Opens (creating the folder and file if needed) the database at <paramref name="path"/>, a full path.</summary>
    public static SqliteConnection Open(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot make the folder of the SQLite database {path}: {e.Message}", e);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StorageException($"cannot open the SQLite database {path}: {e.Message}", e);
        }
    }

    /// <summary>Applies the migrations not yet applied, each in its own transaction; safe to run at every start.</summary>
    public static async Task MigrateAsync(SqliteConnection connection)
    {
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at_ms BIGINT NOT NULL)").ConfigureAwait(false);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_version").ConfigureAwait(false)).ToHashSet();
        foreach (var (version, sql) in Migrations())
        {
            if (applied.Contains(version))
            {
                continue;
            }

            using var transaction = connection.BeginTransaction();
            await connection.ExecuteAsync(sql, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, applied_at_ms) VALUES (@version, @now) ON CONFLICT (version) DO NOTHING",
                new { version, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            transaction.Commit();
        }
    }

    /// <summary>The embedded migration scripts, by the number their name starts with.</summary>
    private static IEnumerable<(int Version, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = name[(name.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
            var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)].TrimStart('_'), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (version, reader.ReadToEnd());
        }
    }
}
