using CrosswalkWatch.Matcher.Plates;

namespace CrosswalkWatch.Detector.Plates;

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

/// <summary>
/// Votes several reads of one vehicle's plate into one, character by character. Only reads the grammar accepts vote
/// when there are any (else every read does); the length most of them have wins (ties: the larger summed
/// confidence); then at each place each read adds the probability of every candidate it had there, and the most
/// probable symbol wins with that sum, over the reads voting, as its confidence.
/// </summary>
internal static class PlateVote
{
    public static VotedPlate? Vote(IReadOnlyList<(PlateText Text, PlateColour Colour)> reads)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var texts = reads.Where(r => r.Text.Characters.Count > 0).ToList();
        if (texts.Count == 0)
        {
            return null;
        }

        var voting = texts.Any(r => r.Text.Valid) ? texts.Where(r => r.Text.Valid).ToList() : texts;
        int length = voting
            .GroupBy(r => r.Text.Characters.Count)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.Sum(r => r.Text.Characters.Sum(c => c.Confidence)))
            .First().Key;
        var same = voting.Where(r => r.Text.Characters.Count == length).ToList();
        var characters = new VotedCharacter[length];
        for (int i = 0; i < length; i++)
        {
            var scores = new Dictionary<char, float>();
            var votes = new Dictionary<char, int>();
            foreach ((PlateText text, _) in same)
            {
                PlateCharacter character = text.Characters[i];
                votes[character.Symbol] = votes.GetValueOrDefault(character.Symbol) + 1;
                if (character.Candidates.Count == 0)
                {
                    scores[character.Symbol] = scores.GetValueOrDefault(character.Symbol) + character.Confidence;
                }

                foreach (CharCandidate candidate in character.Candidates)
                {
                    scores[candidate.Symbol] = scores.GetValueOrDefault(candidate.Symbol) + candidate.Probability;
                }
            }

            (char symbol, float score) = scores.MaxBy(s => s.Value);
            characters[i] = new VotedCharacter(symbol, Math.Min(1, score / same.Count), votes.GetValueOrDefault(symbol));
        }

        string voted = new([.. characters.Select(c => c.Symbol)]);
        PlateColour colour = texts
            .Where(r => r.Colour != PlateColour.Unknown)
            .GroupBy(r => r.Colour)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault();
        return new VotedPlate(voted, PlateGrammar.IsValid(voted), characters, colour, texts.Count, same.Count)
        {
            Agreeing = texts.Count(r => r.Text.Text == voted),
            ValidReads = texts.Count(r => r.Text.Valid),
        };
    }
}
