using System.Text;
using CrosswalkWatch.Host.Edge;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Payloads;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Host.Central;

/// <summary>The central consumer's sink: received candidates become cases (a repeated case id changes nothing); unreadable messages are parked.</summary>
internal sealed class CaseStoreSink(ICaseStore store) : ICandidateSink
{
    public Task<bool> StoreAsync(CandidateMessage candidate, CancellationToken cancellationToken) =>
        store.AddAsync(Announcements.ToCase(candidate), cancellationToken: cancellationToken);

    public Task ParkAsync(string topic, byte[] payload, string reason, CancellationToken cancellationToken) =>
        store.ParkAsync(topic, Encoding.UTF8.GetString(payload), reason, cancellationToken);
}
