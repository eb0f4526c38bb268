namespace CrosswalkWatch.Storage;

/// <summary>
/// A central site's store of cases: PostgreSQL through a pooled Npgsql data source (<see cref="PostgresDatabase"/>),
/// the same schema and statements as <see cref="SqliteCaseStore"/>.
/// </summary>
public sealed class PostgresCaseStore(string connectionString) : CaseStore(new PostgresDatabase(connectionString));
