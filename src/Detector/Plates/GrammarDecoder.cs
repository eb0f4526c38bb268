using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.Detector.Plates;

/// <summary>
/// A read turned into plate text: its characters (each with the probability of the character chosen and the
/// grammar-allowed candidates at its position), and whether the text is a plate by <see cref="PlateGrammar"/>.
/// </summary>
public sealed record PlateText(string Text, IReadOnlyList<PlateCharacter> Characters, bool Valid)
{
    public static readonly PlateText Empty = new("", [], false);

    /// <summary>The least confident character's confidence (0 when there is none): the number to gate on, never a mean.</summary>
    public float MinConfidence => Characters.Count == 0 ? 0 : Characters.Min(c => c.Confidence);
}

/// <summary>
/// Reads the recogniser's characters under the plate grammar. Separators are dropped; every other emitted character
/// keeps its place, and at each place the most probable candidate the grammar allows there is chosen (so 0 read
/// where a letter must be becomes the letter the recogniser also saw, and a non-province character opening the plate
/// becomes the province it also saw). When the read has more characters than a plate, the 7- or 8-character run whose
/// choices are most probable wins, leaving out the characters at its ends at the cost of how sure the recogniser
/// was of them. A small beam search over each place's allowed candidates finds the most probable text the grammar
/// accepts as a whole (an 8-character plate's third and last places depend on each other).
/// </summary>
internal static class GrammarDecoder
{
    private const int Beam = 24;
    private const float Floor = 1e-4f;

    /// <summary>Characters the recogniser emits between a plate's parts; they never take a place.</summary>
    private const string Separators = "·・.。-—_ ,，:：|";

    public static PlateText Decode(IReadOnlyList<PlateCharacter> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var places = new List<PlateCharacter>(read.Count);
        foreach (PlateCharacter character in read)
        {
            if (!Separators.Contains(character.Symbol, StringComparison.Ordinal))
            {
                places.Add(character);
            }
        }

        PlateText? best = null;
        double bestScore = double.NegativeInfinity;
        foreach (int length in (ReadOnlySpan<int>)[7, 8])
        {
            for (int start = 0; start + length <= places.Count; start++)
            {
                double dropped = 0;
                for (int i = 0; i < places.Count; i++)
                {
                    if (i < start || i >= start + length)
                    {
                        dropped += Math.Log(Math.Max(Floor, 1 - places[i].Confidence));
                    }
                }

                if (Constrain(places, start, length) is { } text && text.Score + dropped > bestScore)
                {
                    bestScore = text.Score + dropped;
                    best = text.Plate;
                }
            }
        }

        return best ?? Unconstrained(places);
    }

    /// <summary>
    /// The characters each may be at <paramref name="index"/> of a plate of <paramref name="length"/>, with its
    /// probability: the recogniser's candidates normalised as the grammar normalises text (so an O after the second
    /// place counts for 0), kept when the grammar allows them there, the most probable first.
    /// </summary>
    internal static List<CharCandidate> Allowed(PlateCharacter character, int index, int length)
    {
        string allowed = PlateGrammar.AllowedAt(index, length);
        var list = new List<CharCandidate>(character.Candidates.Count);
        foreach (CharCandidate candidate in character.Candidates)
        {
            char? symbol = NormaliseAt(candidate.Symbol, index);
            if (symbol is { } s && allowed.Contains(s, StringComparison.Ordinal))
            {
                int existing = list.FindIndex(c => c.Symbol == s);
                if (existing < 0)
                {
                    list.Add(new CharCandidate(s, candidate.Probability));
                }
                else if (list[existing].Probability < candidate.Probability)
                {
                    list[existing] = new CharCandidate(s, candidate.Probability);
                }
            }
        }

        list.Sort(static (a, b) => b.Probability.CompareTo(a.Probability));
        return list;
    }

    /// <summary>One character normalised as it would be at <paramref name="index"/> of a plate's text; null when it is no plate character.</summary>
    internal static char? NormaliseAt(char symbol, int index)
    {
        // The grammar's Normalise decides (full width, case, O/I after the second place); a prefix of two plate
        // characters puts the symbol at a later place when it is one.
        string normal = index >= 2 ? PlateGrammar.Normalise("京A" + symbol) : PlateGrammar.Normalise(symbol.ToString());
        int at = index >= 2 ? 2 : 0;
        return normal.Length == at + 1 ? normal[at] : null;
    }

    private static (PlateText Plate, double Score)? Constrain(List<PlateCharacter> places, int start, int length)
    {
        var options = new List<CharCandidate>[length];
        for (int i = 0; i < length; i++)
        {
            options[i] = Allowed(places[start + i], i, length);
            if (options[i].Count == 0)
            {
                return null;
            }
        }

        // Beam search over the places: partial texts with the sum of their log probabilities.
        var beam = new List<(string Text, double Score)> { ("", 0) };
        for (int i = 0; i < length; i++)
        {
            var next = new List<(string Text, double Score)>(beam.Count * options[i].Count);
            foreach ((string text, double score) in beam)
            {
                foreach (CharCandidate option in options[i])
                {
                    next.Add((text + option.Symbol, score + Math.Log(Math.Max(Floor, option.Probability))));
                }
            }

            next.Sort(static (a, b) => b.Score.CompareTo(a.Score));
            beam = next.Count > Beam ? next.GetRange(0, Beam) : next;
        }

        foreach ((string text, double score) in beam)
        {
            if (PlateGrammar.IsValid(text))
            {
                var characters = new PlateCharacter[length];
                for (int i = 0; i < length; i++)
                {
                    float probability = options[i].Find(c => c.Symbol == text[i]).Probability;
                    characters[i] = new PlateCharacter(text[i], probability, options[i]);
                }

                return (new PlateText(text, characters, Valid: true), score);
            }
        }

        return null;
    }

    /// <summary>No plate the grammar accepts: the emitted characters as the grammar normalises them, marked not valid.</summary>
    private static PlateText Unconstrained(List<PlateCharacter> places)
    {
        var characters = new List<PlateCharacter>(places.Count);
        foreach (PlateCharacter place in places)
        {
            if (NormaliseAt(place.Symbol, characters.Count) is { } symbol)
            {
                characters.Add(place with { Symbol = symbol });
            }
        }

        return characters.Count == 0 ? PlateText.Empty : new PlateText(new string([.. characters.Select(c => c.Symbol)]), characters, Valid: false);
    }
}
