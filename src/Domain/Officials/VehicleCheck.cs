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

/// <summary>The comparison's verdict, each reason, and both sides described ("white car, make Toyota"; "red truck"), as phrases the console words in its reader's language.</summary>
public sealed record VehicleCheckResult(VehicleVerdict Verdict, IReadOnlyList<Phrase> Why, Phrase RegisteredAs, Phrase SeenAs)
{
    /// <summary>Each reason in English.</summary>
    public IReadOnlyList<string> Reasons => [.. Why.Select(p => p.English)];

    /// <summary>The registry's vehicle in English.</summary>
    public string Registered => RegisteredAs.English;

    /// <summary>The evidence's vehicle in English.</summary>
    public string Seen => SeenAs.English;

    /// <summary>The line put in front of the reviewer, as a phrase the console words in its reader's language.</summary>
    public Phrase Line => Verdict switch
    {
        VehicleVerdict.Mismatch => Phrase.Of("vehicle.mismatch", "vehicle does not match the registry: registry says {registered}, evidence shows {seen}", ("registered", RegisteredAs), ("seen", SeenAs)),
        VehicleVerdict.Match => Phrase.Of("vehicle.match", "vehicle matches the registry: registry says {registered}, evidence shows {seen}", ("registered", RegisteredAs), ("seen", SeenAs)),
        _ => Phrase.Of("vehicle.unchecked", "vehicle not checked against the registry: {reasons}", ("reasons", Why)),
    };

    /// <summary>The line put in front of the reviewer, in English.</summary>
    public string Headline => Line.English;
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
            return new VehicleCheckResult(VehicleVerdict.Unknown, [Phrase.Of("vehicle.noRegistryRow", "no registry row for the plate on the event's date")], Phrase.Of("vehicle.described.nothing", "nothing"), seen);
        }

        var described = Describe(registered);
        if (registered.Kind is null && registered.BodyColour is null)
        {
            return new VehicleCheckResult(VehicleVerdict.Unknown, [Phrase.Of("vehicle.nothingRegistered", "the registry gives neither kind nor colour for {plate}", ("plate", registered.Plate))], described, seen);
        }

        if (evidence is null)
        {
            return new VehicleCheckResult(VehicleVerdict.Unknown, [Phrase.Of("vehicle.noMeasurement", "the evidence has no vehicle measurement (vehicle.json)")], described, seen);
        }

        var mismatches = new List<Phrase>();
        var agreements = new List<Phrase>();
        var notCompared = new List<Phrase>();
        if (registered.Kind is { } kind)
        {
            if (evidence.Kind is not { } detected)
            {
                notCompared.Add(Phrase.Of("vehicle.classUnknown", "the detector's class is not known"));
            }
            else if (VehicleNames.Fits(detected, kind))
            {
                agreements.Add(Phrase.Of("vehicle.kindFits", "kind: detected {detected} fits registered {registered}", ("detected", Word(detected)), ("registered", Word(kind))));
            }
            else
            {
                mismatches.Add(Phrase.Of("vehicle.kindDiffers", "kind: registry says {registered}, detector saw {detected}", ("registered", Word(kind)), ("detected", Word(detected))));
            }
        }

        if (registered.BodyColour is { } colour)
        {
            if (evidence.Colour is not { } measured)
            {
                notCompared.Add(Phrase.Of("vehicle.noColour", "no body colour could be measured"));
            }
            else if (evidence.ColourConfidence < MinColourConfidence)
            {
                notCompared.Add(Phrase.Of("vehicle.colourUncertain", "colour {measured} measured on only {share}% of the body, too uncertain to compare", ("measured", Word(measured)), ("share", Percent(evidence.ColourConfidence))));
            }
            else if (ColourFits(measured, evidence.ColourBrightness, colour))
            {
                agreements.Add(measured == colour
                    ? Phrase.Of("vehicle.colourSame", "colour: {measured} as registered", ("measured", Word(measured)))
                    : VehicleNames.Near(measured, colour)
                        ? Phrase.Of("vehicle.colourNear", "colour: measured {measured}, registered {registered} (a camera cannot tell them apart)", ("measured", Word(measured)), ("registered", Word(colour)))
                        : Phrase.Of("vehicle.colourNearDark", "colour: measured dark {measured}, registered {registered} (a camera cannot tell them apart)", ("measured", Word(measured)), ("registered", Word(colour))));
            }
            else
            {
                mismatches.Add(Phrase.Of("vehicle.colourDiffers", "colour: registry says {registered}, measured {measured} ({share}% of the body)", ("registered", Word(colour)), ("measured", Word(measured)), ("share", Percent(evidence.ColourConfidence))));
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
    public static Phrase Describe(RegisteredVehicle registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var kind = ("kind", registered.Kind is { } k ? Word(k) : "@kind.vehicle");
        var make = ("make", (object)registered.Make);
        return (registered.BodyColour, registered.Make.Length > 0) switch
        {
            ({ } c, true) => Phrase.Of("vehicle.described.colourKindMake", "{colour} {kind}, make {make}", ("colour", Word(c)), kind, make),
            ({ } c, false) => Phrase.Of("vehicle.described.colourKind", "{colour} {kind}", ("colour", Word(c)), kind),
            (null, true) => Phrase.Of("vehicle.described.kindMake", "{kind}, make {make}", kind, make),
            (null, false) => Phrase.Of("vehicle.described.kind", "{kind}", kind),
        };
    }

    /// <summary>The evidence's vehicle in words: "red truck"; "unmeasured colour" for what was not measured.</summary>
    public static Phrase Describe(VehicleEvidence? evidence)
    {
        if (evidence is null)
        {
            return Phrase.Of("vehicle.seen.none", "no vehicle measurement");
        }

        var kind = ("kind", (object)(evidence.Kind is { } k ? Word(k) : "@kind.vehicle"));
        return evidence.Colour switch
        {
            null => Phrase.Of("vehicle.seen.unmeasured", "unmeasured colour {kind}", kind),
            { } c when c is not (BodyColour.White or BodyColour.Grey or BodyColour.Black) && evidence.ColourBrightness < DarkBrightness =>
                Phrase.Of("vehicle.seen.darkColourKind", "dark {colour} {kind}", ("colour", Word(c)), kind),
            { } c => Phrase.Of("vehicle.seen.colourKind", "{colour} {kind}", ("colour", Word(c)), kind),
        };
    }

    /// <summary>A kind or colour as a word the reader's language names (<see cref="Phrase"/>: <c>@kind.bus</c>).</summary>
    private static string Word(VehicleKind kind) => "@kind." + VehicleNames.Name(kind);

    private static string Word(BodyColour colour) => "@colour." + VehicleNames.Name(colour);

    private static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture);
}
