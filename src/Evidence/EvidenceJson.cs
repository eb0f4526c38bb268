using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// The JSON of evidence documents: camelCase, enums as camelCase names. <see cref="Files"/> for the files of a package
/// (candidate.json, plate.json, manifest.json: indented, read by people); <see cref="Compact"/> for the same documents
/// on one line, as a case keeps them (candidate_json, plate_read_json), as a held candidate is parked and as
/// <c>cww replay</c> and <c>cww run</c> print them.
/// </summary>
public static class EvidenceJson
{
    public static readonly JsonSerializerOptions Compact = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static readonly JsonSerializerOptions Files = new(Compact) { WriteIndented = true };
}
