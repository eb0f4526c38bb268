namespace CrosswalkWatch.Detector.Plates;

/// <summary>A character the recogniser considered at one place of the text, and its probability.</summary>
public readonly record struct CharCandidate(char Symbol, float Probability);

/// <summary>
/// One character of a read: the symbol emitted, its probability (the highest softmax probability over the
/// timesteps that emitted it) and the other symbols the recogniser gave weight to there, most probable first (the
/// emitted one included), for voting and for decoding under the plate grammar.
/// </summary>
public sealed record PlateCharacter(char Symbol, float Confidence, IReadOnlyList<CharCandidate> Candidates);

/// <summary>Greedy CTC decoding of a recogniser's per-timestep class probabilities.</summary>
internal static class CtcDecoder
{
    /// <summary>
    /// Decodes one sequence: at each timestep the most probable class; runs of the same class collapse to one
    /// character, the blank separates characters and emits nothing. Each character keeps the highest probability
    /// its run reached and, per class among the top <paramref name="candidates"/> of any timestep of the run, the
    /// highest probability that class reached in the run.
    /// </summary>
    /// <param name="probabilities">[steps × classes] probabilities (softmax applied), row-major.</param>
    /// <param name="classes">Classes per timestep.</param>
    /// <param name="symbols">The symbol of each class; the blank's entry is ignored.</param>
    /// <param name="blank">The blank class.</param>
    /// <param name="candidates">How many classes to keep per timestep as candidates (1 keeps only the emitted one).</param>
    public static List<PlateCharacter> Decode(ReadOnlySpan<float> probabilities, int classes, ReadOnlySpan<char> symbols, int blank, int candidates)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        if (probabilities.Length % classes != 0)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities are not whole timesteps of {classes} classes", nameof(probabilities));
        }

        if (symbols.Length < classes)
        {
            throw new ArgumentException($"{symbols.Length} symbols for {classes} classes", nameof(symbols));
        }

        var read = new List<PlateCharacter>();
        int steps = probabilities.Length / classes;
        Span<int> top = stackalloc int[candidates];
        var run = new Dictionary<int, float>();
        int runClass = blank;
        float runBest = 0;
        for (int t = 0; t < steps; t++)
        {
            ReadOnlySpan<float> row = probabilities.Slice(t * classes, classes);
            int kept = TopClasses(row, top);
            int best = top[0];
            if (best != runClass && runClass != blank)
            {
                read.Add(Character(runClass, runBest, run, symbols));
            }

            if (best != runClass)
            {
                run.Clear();
                runBest = 0;
            }

            runClass = best;
            if (best == blank)
            {
                continue;
            }

            runBest = Math.Max(runBest, row[best]);
            for (int k = 0; k < kept; k++)
            {
                int c = top[k];
                if (c != blank && (!run.TryGetValue(c, out float p) || row[c] > p))
                {
                    run[c] = row[c];
                }
            }
        }

        if (runClass != blank)
        {
            read.Add(Character(runClass, runBest, run, symbols));
        }

        return read;
    }

    /// <summary>The indices of the largest values of <paramref name="row"/>, largest first; returns how many (at most top's length).</summary>
    internal static int TopClasses(ReadOnlySpan<float> row, Span<int> top)
    {
        int count = 0;
        for (int c = 0; c < row.Length; c++)
        {
            float value = row[c];
            if (count == top.Length && value <= row[top[count - 1]])
            {
                continue;
            }

            int at = count < top.Length ? count++ : count - 1;
            while (at > 0 && row[top[at - 1]] < value)
            {
                top[at] = top[at - 1];
                at--;
            }

            top[at] = c;
        }

        return count;
    }

    private static PlateCharacter Character(int emitted, float probability, Dictionary<int, float> run, ReadOnlySpan<char> symbols)
    {
        var list = new List<CharCandidate>(run.Count);
        foreach ((int c, float p) in run)
        {
            list.Add(new CharCandidate(symbols[c], p));
        }

        list.Sort(static (a, b) => b.Probability.CompareTo(a.Probability));
        return new PlateCharacter(symbols[emitted], probability, list);
    }
}
