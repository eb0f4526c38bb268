using System.Text.Json;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Messaging.Payloads;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Review;

/// <summary>
/// The central consumer's sink: received candidates become cases, their plate matched against the registry first
/// (a repeated case id changes nothing); unreadable messages are parked. A package backs one case only: a candidate
/// whose evidence folder or manifest signature another case already has, or whose package (when this machine can
/// read it) is signed for another case id, is parked with the reason instead of stored (a box that re-sends an
/// official's earlier package under a new case id would otherwise count the official twice).
/// </summary>
public sealed class CaseStoreSink(ICaseStore store, CaseIntake? intake = null) : ICandidateSink
{
    public async Task<bool> StoreAsync(CandidateMessage candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (await RefusalAsync(candidate, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            await store.ParkAsync(Topics.Candidates(candidate.SiteId), JsonSerializer.Serialize(candidate, EvidenceJson.Compact), refusal, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var record = Announcements.ToCase(candidate);
        if (intake is not null)
        {
            record = await intake.MatchAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return await store.AddAsync(record, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why the candidate must not become a case, or null: a repeated delivery of a stored case is no refusal.</summary>
    private async Task<string?> RefusalAsync(CandidateMessage candidate, CancellationToken cancellationToken)
    {
        var others = (await store.CasesOfPackageAsync(candidate.EvidenceFolder, candidate.ManifestSignature, cancellationToken).ConfigureAwait(false))
            .Where(id => id != candidate.CaseId)
            .ToList();
        if (others.Count > 0)
        {
            return $"case {candidate.CaseId}: its evidence package ({candidate.EvidenceFolder}) already backs case {string.Join(", ", others)}; a package backs one case only";
        }

        return Directory.Exists(candidate.EvidenceFolder) && EvidenceVerifier.ReadManifest(candidate.EvidenceFolder) is { } manifest && manifest.CaseId != candidate.CaseId
            ? $"case {candidate.CaseId}: its evidence package ({candidate.EvidenceFolder}) is signed for case {manifest.CaseId}; a package backs one case only"
            : null;
    }

    /// <summary>Parks the message's reference (size, SHA-256, first bytes) in the payload column; the payload itself is not kept.</summary>
    public Task ParkAsync(MessageReference message, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return store.ParkAsync(message.Topic, message.Describe(), reason, cancellationToken);
    }
}
