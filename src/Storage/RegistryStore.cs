using CrosswalkWatch.Matcher.Registry;

namespace CrosswalkWatch.Storage;

/// <summary>The file an import came from: its name, the sha256 of its bytes, the encoding it was read in.</summary>
public sealed record RegistrySource(string FileName, string Sha256, string Encoding);

/// <summary>One import in the registry's history: when, from what file, how big the registry became, what changed.</summary>
public sealed record RegistryImport(
    long Id,
    DateTimeOffset ImportedAt,
    RegistrySource Source,
    int Officials,
    int Vehicles,
    RegistryChanges Changes);

/// <summary>Where the officials' registry is kept. SQLite on a box; PostgreSQL at a central site behind the same contract.</summary>
public interface IRegistryStore : IDisposable
{
    /// <summary>Applies the migrations not yet applied; safe to run at every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The registry as stored now (empty before the first import).</summary>
    Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the whole registry with <paramref name="snapshot"/> and records the import in the history, in one
    /// transaction: all of it or, on any failure, none of it.
    /// </summary>
    Task<RegistryImport> ReplaceAsync(RegistrySnapshot snapshot, RegistrySource source, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Every import, oldest first.</summary>
    Task<IReadOnlyList<RegistryImport>> HistoryAsync(CancellationToken cancellationToken = default);
}
