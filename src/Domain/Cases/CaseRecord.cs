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
    CaseStatus Status,
    string EvidenceFolder,
    string CandidateJson,
    string ManifestSignature,
    DateTimeOffset CreatedAt)
{
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

    /// <summary>
    /// The reviewers who confirmed the case's current plate, oldest first, each at most once. A case that names an
    /// official is confirmed when enough different reviewers are here (review.officialConfirmations); a rejection,
    /// a correction and a reopening start the list again.
    /// </summary>
    public IReadOnlyList<Confirmation> Confirmations { get; init; } = [];

    /// <summary>Why the case was last reopened (an objection of the official, recorded by the office or the police), if it was.</summary>
    public string? ReopenReason { get; init; }

    /// <summary>
    /// Counted against <see cref="OfficialId"/>: confirmed by a reviewer, on an exact match. The only state in which a
    /// case counts towards an official's tally.
    /// </summary>
    public bool Counts => Status == CaseStatus.Confirmed && OfficialId is not null;

    /// <summary>The case after <paramref name="decision"/> (unchanged fields kept); refuses what cannot be decided.</summary>
    /// <param name="officialConfirmations">How many different reviewers must confirm a case that names an official (review.officialConfirmations).</param>
    public CaseRecord Decide(ReviewDecision decision, int officialConfirmations = 1)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Action switch
        {
            ReviewAction.Confirm => Confirm(decision.Actor, decision.At, officialConfirmations, decision.Note, decision.NoteRequired),
            ReviewAction.Reject => Reject(decision.Actor, decision.At, decision.RejectReason, decision.RejectNote),
            ReviewAction.Correct => Correct(decision.Actor, decision.At, decision.Match),
            ReviewAction.Reopen => Reopen(decision.Actor, decision.At, decision.Note),
            _ => throw new ReviewException(Phrase.Of("review.unknownDecision", "case {id}: unknown decision {action}", ("id", CaseId), ("action", decision.Action))),
        };
    }

    /// <summary>How many different reviewers must confirm this case: <paramref name="officialConfirmations"/> when it names an official, else one.</summary>
    public int ConfirmationsNeeded(int officialConfirmations) => OfficialId is null ? 1 : Math.Max(1, officialConfirmations);

    /// <summary>
    /// A reviewer says it is a violation. A case that names an official counts against them only once
    /// <paramref name="officialConfirmations"/> different reviewers have confirmed its current plate: until then it
    /// stays a candidate with this confirmation kept, and the same reviewer confirming again is refused (one careless
    /// reviewer alone cannot name an official). A case already confirmed stays as it is.
    /// </summary>
    /// <param name="note">The reviewer's note; required when <paramref name="noteRequired"/> (a vehicle that does not match the registry).</param>
    public CaseRecord Confirm(string actor, DateTimeOffset at, int officialConfirmations = 1, string? note = null, Phrase? noteRequired = null)
    {
        if (Status == CaseStatus.Confirmed)
        {
            return this;
        }

        if (noteRequired is not null && string.IsNullOrWhiteSpace(note))
        {
            throw new ReviewException(Phrase.Of("review.noteRequired", "confirm case {id}: {why}; a confirmation needs a note saying why the vehicle is the official's", ("id", CaseId), ("why", noteRequired)));
        }

        // A vehicle that does not match the registry: only confirmations with a note stand, and two at least.
        var kept = Status == CaseStatus.Candidate ? Confirmations.Where(c => c.Plate == Plate && (noteRequired is null || c.Note is not null)).ToList() : [];
        if (kept.Any(c => string.Equals(c.Actor, actor, StringComparison.Ordinal)))
        {
            throw new ReviewException(Phrase.Of("review.alreadyConfirmed", "confirm case {id}: {actor} has already confirmed it; a case that names an official needs {needed} different reviewers", ("id", CaseId), ("actor", actor), ("needed", ConfirmationsNeeded(officialConfirmations))));
        }

        kept.Add(new Confirmation(actor, at, Plate, string.IsNullOrWhiteSpace(note) ? null : note.Trim()));
        var needed = noteRequired is null ? ConfirmationsNeeded(officialConfirmations) : Math.Max(2, ConfirmationsNeeded(officialConfirmations));
        var status = kept.Count >= needed ? CaseStatus.Confirmed : CaseStatus.Candidate;
        return this with { Status = status, Confirmations = kept, DecidedBy = actor, DecidedAt = at, RejectReason = null, RejectNote = null };
    }

    /// <summary>Not counted, with one of <see cref="RejectReasons.All"/> (refused otherwise) and free text; its confirmations are void.</summary>
    public CaseRecord Reject(string actor, DateTimeOffset at, string? reason, string? note) =>
        reason is not null && RejectReasons.All.Contains(reason)
            ? this with { Status = CaseStatus.Rejected, Confirmations = [], DecidedBy = actor, DecidedAt = at, RejectReason = reason, RejectNote = string.IsNullOrWhiteSpace(note) ? null : note }
            : throw new ReviewException(Phrase.Of("review.unknownRejectReason", "reject case {id}: reason '{reason}' is not one of {reasons}", ("id", CaseId), ("reason", reason ?? ""), ("reasons", string.Join(", ", RejectReasons.All))));

    /// <summary>
    /// An objection (申诉) reopens a confirmed case: it stops counting at once and waits for its confirmations again,
    /// with the reason kept. Only a confirmed case can be reopened; the reason is required.
    /// </summary>
    public CaseRecord Reopen(string actor, DateTimeOffset at, string? reason) =>
        Status != CaseStatus.Confirmed ? throw new ReviewException(Phrase.Of("review.reopenNotConfirmed", "reopen case {id}: it is {status}, not confirmed; only a confirmed case is reopened", ("id", CaseId), ("status", "@status." + CaseStatuses.Name(Status))))
        : string.IsNullOrWhiteSpace(reason) ? throw new ReviewException(Phrase.Of("review.reopenWhy", "reopen case {id}: say why (the official's objection)", ("id", CaseId)))
        : this with { Status = CaseStatus.Candidate, Confirmations = [], DecidedBy = actor, DecidedAt = at, ReopenReason = reason.Trim(), RejectReason = null, RejectNote = null };

    /// <summary>
    /// The plate was misread: the case takes the reviewer's plate and its new match and waits for its confirmations
    /// again (a corrected plate's match counts only once reviewers confirm the case: a correction that turns a case into
    /// an official's needs every confirmation anew). The same plate changes nothing; no
    /// plate is refused.
    /// </summary>
    public CaseRecord Correct(string actor, DateTimeOffset at, PlateMatch? match) => match switch
    {
        null => throw new ReviewException(Phrase.Of("review.noPlate", "correct case {id}: no plate given", ("id", CaseId))),
        { } m when m.Plate == Plate => this,
        { } m => this with { Status = CaseStatus.Candidate, Plate = m.Plate, MatchKind = m.Kind, OfficialId = m.OfficialId, MatchJson = m.MatchJson, Confirmations = [], DecidedBy = actor, DecidedAt = at, RejectReason = null, RejectNote = null },
    };
}

