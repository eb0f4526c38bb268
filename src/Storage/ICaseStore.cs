using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Outbox;
using CrosswalkWatch.Storage.Review;

namespace CrosswalkWatch.Storage;

/// <summary>Where cases are kept. SQLite on a box; PostgreSQL at a central site (issue 5) behind the same contract.</summary>
public interface ICaseStore : IOutbox, IStore, IReviewStore
{
    /// <summary>
    /// Adds a case, and with it, in the same transaction, the message that announces it (edge boxes: the outbox of
    /// store-and-forward); false (and nothing changed) when a case with that id is already stored.
    /// </summary>
    Task<bool> AddAsync(CaseRecord record, OutboxMessage? announce = null, CancellationToken cancellationToken = default);

    /// <summary>Keeps a message a consumer could not read, with the reason.</summary>
    Task ParkAsync(string topic, string payload, string reason, CancellationToken cancellationToken = default);

    /// <summary>Parked messages, oldest first.</summary>
    Task<IReadOnlyList<(string Topic, string Payload, string Reason, DateTimeOffset ReceivedAt)>> ParkedAsync(int limit = 100, CancellationToken cancellationToken = default);

    Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>The ids of the stored cases whose evidence is the package in <paramref name="evidenceFolder"/> or signed <paramref name="manifestSignature"/>.</summary>
    Task<IReadOnlyList<string>> CasesOfPackageAsync(string evidenceFolder, string manifestSignature, CancellationToken cancellationToken = default);

    /// <summary>Cases by event time, oldest first.</summary>
    Task<IReadOnlyList<CaseRecord>> ListAsync(int limit = 100, CancellationToken cancellationToken = default);
}

/// <summary>The store could not be opened or written: says which database and what went wrong.</summary>
public sealed class StorageException : Exception
{
    public StorageException()
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
