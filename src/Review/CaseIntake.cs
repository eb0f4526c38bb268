using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Matcher.Matching;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Review;

/// <summary>
/// Matches a case's plate against the officials' registry when the case is stored (the edge box of a one-box
/// install, the central consumer) and when a reviewer corrects it: the exact official valid on the event's local
/// date, or suggestions for the reviewer, which never count as they are. The index is rebuilt after each import.
/// </summary>
/// <param name="plates">
/// This site's plate settings: a stored read is in doubt when its own box said so or when these find it so (a box's
/// looser settings, or a message that dropped the doubt, cannot make a read sure here); null trusts the box's verdict.
/// </param>
public sealed class CaseIntake(IRegistryStore registry, TimeZoneInfo zone, PlateSettings? plates = null)
{
    private volatile Cached? _cached;

    /// <summary>The case with its plate and match filled from its plate read; as it is when it has no read.</summary>
    public async Task<CaseRecord> MatchAsync(CaseRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.PlateRead is not { } read)
        {
            return record;
        }

        var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
        var match = Match(index, read, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(record.EventAt, zone).DateTime), Doubt(record.PlateReadJson));
        return record with { Plate = match.Plate, MatchKind = match.Kind, OfficialId = match.OfficialId, MatchJson = match.MatchJson };
    }

    /// <summary>
    /// The cloned-plate check of <paramref name="record"/> (<see cref="CaseVehicle.Check"/>): the vehicle in its
    /// package, read only when the package verifies with <paramref name="siteKey"/>, against the registry row of its
    /// current plate on the event's local date, with the registry as it is now.
    /// </summary>
    public async Task<VehicleCheckResult> CheckVehicleAsync(CaseRecord record, bool verified, CancellationToken cancellationToken = default)
    {
        var snapshot = await registry.LoadAsync(cancellationToken).ConfigureAwait(false);
        return CaseVehicle.Check(record, snapshot, zone, verified);
    }

    public async Task<PlateMatch> MatchPlateAsync(string plate, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
        return Match(index, plate, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime));
    }

    /// <summary>How the first suggestion's doubt begins when it is the read's exact match, held back because the read is in doubt (the reason follows).</summary>
    public const string PlateInDoubt = "plate in doubt: ";

    /// <summary>
    /// The match of <paramref name="plate"/> on <paramref name="date"/>. A plate read in doubt (<paramref name="doubt"/>:
    /// the evidence set disagrees, or a character is below plates.minCharConfidence) names no official: its exact
    /// match becomes the first suggestion, with the reason, for the reviewer to confirm.
    /// </summary>
    public static PlateMatch Match(PlateIndex index, string plate, DateOnly date, string? doubt = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        var result = index.Match(plate, date);
        var offered = doubt is not null && result.Exact is { } exact
            ? [exact with { Doubts = [] }, .. result.Suggestions]
            : result.Suggestions;
        var suggestions = offered.Select(s => new
        {
            officialId = s.Official.Id,
            name = s.Official.Name,
            department = s.Official.Department,
            plate = s.Vehicle.Plate,
            score = s.Score,
            doubts = doubt is not null && s == offered[0] && result.Exact is not null ? [PlateInDoubt + doubt] : s.Doubts.Select(d => d.ToString()).ToList(),
        }).ToList();
        var sure = doubt is null || result.Exact is null;
        return new PlateMatch(
            result.Read.Length == 0 ? null : result.Read,
            sure ? result.Kind : MatchKind.Suggested,
            sure ? result.AccountableOfficial?.Id : null,
            suggestions.Count == 0 ? null : JsonSerializer.Serialize(suggestions, StoredJson.Options));
    }

    /// <summary>
    /// The reason a stored plate read is in doubt (its "doubt" field, else what this site's settings find in it), or
    /// null when it is sure or has none.
    /// </summary>
    private string? Doubt(string? plateReadJson)
    {
        if (plateReadJson is null)
        {
            return null;
        }

        try
        {
            var reading = JsonSerializer.Deserialize<PlateReading>(plateReadJson, EvidenceJson.Compact);
            return reading?.Doubt ?? (reading is not null && plates is not null ? PlateCertainty.Doubt(reading, plates) : null);
        }
        catch (JsonException)
        {
            return "the plate read's details cannot be read";
        }
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
