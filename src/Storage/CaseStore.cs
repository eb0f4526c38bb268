using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Outbox;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>
/// Cases and their outbox, the same statements on SQLite (<see cref="SqliteCaseStore"/>) and PostgreSQL
/// (<see cref="PostgresCaseStore"/>): only where they run differs (<see cref="StoreDatabase"/>).
/// </summary>
public abstract partial class CaseStore : DatabaseStore, ICaseStore
{
    private protected CaseStore(StoreDatabase database)
        : base(database)
    {
    }

    public Task<bool> AddAsync(CaseRecord record, OutboxMessage? announce = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var rows = await connection.ExecuteAsync(Row.Insert, Row.From(record), transaction).ConfigureAwait(false);
                if (rows == 1 && announce is not null)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO outbox (id, topic, payload, created_at_ms) VALUES (@Id, @Topic, @Payload, @now) ON CONFLICT (id) DO NOTHING",
                        new { announce.Id, announce.Topic, announce.Payload, now = Now() },
                        transaction).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return rows == 1;
            },
            $"store case {record.CaseId}",
            cancellationToken);
    }

    public Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<OutboxMessage>>(
            async connection => (await connection.QueryAsync<OutboxMessage>(
                "SELECT id AS Id, topic AS Topic, payload AS Payload FROM outbox WHERE sent_at_ms IS NULL ORDER BY seq LIMIT @max",
                new { max }).ConfigureAwait(false)).ToList(),
            "read the outbox",
            cancellationToken);

    public Task MarkSentAsync(string id, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            connection => connection.ExecuteAsync("UPDATE outbox SET sent_at_ms = @now WHERE id = @id", new { id, now = Now() }),
            $"mark message {id} sent",
            cancellationToken);

    public Task<int> PendingCountAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            connection => connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL"),
            "count the outbox",
            cancellationToken);

    public Task ParkAsync(string topic, string payload, string reason, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            connection => connection.ExecuteAsync(
                "INSERT INTO parked_messages (topic, payload, reason, received_at_ms) VALUES (@topic, @payload, @reason, @now)",
                new { topic, payload, reason, now = Now() }),
            $"park a message of {topic}",
            cancellationToken);

    public Task<IReadOnlyList<(string Topic, string Payload, string Reason, DateTimeOffset ReceivedAt)>> ParkedAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<(string, string, string, DateTimeOffset)>>(
            async connection => (await connection.QueryAsync<(string Topic, string Payload, string Reason, long At)>(
                    "SELECT topic, payload, reason, received_at_ms FROM parked_messages ORDER BY id LIMIT @limit", new { limit }).ConfigureAwait(false))
                .Select(r => (r.Topic, r.Payload, r.Reason, DateTimeOffset.FromUnixTimeMilliseconds(r.At))).ToList(),
            "read the parked messages",
            cancellationToken);

    public Task<IReadOnlyList<string>> CasesOfPackageAsync(string evidenceFolder, string manifestSignature, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<string>>(
            async connection => (await connection.QueryAsync<string>(
                "SELECT case_id FROM cases WHERE evidence_folder = @evidenceFolder OR manifest_signature = @manifestSignature ORDER BY case_id",
                new { evidenceFolder, manifestSignature }).ConfigureAwait(false)).ToList(),
            $"find the cases of package {evidenceFolder}",
            cancellationToken);

    public Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection => (await connection.QuerySingleOrDefaultAsync<Row>(Row.Select + " WHERE case_id = @caseId", new { caseId }).ConfigureAwait(false))?.ToRecord(),
            $"read case {caseId}",
            cancellationToken);

    public Task<IReadOnlyList<CaseRecord>> ListAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<CaseRecord>>(
            async connection => (await connection.QueryAsync<Row>(Row.Select + " ORDER BY event_at_ms, case_id LIMIT @limit", new { limit }).ConfigureAwait(false))
                .Select(r => r.ToRecord()).ToList(),
            "list the cases",
            cancellationToken);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The table's shape, as Dapper maps it (times as Unix milliseconds).</summary>
    private protected sealed record Row
    {
        public const string Insert =
            """
            INSERT INTO cases (case_id, site_id, camera_id, event_at_ms, lane, approach, vehicle_track, status,
                               evidence_folder, candidate_json, manifest_signature, created_at_ms,
                               plate_read, plate_read_json, plate, match_kind, official_id, match_json)
            VALUES (@CaseId, @SiteId, @CameraId, @EventAtMs, @Lane, @Approach, @VehicleTrackId, @Status,
                    @EvidenceFolder, @CandidateJson, @ManifestSignature, @CreatedAtMs,
                    @PlateRead, @PlateReadJson, @Plate, @MatchKind, @OfficialId, @MatchJson)
            ON CONFLICT (case_id) DO NOTHING
            """;

        public const string Select =
            "SELECT case_id AS CaseId, site_id AS SiteId, camera_id AS CameraId, event_at_ms AS EventAtMs, lane AS Lane, approach AS Approach, " +
            "vehicle_track AS VehicleTrackId, status AS Status, evidence_folder AS EvidenceFolder, candidate_json AS CandidateJson, " +
            "manifest_signature AS ManifestSignature, created_at_ms AS CreatedAtMs, plate_read AS PlateRead, plate_read_json AS PlateReadJson, " +
            "plate AS Plate, match_kind AS MatchKind, official_id AS OfficialId, match_json AS MatchJson, decided_by AS DecidedBy, " +
            "decided_at_ms AS DecidedAtMs, reject_reason AS RejectReason, reject_note AS RejectNote, evidence_deleted_at_ms AS EvidenceDeletedAtMs, " +
            "confirmations_json AS ConfirmationsJson, reopen_reason AS ReopenReason FROM cases";

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

        public string? PlateRead { get; init; }

        public string? PlateReadJson { get; init; }

        public string? Plate { get; init; }

        public string MatchKind { get; init; } = "none";

        public string? OfficialId { get; init; }

        public string? MatchJson { get; init; }

        public string? DecidedBy { get; init; }

        public long? DecidedAtMs { get; init; }

        public string? RejectReason { get; init; }

        public string? RejectNote { get; init; }

        public long? EvidenceDeletedAtMs { get; init; }

        public string? ConfirmationsJson { get; init; }

        public string? ReopenReason { get; init; }

        public static string KindName(MatchKind kind) => kind.ToString().ToLowerInvariant();

        public static Row From(CaseRecord r) => new()
        {
            CaseId = r.CaseId,
            SiteId = r.SiteId,
            CameraId = r.CameraId,
            EventAtMs = r.EventAt.ToUnixTimeMilliseconds(),
            Lane = r.Lane,
            Approach = r.Approach,
            VehicleTrackId = r.VehicleTrackId,
            Status = CaseStatuses.Name(r.Status),
            EvidenceFolder = r.EvidenceFolder,
            CandidateJson = r.CandidateJson,
            ManifestSignature = r.ManifestSignature,
            CreatedAtMs = r.CreatedAt.ToUnixTimeMilliseconds(),
            PlateRead = r.PlateRead,
            PlateReadJson = r.PlateReadJson,
            Plate = r.Plate ?? r.PlateRead,
            MatchKind = KindName(r.MatchKind),
            OfficialId = r.OfficialId,
            MatchJson = r.MatchJson,
            DecidedBy = r.DecidedBy,
            DecidedAtMs = r.DecidedAt?.ToUnixTimeMilliseconds(),
            RejectReason = r.RejectReason,
            RejectNote = r.RejectNote,
            EvidenceDeletedAtMs = r.EvidenceDeletedAt?.ToUnixTimeMilliseconds(),
            ConfirmationsJson = r.Confirmations.Count == 0 ? null : JsonSerializer.Serialize(r.Confirmations, StoredJson.Options),
            ReopenReason = r.ReopenReason,
        };

        public CaseRecord ToRecord() => new(
            CaseId,
            SiteId,
            CameraId,
            DateTimeOffset.FromUnixTimeMilliseconds(EventAtMs),
            Lane,
            Approach,
            (int)VehicleTrackId,
            CaseStatuses.Parse(Status),
            EvidenceFolder,
            CandidateJson,
            ManifestSignature,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs))
        {
            PlateRead = PlateRead,
            PlateReadJson = PlateReadJson,
            Plate = Plate,
            MatchKind = Enum.Parse<MatchKind>(MatchKind, ignoreCase: true),
            OfficialId = OfficialId,
            MatchJson = MatchJson,
            DecidedBy = DecidedBy,
            DecidedAt = DecidedAtMs is { } decided ? DateTimeOffset.FromUnixTimeMilliseconds(decided) : null,
            RejectReason = RejectReason,
            RejectNote = RejectNote,
            EvidenceDeletedAt = EvidenceDeletedAtMs is { } deleted ? DateTimeOffset.FromUnixTimeMilliseconds(deleted) : null,
            Confirmations = Confirmations(),
            ReopenReason = ReopenReason,
        };

        /// <summary>
        /// The stored confirmations; for a case confirmed before they were kept, its one reviewer. None is the same empty
        /// list a new record has, so a stored record equals the one that was added.
        /// </summary>
        private Confirmation[] Confirmations() =>
            ConfirmationsJson is { } json && JsonSerializer.Deserialize<Confirmation[]>(json, StoredJson.Options) is { Length: > 0 } kept ? kept
            : ConfirmationsJson is null && Status == "confirmed" && DecidedBy is { } by ? [new Confirmation(by, DateTimeOffset.FromUnixTimeMilliseconds(DecidedAtMs ?? CreatedAtMs), Plate)]
            : [];
    }
}
