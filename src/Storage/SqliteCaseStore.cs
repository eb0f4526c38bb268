using Dapper;
using Microsoft.Data.Sqlite;

namespace CrosswalkWatch.Storage;

/// <summary>
/// The embedded store of cases: the box's SQLite file (<see cref="SqliteDatabase"/>: WAL mode, embedded migrations).
/// </summary>
public sealed class SqliteCaseStore : SqliteStore, ICaseStore
{
    public SqliteCaseStore(string path)
        : base(path)
    {
    }

    public async Task<bool> AddAsync(CaseRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await Connection.ExecuteAsync(
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
            Gate.Release();
        }
    }

    public async Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var row = await Connection.QuerySingleOrDefaultAsync<Row>(Row.Select + " WHERE case_id = @caseId", new { caseId }).ConfigureAwait(false);
            return row?.ToRecord();
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task<IReadOnlyList<CaseRecord>> ListAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await Connection.QueryAsync<Row>(Row.Select + " ORDER BY event_at_ms, case_id LIMIT @limit", new { limit }).ConfigureAwait(false);
            return rows.Select(r => r.ToRecord()).ToList();
        }
        finally
        {
            Gate.Release();
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
