using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Outbox;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Edge.EvidenceQueue;

/// <summary>
/// What becomes of a decided candidate: its evidence package is built, the package becomes a case
/// (<see cref="CaseMapping"/>), the case's plate is matched against the registry when this site holds one, and the case
/// is stored with the message announcing it, in one transaction. The edge box's evidence queue and <c>cww replay
/// --out</c> both record through it.
/// </summary>
/// <param name="intake">Matches each case's plate before it is stored (null: the central site will).</param>
/// <param name="announce">The outbox message stored with each case (null: none).</param>
public sealed class CaseRecorder(EvidenceBuilder builder, ICaseStore store, CaseIntake? intake = null, PlateSettings? plates = null, Func<CaseRecord, OutboxMessage>? announce = null)
{
    public EvidenceBuilder Builder { get; } = builder;

    /// <summary>Builds the package and stores the case, one after the other.</summary>
    public async Task<(EvidencePackage Package, CaseRecord Case)> RecordAsync(ViolationCandidate candidate, EvidenceCamera camera, IEvidenceSource source, CancellationToken cancellationToken = default)
    {
        var package = await BuildAsync(candidate, camera, source, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (package, await StoreAsync(candidate, package, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Builds the candidate's evidence package (the slow part, which runs beside other packages').</summary>
    /// <param name="clock">The box's clock at the event, signed into the package (null: not measured).</param>
    /// <param name="cameraClock">The camera's own clock at the event, from its sender reports (null: not measured).</param>
    public Task<EvidencePackage> BuildAsync(ViolationCandidate candidate, EvidenceCamera camera, IEvidenceSource source, EvidenceClock? clock = null, EvidenceCameraClock? cameraClock = null, CancellationToken cancellationToken = default) =>
        Builder.BuildAsync(candidate, camera, source, clock, cameraClock, cancellationToken);

    /// <summary>Makes the built package a case, matches its plate and stores it with its message, in one transaction.</summary>
    public async Task<CaseRecord> StoreAsync(ViolationCandidate candidate, EvidencePackage package, CancellationToken cancellationToken = default)
    {
        var stored = CaseMapping.ToCase(candidate, package, plates);
        if (intake is not null)
        {
            stored = await intake.MatchAsync(stored, cancellationToken).ConfigureAwait(false);
        }

        await store.AddAsync(stored, announce?.Invoke(stored), cancellationToken).ConfigureAwait(false);
        return stored;
    }
}
