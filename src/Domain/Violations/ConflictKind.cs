using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrosswalkWatch.Domain.Violations;

/// <summary>
/// Where a pedestrian stood in relation to the vehicle's lane when the yield rule counted them against it (the
/// violation cases of DOMAIN.md). <see cref="ConflictKinds"/> is the one place for each kind's display text and wire
/// name.
/// </summary>
/// <remarks>
/// On the wire (candidate.json in signed evidence packages, candidate_json in the case stores and in messages) a kind
/// is written as the text the rule wrote before it was an enum ("vehicle's lane", "lane beside", "near half",
/// "beside the lane", "at the centre line"), not as its camelCase name, so packages and stored cases of every version
/// read alike, and a reader of either version understands the other's. Reading also accepts the enum's names (any
/// case). <see cref="ConflictKindJsonConverter"/> does both; a property of this type carries it as a property
/// attribute, because the evidence's <see cref="JsonStringEnumConverter"/> in the options would win over the one on
/// the type.
/// </remarks>
[JsonConverter(typeof(ConflictKindJsonConverter))]
public enum ConflictKind
{
    /// <summary>In the vehicle's own lane.</summary>
    VehicleLane,

    /// <summary>In a lane of the vehicle's approach, within one lane width of the vehicle's lane.</summary>
    AdjacentLane,

    /// <summary>Elsewhere in the motor lanes on the vehicle's side of the centre line (conflict zone <c>nearHalf</c>).</summary>
    NearHalf,

    /// <summary>Elsewhere within the margin beside the vehicle's lane (conflict zone <c>lane</c>, <c>adjacentMarginLanes</c>).</summary>
    LaneMargin,

    /// <summary>On the far half, close to the centre line, and not walking away from the vehicle's half.</summary>
    CentreLine,
}

/// <summary>The display text and the wire name of each <see cref="ConflictKind"/>.</summary>
public static class ConflictKinds
{
    /// <summary>Every kind, in the order of the enum.</summary>
    public static IReadOnlyList<ConflictKind> All { get; } = Enum.GetValues<ConflictKind>();

    /// <summary>Where the pedestrian was, as a phrase that completes "pedestrian #3 …" (e.g. "in the vehicle's lane").</summary>
    public static string Text(this ConflictKind kind) => kind switch
    {
        ConflictKind.VehicleLane => "in the vehicle's lane",
        ConflictKind.AdjacentLane => "in the lane beside the vehicle's",
        ConflictKind.NearHalf => "in the near half of the road",
        ConflictKind.LaneMargin => "within the margin beside the vehicle's lane",
        ConflictKind.CentreLine => "at the centre line on the far half",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a conflict kind"),
    };

    /// <summary>The kind as JSON writes it: the text stored before the kind was an enum (see <see cref="ConflictKind"/>).</summary>
    public static string WireName(this ConflictKind kind) => kind switch
    {
        ConflictKind.VehicleLane => "vehicle's lane",
        ConflictKind.AdjacentLane => "lane beside",
        ConflictKind.NearHalf => "near half",
        ConflictKind.LaneMargin => "beside the lane",
        ConflictKind.CentreLine => "at the centre line",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a conflict kind"),
    };

    /// <summary>A kind from its wire name or its enum name (any case); false for anything else.</summary>
    public static bool TryParse(string? text, out ConflictKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.WireName(), StringComparison.OrdinalIgnoreCase) ||
                string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

/// <summary>Writes a <see cref="ConflictKind"/> by its wire name; reads the wire name or the enum name.</summary>
public sealed class ConflictKindJsonConverter : JsonConverter<ConflictKind>
{
    public override ConflictKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return ConflictKinds.TryParse(text, out var kind)
            ? kind
            : throw new JsonException($"not a conflict kind: {(text is null ? reader.TokenType.ToString() : $"\"{text}\"")} (expected one of {string.Join(", ", ConflictKinds.All.Select(k => $"\"{k.WireName()}\""))})");
    }

    public override void Write(Utf8JsonWriter writer, ConflictKind value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.WireName());
    }
}