/// <summary>One reviewer's confirmation of a case's plate <paramref name="Plate"/>, with their note.</summary>
public sealed record Confirmation(string Actor, DateTimeOffset At, string? Plate, string? Note = null);

/// <summary>Where a case is in its review. Stored, sent and shown by its <see cref="CaseStatuses.Name"/>.</summary>
public enum CaseStatus
{
    /// <summary>Decided by the edge box, waiting for a reviewer (again, after a plate correction).</summary>
    Candidate,

    /// <summary>A reviewer confirmed the violation.</summary>
    Confirmed,

    /// <summary>A reviewer rejected it, with a reason.</summary>
    Rejected,
}

/// <summary>The names of <see cref="CaseStatus"/> as stored, sent and shown: candidate, confirmed, rejected.</summary>
public static class CaseStatuses
{
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<CaseStatus>().Select(Name)];

    public static string Name(CaseStatus status) => status switch
    {
        CaseStatus.Candidate => "candidate",
        CaseStatus.Confirmed => "confirmed",
        CaseStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a case status"),
    };

    public static bool TryParse(string? name, out CaseStatus status)
    {
        foreach (var candidate in Enum.GetValues<CaseStatus>())
        {
            if (string.Equals(name, Name(candidate), StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static CaseStatus Parse(string name) =>
        TryParse(name, out var status) ? status : throw new FormatException($"'{name}' is not a case status ({string.Join(", ", Names)})");
}

/// <summary>Why a reviewer may reject a case: a fixed list (plus free text).</summary>
public static class RejectReasons
{
    public static IReadOnlyList<string> All { get; } =
        ["not-a-violation", "pedestrian-not-in-conflict", "vehicle-stopped", "emergency-vehicle", "plate-unreadable", "duplicate", "other"];
}
