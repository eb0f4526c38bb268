namespace CrosswalkWatch.Storage;

/// <summary>
/// The embedded store of cases: the box's SQLite file (<see cref="SqliteDatabase"/>: WAL mode, embedded migrations).
/// </summary>
public sealed class SqliteCaseStore(string path) : CaseStore(new SqliteDatabase(path));
