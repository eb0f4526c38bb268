using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.Domain.Plates;

/// <summary>
/// Whether a voted plate is sure enough for a registry match to name an official without a reviewer confirming the
/// plate (DOMAIN.md: plate reads must agree across the evidence set; a minimum per-character confidence, never a mean).
/// </summary>
public static class PlateCertainty
{
    /// <summary>Null when the plate is sure; otherwise why not, for the reviewer.</summary>
    public static string? Doubt(VotedPlate plate, PlateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(plate);
        return Doubt(plate.Text, plate.Valid, plate.MinConfidence, [.. plate.Characters.Select(c => (c.Symbol.ToString(), c.Confidence))], plate.Reads, plate.ValidReads, plate.Agreeing, settings);
    }

    /// <summary>The doubt of a stored or signed reading (its own doubt field aside: this decides it again).</summary>
    public static string? Doubt(PlateReading reading, PlateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return Doubt(reading.Text, reading.Valid, reading.MinConfidence, [.. (reading.Characters ?? []).Select(c => (c.Symbol, c.Confidence))], reading.Reads, reading.ValidReads, reading.Agreeing, settings);
    }

    private static string? Doubt(string text, bool valid, float minConfidence, IReadOnlyList<(string Symbol, float Confidence)> characters, int reads, int validReads, int agreeing, PlateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!valid)
        {
            return $"'{text}' is not a valid plate";
        }

        if (minConfidence < settings.MinCharConfidence)
        {
            var weakest = characters.Select((c, i) => (c, i)).MinBy(p => p.c.Confidence);
            return $"character {weakest.i + 1} '{weakest.c.Symbol}' read with confidence {weakest.c.Confidence:0.00} < {settings.MinCharConfidence:0.00}";
        }

        // Agreement among the reads that are plates: a partial read (a plate cut off or half hidden) neither agrees
        // nor disagrees, but two valid reads are needed for the evidence set to agree.
        if (settings.RequireAgreement && (validReads < 2 || agreeing != validReads))
        {
            return validReads < 2
                ? $"only {validReads} of {reads} photos read a whole plate; the evidence set must agree"
                : $"the photos disagree: {agreeing} of {validReads} valid reads say {text}";
        }

        return null;
    }
}
