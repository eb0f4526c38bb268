using System.Globalization;
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
        return Doubt(plate.Text, plate.Valid, plate.MinConfidence, [.. plate.Characters.Select(c => (c.Symbol.ToString(), c.Confidence))], plate.Reads, plate.ValidReads, plate.Agreeing, settings)?.English;
    }

    /// <summary>The doubt of a stored or signed reading (its own doubt field aside: this decides it again).</summary>
    public static string? Doubt(PlateReading reading, PlateSettings settings) => DoubtOf(reading, settings)?.English;

    /// <summary><see cref="Doubt(PlateReading, PlateSettings)"/> as a phrase the console words in its reader's language.</summary>
    public static Phrase? DoubtOf(PlateReading reading, PlateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return Doubt(reading.Text, reading.Valid, reading.MinConfidence, [.. (reading.Characters ?? []).Select(c => (c.Symbol, c.Confidence))], reading.Reads, reading.ValidReads, reading.Agreeing, settings);
    }

    private static Phrase? Doubt(string text, bool valid, float minConfidence, IReadOnlyList<(string Symbol, float Confidence)> characters, int reads, int validReads, int agreeing, PlateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!valid)
        {
            return Phrase.Of("plate.notValid", "'{plate}' is not a valid plate", ("plate", text));
        }

        if (minConfidence < settings.MinCharConfidence)
        {
            var weakest = characters.Select((c, i) => (c, i)).MinBy(p => p.c.Confidence);
            return Phrase.Of(
                "plate.weakCharacter",
                "character {position} '{symbol}' read with confidence {confidence} < {minimum}",
                ("position", weakest.i + 1),
                ("symbol", weakest.c.Symbol),
                ("confidence", weakest.c.Confidence.ToString("0.00", CultureInfo.InvariantCulture)),
                ("minimum", settings.MinCharConfidence.ToString("0.00", CultureInfo.InvariantCulture)));
        }

        // Agreement among the reads that are plates: a partial read (a plate cut off or half hidden) neither agrees
        // nor disagrees, but two valid reads are needed for the evidence set to agree.
        if (settings.RequireAgreement && (validReads < 2 || agreeing != validReads))
        {
            return validReads < 2
                ? Phrase.Of("plate.tooFewReads", "only {valid} of {reads} photos read a whole plate; the evidence set must agree", ("valid", validReads), ("reads", reads))
                : Phrase.Of("plate.readsDisagree", "the photos disagree: {agreeing} of {valid} valid reads say {plate}", ("agreeing", agreeing), ("valid", validReads), ("plate", text));
        }

        return null;
    }
}
