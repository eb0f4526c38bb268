using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.Detector.Plates;

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
