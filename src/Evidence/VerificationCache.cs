using System.Collections.Concurrent;
using CrosswalkWatch.Domain.Cases;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// Verification results for pages that show them, so a page view does not hash a clip again: a result is reused while
/// the package's files look the same (the manifest's and each file's size and last write time, read with one stat
/// each) and for at most <see cref="Lifetime"/> (so a site key retired meanwhile is seen soon). A decision that counts
/// (a confirmation) never reads it: it verifies in full each time.
/// </summary>
public sealed class VerificationCache(IEvidenceKeys keys, TimeProvider? clock = null)
{
    /// <summary>How long a result is reused at most, even when nothing on disk changed.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>The most results kept; past it the cache starts again (a page view costs one verification then).</summary>
    private const int Capacity = 4096;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (string Fingerprint, DateTimeOffset At, EvidenceCheck Check)> _results = new(StringComparer.Ordinal);

    /// <summary>How many verifications were actually run (the rest were answered from the cache).</summary>
    public long Verifications => Interlocked.Read(ref _verifications);

    private long _verifications;

    /// <summary><see cref="EvidenceVerifier.VerifyForAsync"/> of <paramref name="record"/>, from the cache while its package is unchanged.</summary>
    public async Task<EvidenceCheck> VerifyForAsync(CaseRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = record.CaseId + "\n" + record.EvidenceFolder + "\n" + record.ManifestSignature + "\n" + record.PlateRead + "\n" + record.PlateReadJson;
        var fingerprint = Fingerprint(record.EvidenceFolder);
        var now = _clock.GetUtcNow();
        if (fingerprint is not null && _results.TryGetValue(key, out var kept) && kept.Fingerprint == fingerprint && now - kept.At < Lifetime)
        {
            return kept.Check;
        }

        Interlocked.Increment(ref _verifications);
        var check = await EvidenceVerifier.VerifyForAsync(record, keys, cancellationToken).ConfigureAwait(false);
        if (fingerprint is not null)
        {
            if (_results.Count >= Capacity)
            {
                _results.Clear();
            }

            _results[key] = (fingerprint, now, check);
        }

        return check;
    }

    /// <summary>Each file of the folder (links included, not followed) with its size and last write time; null when it cannot be read.</summary>
    private static string? Fingerprint(string folder)
    {
        try
        {
            var files = new DirectoryInfo(folder).GetFiles().OrderBy(f => f.Name, StringComparer.Ordinal);
            return string.Join('\n', files.Select(f => $"{f.Name}\t{f.Length}\t{f.LastWriteTimeUtc.Ticks}\t{f.LinkTarget}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
