using System.Text.Json;
using CrosswalkWatch.Matcher.Matching;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Storage.Review;

namespace CrosswalkWatch.Host.Review;

/// <summary>
/// Matches a case's plate against the officials' registry when the case is stored (the edge box of a one-box
/// install, the central consumer) and when a reviewer corrects it: the exact official valid on the event's local
/// date, or suggestions for the reviewer, which never count as they are. The index is rebuilt after each import.
/// </summary>
internal sealed class CaseIntake(IRegistryStore registry, TimeZoneInfo zone)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private volatile Cached? _cached;

    /// <summary>The case with its plate and match filled from its plate read; as it is when it has no read.</summary>
    public async Task<CaseRecord> MatchAsync(CaseRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.PlateRead is not { } read)
        {
            return record;
        }

        var match = await MatchPlateAsync(read, record.EventAt, cancellationToken).ConfigureAwait(false);
        return record with { Plate = match.Plate, MatchKind = match.Kind, OfficialId = match.OfficialId, MatchJson = match.MatchJson };
    }

    public async Task<PlateMatch> MatchPlateAsync(string plate, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
        return Match(index, plate, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime));
    }

    public static PlateMatch Match(PlateIndex index, string plate, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(index);
        var result = index.Match(plate, date);
        var suggestions = result.Suggestions.Select(s => new
        {
            officialId = s.Official.Id,
            name = s.Official.Name,
            department = s.Official.Department,
            plate = s.Vehicle.Plate,
            score = s.Score,
            doubts = s.Doubts.Select(d => d.ToString()).ToList(),
        }).ToList();
        return new PlateMatch(
            result.Read.Length == 0 ? null : result.Read,
            result.Kind,
            result.AccountableOfficial?.Id,
            suggestions.Count == 0 ? null : JsonSerializer.Serialize(suggestions, Json));
    }

    /// <summary>Whether there is a registry to match against (at least one official's vehicle).</summary>
    public async Task<bool> HasRegistryAsync(CancellationToken cancellationToken = default) =>
        (await IndexAsync(cancellationToken).ConfigureAwait(false)).Vehicles > 0;

    private async Task<PlateIndex> IndexAsync(CancellationToken cancellationToken)
    {
        // Two callers at once may both rebuild after an import: harmless, the index is immutable.
        var imports = (await registry.HistoryAsync(cancellationToken).ConfigureAwait(false)).Count;
        if (_cached is not { } cached || cached.Imports != imports)
        {
            cached = new Cached(imports, PlateIndex.Build(await registry.LoadAsync(cancellationToken).ConfigureAwait(false)));
            _cached = cached;
        }

        return cached.Index;
    }

    private sealed record Cached(int Imports, PlateIndex Index);
}
