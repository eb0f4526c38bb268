using CrosswalkWatch.Core.Outbox;
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

    public async Task<bool> AddAsync(CaseRecord record, OutboxMessage? announce = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = Connection.BeginTransaction();
            var rows = await Connection.ExecuteAsync(
                """
                INSERT INTO cases (case_id, site_id, camera_id, event_at_ms, lane, approach, vehicle_track, status,
                                   evidence_folder, candidate_json, manifest_signature, created_at_ms)
                VALUES (@CaseId, @SiteId, @CameraId, @EventAtMs, @Lane, @Approach, @VehicleTrackId, @Status,
                        @EvidenceFolder, @CandidateJson, @ManifestSignature, @CreatedAtMs)
                ON CONFLICT (case_id) DO NOTHING
                """,
                Row.From(record),
                transaction).ConfigureAwait(false);
            if (rows == 1 && announce is not null)
            {
                await Connection.ExecuteAsync(
                    "INSERT INTO outbox (id, topic, payload, created_at_ms) VALUES (@Id, @Topic, @Payload, @now) ON CONFLICT (id) DO NOTHING",
                    new { announce.Id, announce.Topic, announce.Payload, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
            }

            transaction.Commit();
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

    public Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken cancellationToken = default) =>
        LockedAsync<IReadOnlyList<OutboxMessage>>(
            async () => (await Connection.QueryAsync<OutboxMessage>(
                "SELECT id AS Id, topic AS Topic, payload AS Payload FROM outbox WHERE sent_at_ms IS NULL ORDER BY seq LIMIT @max",
                new { max }).ConfigureAwait(false)).ToList(),
            "read the outbox",
            cancellationToken);

    public Task MarkSentAsync(string id, CancellationToken cancellationToken = default) =>
        LockedAsync(
            () => Connection.ExecuteAsync("UPDATE outbox SET sent_at_ms = @now WHERE id = @id", new { id, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }),
            $"mark message {id} sent",
            cancellationToken);

    public Task<int> PendingCountAsync(CancellationToken cancellationToken = default) =>
        LockedAsync(() => Connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL"), "count the outbox", cancellationToken);

    public Task ParkAsync(string topic, string payload, string reason, CancellationToken cancellationToken = default) =>
        LockedAsync(
            () => Connection.ExecuteAsync(
                "INSERT INTO parked_messages (topic, payload, reason, received_at_ms) VALUES (@topic, @payload, @reason, @now)",
                new { topic, payload, reason, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }),
            $"park a message of {topic}",
            cancellationToken);

    public Task<IReadOnlyList<(string Topic, string Payload, string Reason, DateTimeOffset ReceivedAt)>> ParkedAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        LockedAsync<IReadOnlyList<(string, string, string, DateTimeOffset)>>(
            async () => (await Connection.QueryAsync<(string Topic, string Payload, string Reason, long At)>(
                    "SELECT topic, payload, reason, received_at_ms FROM parked_messages ORDER BY id LIMIT @limit", new { limit }).ConfigureAwait(false))
                .Select(r => (r.Topic, r.Payload, r.Reason, DateTimeOffset.FromUnixTimeMilliseconds(r.At))).ToList(),
            "read the parked messages",
            cancellationToken);

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
