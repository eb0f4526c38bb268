using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>
/// The embedded migration scripts (<c>Migrations/000N_name.sql</c>), one schema for both databases. A script is
/// portable unless a statement cannot be: then <c>000N_name.postgres.sql</c> beside it is PostgreSQL's form of the
/// same migration, and the portable one is SQLite's.
/// </summary>
internal static class Migrations
{
    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    /// <summary>
    /// Applies, on <paramref name="connection"/>, the scripts of <paramref name="dialect"/> not yet recorded in
    /// <c>schema_version</c>, each with its record in one transaction. The caller keeps other processes out
    /// (SQLite's single writer, PostgreSQL's advisory lock).
    /// </summary>
    public static async Task ApplyAsync(DbConnection connection, string dialect, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at_ms BIGINT NOT NULL)",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_version").ConfigureAwait(false)).ToHashSet();
        foreach (var (version, sql) in Scripts(dialect))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, applied_at_ms) VALUES (@version, @now) ON CONFLICT (version) DO NOTHING",
                new { version, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The scripts for <paramref name="dialect"/> by version: its own form of a migration where there is one, else the portable one.</summary>
    public static IReadOnlyList<(int Version, string Sql)> Scripts(string dialect)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var chosen = new SortedDictionary<int, (string Resource, bool Own)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            const string Folder = ".Migrations.";
            if (!resource.EndsWith(".sql", StringComparison.Ordinal) || resource.IndexOf(Folder, StringComparison.Ordinal) is var at && at < 0)
            {
                continue;
            }

            var file = resource[(at + Folder.Length)..^".sql".Length].TrimStart('_');
            var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            var dot = file.LastIndexOf('.');
            var own = dot >= 0;
            if (own && file[(dot + 1)..] != dialect)
            {
                continue;
            }

            if (own || !chosen.ContainsKey(version))
            {
                chosen[version] = (resource, own);
            }
        }

        return chosen.Select(c =>
        {
            using var stream = assembly.GetManifestResourceStream(c.Value.Resource)!;
            using var reader = new StreamReader(stream);
            return (c.Key, reader.ReadToEnd());
        }).ToList();
    }
}
