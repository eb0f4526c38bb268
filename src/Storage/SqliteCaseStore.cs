using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrosswalkWatch.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode (readers never block the writer), migrations from embedded
/// scripts applied in order and recorded in <c>schema_version</c>.
/// </summary>
public sealed class SqliteCaseStore : ICaseStore
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SqliteCaseStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot make the folder of the SQLite database {Path}: {e.Message}", e);
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        try
        {
            _connection.Open();
            _connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new StorageException($"cannot open the SQLite database {Path}: {e.Message}", e);
        }
    }

    public string Path { get; }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at_ms BIGINT NOT NULL)").ConfigureAwait(false);
            var applied = (await _connection.QueryAsync<int>("SELECT version FROM schema_version").ConfigureAwait(false)).ToHashSet();
            foreach (var (version, sql) in Migrations())
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                using var transaction = _connection.BeginTransaction();
                await _connection.ExecuteAsync(sql, transaction: transaction).ConfigureAwait(false);
                await _connection.ExecuteAsync(
                    "INSERT INTO schema_version (version, applied_at_ms) VALUES (@version, @now)",
                    new { version, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                transaction.Commit();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> AddAsync(CaseRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await _connection.ExecuteAsync(
                """
                INSERT INTO cases (case_id, site_id, camera_id, event_at_ms, lane, approach, vehicle_track, status,
                                   evidence_folder, candidate_json, manifest_signature, created_at_ms)
                VALUES (@CaseId, @SiteId, @CameraId, @EventAtMs, @Lane, @Approach, @VehicleTrackId, @Status,
                        @EvidenceFolder, @CandidateJson, @ManifestSignature, @CreatedAtMs)
                ON CONFLICT (case_id) DO NOTHING
                """,
                Row.From(record)).ConfigureAwait(false);
            return rows == 1;
        }
        catch (SqliteException e)
        {
            throw new StorageException($"{Path}: could not store case {record.CaseId}: {e.Message}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var row = await _connection.QuerySingleOrDefaultAsync<Row>(Row.Select + " WHERE case_id = @caseId", new { caseId }).ConfigureAwait(false);
            return row?.ToRecord();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<CaseRecord>> ListAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await _connection.QueryAsync<Row>(Row.Select + " ORDER BY event_at_ms, case_id LIMIT @limit", new { limit }).ConfigureAwait(false);
            return rows.Select(r => r.ToRecord()).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    /// <summary>The embedded migration scripts, by the number their name starts with.</summary>
    private static IEnumerable<(int Version, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = name[(name.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
            var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)].TrimStart('_'), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (version, reader.ReadToEnd());
        }
    }

    /// <summary>The table's shape, as Dapper maps it (times as Unix milliseconds).</summary>
    private sealed record Row
    {
        public const string Select =
            "SELECT case_id AS CaseId, site_id AS SiteId, camera_id AS CameraId, event_at_ms AS EventAtMs, lane AS Lane, approach AS Approach, " +
            "vehicle_track AS VehicleTrackId, status AS Status, evidence_folder AS EvidenceFolder, candidate_json AS CandidateJson, " +
            "manifest_signature AS ManifestSignature, created_at_ms AS CreatedAtMs FROM cases";

        public string CaseId { get; init; } = "";

        public string SiteId { get; init; } = "";

        public string CameraId { get; init; } = "";

        public long EventAtMs { get; init; }

        public string Lane { get; init; } = "";

        public string Approach { get; init; } = "";

        public long VehicleTrackId { get; init; }

        public string Status { get; init; } = "";

        public string EvidenceFolder { get; init; } = "";

        public string CandidateJson { get; init; } = "";

        public string ManifestSignature { get; init; } = "";

        public long CreatedAtMs { get; init; }

        public static Row From(CaseRecord r) => new()
        {
            CaseId = r.CaseId,
            SiteId = r.SiteId,
            CameraId = r.CameraId,
            EventAtMs = r.EventAt.ToUnixTimeMilliseconds(),
            Lane = r.Lane,
            Approach = r.Approach,
            VehicleTrackId = r.VehicleTrackId,
            Status = r.Status,
            EvidenceFolder = r.EvidenceFolder,
            CandidateJson = r.CandidateJson,
            ManifestSignature = r.ManifestSignature,
            CreatedAtMs = r.CreatedAt.ToUnixTimeMilliseconds(),
        };

        public CaseRecord ToRecord() => new(
            CaseId,
            SiteId,
            CameraId,
            DateTimeOffset.FromUnixTimeMilliseconds(EventAtMs),
            Lane,
            Approach,
            (int)VehicleTrackId,
            Status,
            EvidenceFolder,
            CandidateJson,
            ManifestSignature,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs));
    }
}
