using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Messaging.Payloads;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Review;

/// <summary>
/// The central consumer's sink: received candidates become cases, their plate matched against the registry first
/// (a repeated case id changes nothing); unreadable messages are parked.
/// </summary>
public sealed class CaseStoreSink(ICaseStore store, CaseIntake? intake = null) : ICandidateSink
{
    public async Task<bool> StoreAsync(CandidateMessage candidate, CancellationToken cancellationToken)
    {
        var record = Announcements.ToCase(candidate);
        if (intake is not null)
        {
            record = await intake.MatchAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return await store.AddAsync(record, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parks the message's reference (size, SHA-256, first bytes) in the payload column; the payload itself is not kept.</summary>
    public Task ParkAsync(MessageReference message, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return store.ParkAsync(message.Topic, message.Describe(), reason, cancellationToken);
    }
}
