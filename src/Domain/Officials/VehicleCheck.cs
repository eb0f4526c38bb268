using System.Globalization;

namespace CrosswalkWatch.Domain.Officials;

/// <summary>One colour's share of the vehicle's body pixels.</summary>
public sealed record ColourShare(BodyColour Colour, double Share);

/// <summary>
/// What the evidence says about the vehicle itself (the package's signed <c>vehicle.json</c>): the detector's class,
/// and the dominant body colour measured on the vehicle crop with its share of the body pixels and the other colours'.
/// </summary>
/// <param name="DetectedClass">The detector's label (<c>car</c>, <c>bus</c>, <c>truck</c>, <c>motorcycle</c>); null when the track's class is not known.</param>
/// <param name="Kind">The detector's class as a kind; null when not known.</param>
/// <param name="Colour">The dominant body colour; null when too few body pixels could be measured.</param>
/// <param name="ColourConfidence">The dominant colour's share of the body pixels counted, 0–1.</param>
/// <param name="ColourBrightness">The mean brightness (HSV value, 0–1) of the dominant colour's pixels: a dark colour may be a black body's reflections.</param>
/// <param name="Shares">Every colour seen on the body, largest first.</param>
/// <param name="MeasuredOn">The package file the colour was measured on.</param>
public sealed record VehicleEvidence(
    string? DetectedClass,
    VehicleKind? Kind,
    BodyColour? Colour,
    double ColourConfidence,
    double ColourBrightness,
    IReadOnlyList<ColourShare> Shares,
    string MeasuredOn)
{
    /// <summary>The name of the package file holding this document.</summary>
    public const string FileName = "vehicle.json";
}

/// <summary>What the comparison concluded.</summary>
public enum VehicleVerdict
{
    /// <summary>Everything the registry gives and the evidence measured agrees (at least one attribute was compared).</summary>
    Match,

    /// <summary>The kind or the colour differs: possibly a cloned plate (套牌). The case must not count without both reviewers accepting it with a note.</summary>
    Mismatch,

    /// <summary>Nothing could be compared: no registry row, a row without kind or colour, or no measurement.</summary>
    Unknown,
}

/// <summary>The comparison's verdict, each reason in words, and both sides described ("white car, make Toyota"; "red truck").</summary>
public sealed record VehicleCheckResult(VehicleVerdict Verdict, IReadOnlyList<string> Reasons, string Registered, string Seen)
{
    /// <summary>The line put in front of the reviewer.</summary>
    public string Headline => Verdict switch
    {
        VehicleVerdict.Mismatch => $"vehicle does not match the registry: registry says {Registered}, evidence shows {Seen}",
        VehicleVerdict.Match => $"vehicle matches the registry: registry says {Registered}, evidence shows {Seen}",
        _ => $"vehicle not checked against the registry: {string.Join("; ", Reasons)}",
    };
}

/// <summary>
/// Cloned plates (套牌, DOMAIN.md "Protecting the accused"): a plate read alone does not prove whose vehicle it was.
/// Compares the vehicle in the evidence with the registry row of the matched plate — the detector's class against the
/// registered kind (<see cref="VehicleNames.Fits"/>), the measured body colour against the registered one (neighbours
/// a camera confuses, <see cref="VehicleNames.Near"/>, agree). The make is shown to the reviewer but never compared by
/// machine (nothing on the box recognises makes). A colour measured with a share below
/// <see cref="MinColourConfidence"/> is not compared. Pure: no I/O.
/// </summary>
public static class VehicleCheck
{
    /// <summary>A measured colour with a smaller share of the body pixels is too uncertain to accuse or clear anyone.</summary>
    public const double MinColourConfidence = 0.35;

    /// <summary>
    /// A measured colour (not white, grey or black) whose pixels are darker than this on average (HSV value, 0–1) may
    /// be a black body reflecting the sky or the street: it fits a registered black.
    /// </summary>
    public const double DarkBrightness = 0.47;

    /// <summary>
    /// Whether the measured colour fits the registered one: the same, a neighbour a camera cannot tell apart
    /// (<see cref="VehicleNames.Near"/>), or a dark colour (<see cref="DarkBrightness"/>) where black is registered.
    /// </summary>
    public static bool ColourFits(BodyColour measured, double brightness, BodyColour registered) =>
        VehicleNames.Near(measured, registered)
        || (registered == BodyColour.Black && measured is not (BodyColour.White or BodyColour.Grey) && brightness < DarkBrightness);

