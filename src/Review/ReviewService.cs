using System.Globalization;
using CrosswalkWatch.Domain;
using CrosswalkWatch.Domain.Accountability;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Storage.Review;

namespace CrosswalkWatch.Review;

/// <summary>
/// The police side's decisions on a case, composed from the store, the registry match and the evidence check:
/// a confirmation only over an intact evidence package; a correction grammar-checked and matched again; every
/// decision with its audit row and what the office is told, in one transaction (<see cref="IReviewStore.DecideAsync"/>).
/// </summary>
public sealed class ReviewService(ICaseStore store, CaseIntake intake, TallyRules rules, IEvidenceKeys keys)
{
    /// <summary>
    /// A reviewer confirms the case over its intact evidence. A case that names an official counts only once
    /// <see cref="TallyRules.OfficialConfirmations"/> different reviewers have confirmed it (the outcome's case stays a
    /// candidate until then).
    /// </summary>
    /// <param name="note">The reviewer's note (kept with the confirmation, in the audit).</param>
    public async Task<DecisionOutcome> ConfirmAsync(string caseId, string actor, string? note = null, CancellationToken cancellationToken = default)
    {
        var record = await GetAsync(caseId, cancellationToken).ConfigureAwait(false);
        if (record.EvidenceDeletedAt is { } deleted)
        {
            throw new ReviewException(Phrase.Of("review.evidenceDeleted", "case {id}: its evidence was deleted by retention on {date}; it cannot be confirmed", ("id", caseId), ("date", deleted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        }

        var problems = (await EvidenceVerifier.VerifyForAsync(record, keys, cancellationToken).ConfigureAwait(false)).Faults;
        if (problems.Count > 0)
        {
            throw new ReviewException(Phrase.Of("review.evidenceFails", "case {id}: the evidence package {folder} does not verify, confirmation refused: {problems}", ("id", caseId), ("folder", record.EvidenceFolder), ("problems", problems)));
        }

        // A cloned plate (套牌)? A vehicle that does not match the registry's counts only when two reviewers accept it, each with a note.
        var vehicle = await intake.CheckVehicleAsync(record, verified: true, cancellationToken).ConfigureAwait(false);
        var noteRequired = vehicle.Verdict == Domain.Officials.VehicleVerdict.Mismatch ? vehicle.Line : null;
        return await DecideAsync(new ReviewDecision(caseId, ReviewAction.Confirm, Actor(actor), DateTimeOffset.UtcNow, Note: Text(note, "note"), NoteRequired: noteRequired), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An official's objection (申诉), recorded by the office or the police: the confirmed case stops counting at once
    /// and waits for its confirmations again; a notice whose count falls below its number is withdrawn.
    /// </summary>
    public Task<DecisionOutcome> ReopenAsync(string caseId, string reason, string actor, CancellationToken cancellationToken = default) =>
        DecideAsync(new ReviewDecision(caseId, ReviewAction.Reopen, Actor(actor), DateTimeOffset.UtcNow, Note: Text(reason, "reason")), cancellationToken);

    /// <summary>After a registry import: withdraws the notices whose officials' counts the new registry takes below their number.</summary>
    public Task<IReadOnlyList<NoticeRecord>> RecheckRegistryAsync(string actor, CancellationToken cancellationToken = default) =>
        store.RecheckRegistryAsync(rules, Actor(actor), OfficeAnnouncements.Of, cancellationToken);

    public Task<DecisionOutcome> RejectAsync(string caseId, string reason, string? note, string actor, CancellationToken cancellationToken = default) =>
        DecideAsync(new ReviewDecision(caseId, ReviewAction.Reject, Actor(actor), DateTimeOffset.UtcNow, reason, Text(note, "note")), cancellationToken);

    public async Task<DecisionOutcome> CorrectAsync(string caseId, string plate, string actor, CancellationToken cancellationToken = default)
    {
        if (!PlateGrammar.TryParse(plate, out var parsed, out var error))
        {
            throw new ReviewException(Phrase.Of("review.notAPlate", "case {id}: '{plate}' is not a plate: {error}", ("id", caseId), ("plate", plate), ("error", error)));
        }

        var record = await GetAsync(caseId, cancellationToken).ConfigureAwait(false);
        var match = await intake.MatchPlateAsync(parsed.Text, record.EventAt, cancellationToken).ConfigureAwait(false);
        return await DecideAsync(new ReviewDecision(caseId, ReviewAction.Correct, Actor(actor), DateTimeOffset.UtcNow, Match: match), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the evidence folders of unmatched, unconfirmed cases older than <paramref name="days"/>; returns what was
    /// (or, on a dry run, would be) deleted, and what was kept and why. Refused without a registry (every case would
    /// look unmatched). Each plate is matched again against today's registry first (a case stored before an import
    /// was never matched against it); a folder is deleted only when its manifest's case id is the case's (parsed, not found somewhere in the text), and one that is not
    /// on this machine (a central site's view of an edge box's evidence) is left to that box.
    /// </summary>
    public async Task<IReadOnlyList<(CaseRecord Case, string Outcome)>> RetainAsync(int days, DateTimeOffset now, bool dryRun, CancellationToken cancellationToken = default)
    {
        if (!await intake.HasRegistryAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new ReviewException(Phrase.Of("review.noRegistry", "retention: the registry is empty, so no case can be told apart from an official's; import it first (cww registry import)"));
        }

        var done = new List<(CaseRecord, string)>();
        foreach (var c in await store.UnmatchedBeforeAsync(now - TimeSpan.FromDays(days), cancellationToken).ConfigureAwait(false))
        {
            var outcome =
                c.Plate is { } plate && (await intake.MatchPlateAsync(plate, c.EventAt, cancellationToken).ConfigureAwait(false)).Kind != Domain.Officials.MatchKind.None
                    ? "kept: the plate matches the registry as it is now; review it"
                : !Directory.Exists(c.EvidenceFolder) ? "kept: the folder is not on this machine"
                : EvidenceVerifier.ReadManifest(c.EvidenceFolder) is not { } manifest || !string.Equals(manifest.CaseId, c.CaseId, StringComparison.Ordinal)
                    ? "kept: its folder holds no manifest of this case"
                : dryRun ? "would delete" : "deleted";
            if (outcome == "deleted")
            {
                Directory.Delete(c.EvidenceFolder, recursive: true);
                await store.MarkEvidenceDeletedAsync(c.CaseId, "retention", now, cancellationToken).ConfigureAwait(false);
            }

            done.Add((c, outcome));
        }

        return done;
    }

    private Task<DecisionOutcome> DecideAsync(ReviewDecision decision, CancellationToken cancellationToken) =>
        store.DecideAsync(decision, rules, OfficeAnnouncements.Of, cancellationToken);

    private async Task<CaseRecord> GetAsync(string caseId, CancellationToken cancellationToken) =>
        await store.GetAsync(caseId, cancellationToken).ConfigureAwait(false) ?? throw ReviewException.NoCase(caseId);

    /// <summary>The longest note or reason kept (characters).</summary>
    public const int MaxText = 2000;

    private static string? Text(string? text, string what) =>
        text is { Length: > MaxText } ? throw new ReviewException(Phrase.Of("review.tooLong", "the {what} is {length} characters; at most {max}", ("what", "@review." + what), ("length", text.Length), ("max", MaxText))) : text;

    private static string Actor(string actor) =>
        string.IsNullOrWhiteSpace(actor) ? throw new ReviewException(Phrase.Of("review.noActor", "--by: the reviewer's name is required (it goes into the audit log)")) : actor.Trim();
}
