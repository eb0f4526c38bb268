namespace CrosswalkWatch.Domain;

/// <summary>"Did you mean" for anything a person types by name: config keys, CSV columns, enum values.</summary>
public static class Spelling
{
    /// <summary>The closest candidate to a mistyped word, or null when none is close enough to be a likely typo.</summary>
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(given.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // About one typo per three letters, and never a word that shares nothing with the one written ('z' is not 'x').
        int allowed = Math.Max(1, given.Length / 3);
        return bestDistance <= allowed && bestDistance < given.Length ? best : null;
    }

    /// <summary>Edit distance counting insertions, deletions, substitutions and swaps of neighbours ("rtps" → "rtsp" is 1).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
