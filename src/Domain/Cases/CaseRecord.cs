using CrosswalkWatch.Domain.Officials;

namespace CrosswalkWatch.Domain.Cases;

/// <summary>
/// A stored case: a violation candidate and where its evidence package is; its plate and what the registry says about
/// it (filled when the case is stored, see <see cref="CaseIntake"/>); and the reviewer's last decision.
/// </summary>
public sealed record CaseRecord(
    string CaseId,
    string SiteId,
    string CameraId,
    DateTimeOffset EventAt,
    string Lane,
    string Approach,
    int VehicleTrackId,
    string Status,
    string EvidenceFolder,
    string CandidateJson,
    string ManifestSignature,
    DateTimeOffset CreatedAt)
{
    public const string Candidate = "candidate";

    public const string Confirmed = "confirmed";

    public const string Rejected = "rejected";

    /// <summary>The plate step's normalised read, or null when there is none (a case without a plate read is valid).</summary>
    public string? PlateRead { get; init; }

    /// <summary>The plate step's reads with per-character confidence and colour: JSON, opaque to the store.</summary>
    public string? PlateReadJson { get; init; }

    /// <summary>The current plate: the read, or the reviewer's correction.</summary>
    public string? Plate { get; init; }

    public MatchKind MatchKind { get; init; } = MatchKind.None;

    /// <summary>The official whose vehicle <see cref="Plate"/> exactly is on the event's date; null otherwise. Counts only once confirmed.</summary>
    public string? OfficialId { get; init; }

    /// <summary>The registry's suggestions (official, plate, score, characters in doubt) as JSON; for the reviewer only.</summary>
    public string? MatchJson { get; init; }

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>One of <see cref="RejectReasons.All"/> when rejected.</summary>
    public string? RejectReason { get; init; }

    public string? RejectNote { get; init; }

    /// <summary>When retention deleted the evidence folder (unmatched cases only).</summary>
    public DateTimeOffset? EvidenceDeletedAt { get; init; }
}

/// <summary>Why a reviewer may reject a case: a fixed list (plus free text).</summary>
public static class RejectReasons
{
    public static IReadOnlyList<string> All { get; } =
        ["not-a-violation", "pedestrian-not-in-conflict", "vehicle-stopped", "emergency-vehicle", "plate-unreadable", "duplicate", "other"];
}
