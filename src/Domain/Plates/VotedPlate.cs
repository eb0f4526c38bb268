namespace CrosswalkWatch.Domain.Plates;

/// <summary>One character of a voted plate: the symbol, its confidence and how many reads emitted it.</summary>
/// <param name="Confidence">
/// The probability the reads gave this symbol at this place, summed and divided by the reads voting (so a reader that
/// disagrees lowers it), 0–1.
/// </param>
public readonly record struct VotedCharacter(char Symbol, float Confidence, int Votes);

/// <summary>The plate of one vehicle, voted from several reads.</summary>
/// <param name="Text">The voted text.</param>
/// <param name="Valid">Whether the voted text is a plate by the grammar.</param>
/// <param name="Characters">Per character, its confidence and votes.</param>
/// <param name="Colour">The colour most reads told, Unknown when none did.</param>
/// <param name="Reads">Reads that found a plate text.</param>
/// <param name="Voting">Reads of the voted length, the ones that voted per character.</param>
public sealed record VotedPlate(string Text, bool Valid, IReadOnlyList<VotedCharacter> Characters, PlateColour Colour, int Reads, int Voting)
{
    /// <summary>The least confident character's confidence (0 when there is none).</summary>
    public float MinConfidence => Characters.Count == 0 ? 0 : Characters.Min(c => c.Confidence);

    /// <summary>Reads whose own text is the voted text.</summary>
    public int Agreeing { get; init; }

    /// <summary>Reads the grammar accepts (a partial read of a plate cut off or half hidden is not one).</summary>
    public int ValidReads { get; init; }
}
