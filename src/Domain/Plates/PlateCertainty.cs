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
        ArgumentNullException.ThrowIfNull(settings);
        if (!plate.Valid)
        {
            return $"'{plate.Text}' is not a valid plate";
        }

        if (plate.MinConfidence < settings.MinCharConfidence)
        {
            var weakest = plate.Characters.Select((c, i) => (c, i)).MinBy(p => p.c.Confidence);
            return $"character {weakest.i + 1} '{weakest.c.Symbol}' read with confidence {weakest.c.Confidence:0.00} < {settings.MinCharConfidence:0.00}";
        }

        // Agreement among the reads that are plates: a partial read (a plate cut off or half hidden) neither agrees
        // nor disagrees, but two valid reads are needed for the evidence set to agree.
        if (settings.RequireAgreement && (plate.ValidReads < 2 || plate.Agreeing != plate.ValidReads))
        {
            return plate.ValidReads < 2
                ? $"only {plate.ValidReads} of {plate.Reads} photos read a whole plate; the evidence set must agree"
                : $"the photos disagree: {plate.Agreeing} of {plate.ValidReads} valid reads say {plate.Text}";
        }

        return null;
    }
}
