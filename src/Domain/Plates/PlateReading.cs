namespace CrosswalkWatch.Domain.Plates;

/// <summary>
/// The plate read a case keeps (its <c>plate_read_json</c>, sent as such in the candidate message) and that review,
/// matching and the police page read back: the voted plate, how sure it is and, when in doubt, why. One record for
/// every reader, written by the edge box when it stores a case.
/// </summary>
/// <param name="Colour">The plate colour's name (<see cref="PlateColour"/>), e.g. Blue.</param>
/// <param name="Doubt">Why the read is in doubt under the box's plate settings (<see cref="PlateCertainty"/>); null when sure.</param>
public sealed record PlateReading(
    string Text,
    bool Valid,
    string Colour,
    float MinConfidence,
    int Reads,
    int ValidReads,
    int Agreeing,
    string? Doubt,
    IReadOnlyList<PlateReadingCharacter> Characters)
{
    /// <summary>The reading of a voted plate, with the doubt its box's settings found in it.</summary>
    public static PlateReading Of(VotedPlate voted, string? doubt)
    {
        ArgumentNullException.ThrowIfNull(voted);
        return new(
            voted.Text,
            voted.Valid,
            voted.Colour.ToString(),
            voted.MinConfidence,
            voted.Reads,
            voted.ValidReads,
            voted.Agreeing,
            doubt,
            [.. voted.Characters.Select(c => new PlateReadingCharacter(c.Symbol.ToString(), c.Confidence, c.Votes))]);
    }
}

/// <summary>One character of a <see cref="PlateReading"/>: the symbol, its voted confidence (0–1) and how many reads gave it.</summary>
public sealed record PlateReadingCharacter(string Symbol, float Confidence, int Votes);