    /// <summary>Compares the registry row valid for the case's plate on its date with the evidence's vehicle.</summary>
    /// <param name="registered">The registry row of the matched plate on the event's date (e.g. <c>MatchResult.Exact.Vehicle</c>); null when there is none.</param>
    /// <param name="evidence">The package's vehicle document; null when the package has none (built before it existed).</param>
    public static VehicleCheckResult Compare(RegisteredVehicle? registered, VehicleEvidence? evidence)
    {
        var seen = Describe(evidence);
        if (registered is null)
        {
            return new VehicleCheckResult(VehicleVerdict.Unknown, ["no registry row for the plate on the event's date"], "nothing", seen);
        }

        var described = Describe(registered);
        if (registered.Kind is null && registered.BodyColour is null)
        {
            return new VehicleCheckResult(VehicleVerdict.Unknown, [$"the registry gives neither kind nor colour for {registered.Plate}"], described, seen);
        }

        if (evidence is null)
        {
            return new VehicleCheckResult(VehicleVerdict.Unknown, ["the evidence has no vehicle measurement (vehicle.json)"], described, seen);
        }

        var mismatches = new List<string>();
        var agreements = new List<string>();
        var notCompared = new List<string>();
        if (registered.Kind is { } kind)
        {
            if (evidence.Kind is not { } detected)
            {
                notCompared.Add("the detector's class is not known");
            }
            else if (VehicleNames.Fits(detected, kind))
            {
                agreements.Add($"kind: detected {VehicleNames.Name(detected)} fits registered {VehicleNames.Name(kind)}");
            }
            else
            {
                mismatches.Add($"kind: registry says {VehicleNames.Name(kind)}, detector saw {VehicleNames.Name(detected)}");
            }
        }

        if (registered.BodyColour is { } colour)
        {
            if (evidence.Colour is not { } measured)
            {
                notCompared.Add("no body colour could be measured");
            }
            else if (evidence.ColourConfidence < MinColourConfidence)
            {
                notCompared.Add(string.Create(CultureInfo.InvariantCulture, $"colour {VehicleNames.Name(measured)} measured on only {evidence.ColourConfidence * 100:0}% of the body, too uncertain to compare"));
            }
            else if (ColourFits(measured, evidence.ColourBrightness, colour))
            {
                agreements.Add(measured == colour
                    ? $"colour: {VehicleNames.Name(measured)} as registered"
                    : $"colour: measured {(VehicleNames.Near(measured, colour) ? "" : "dark ")}{VehicleNames.Name(measured)}, registered {VehicleNames.Name(colour)} (a camera cannot tell them apart)");
            }
            else
            {
                mismatches.Add(string.Create(CultureInfo.InvariantCulture, $"colour: registry says {VehicleNames.Name(colour)}, measured {VehicleNames.Name(measured)} ({evidence.ColourConfidence * 100:0}% of the body)"));
            }
        }

        if (mismatches.Count > 0)
        {
            return new VehicleCheckResult(VehicleVerdict.Mismatch, [.. mismatches, .. agreements, .. notCompared], described, seen);
        }

        return agreements.Count > 0
            ? new VehicleCheckResult(VehicleVerdict.Match, [.. agreements, .. notCompared], described, seen)
            : new VehicleCheckResult(VehicleVerdict.Unknown, notCompared, described, seen);
    }

    /// <summary>
    /// <see cref="Compare(RegisteredVehicle?, VehicleEvidence?)"/> with the row of <paramref name="plate"/> valid on
    /// <paramref name="date"/> (the event's local date) found in <paramref name="registry"/>.
    /// </summary>
    public static VehicleCheckResult Compare(RegistrySnapshot registry, string? plate, DateOnly date, VehicleEvidence? evidence)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var row = plate is null ? null : registry.Vehicles.FirstOrDefault(v => string.Equals(v.Plate, plate, StringComparison.Ordinal) && v.ValidOn(date));
        return Compare(row, evidence);
    }

    /// <summary>The registered vehicle in words: "white car, make Toyota"; parts not given are left out.</summary>
    public static string Describe(RegisteredVehicle registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var what = string.Join(' ', new[] { registered.BodyColour is { } c ? VehicleNames.Name(c) : null, registered.Kind is { } k ? VehicleNames.Name(k) : "vehicle" }.OfType<string>());
        return registered.Make.Length > 0 ? $"{what}, make {registered.Make}" : what;
    }

    /// <summary>The evidence's vehicle in words: "red truck"; "unknown" for what was not measured.</summary>
    public static string Describe(VehicleEvidence? evidence) =>
        evidence is null
            ? "no vehicle measurement"
            : $"{(evidence.Colour is { } c ? (c is not (BodyColour.White or BodyColour.Grey or BodyColour.Black) && evidence.ColourBrightness < DarkBrightness ? "dark " : "") + VehicleNames.Name(c) : "unmeasured colour")} {(evidence.Kind is { } k ? VehicleNames.Name(k) : "vehicle")}";
}
