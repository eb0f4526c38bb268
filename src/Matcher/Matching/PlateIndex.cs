using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.Matcher.Matching;

/// <summary>
/// An immutable lookup over a registry snapshot. First the exact normalised plate valid on the date; failing that,
/// candidates that differ from the read only by characters OCR confuses (O/0/D, I/1, B/8, Z/2, S/5) and by the
/// province character. The fuzzy side keys every registered plate by its "skeleton": the characters after the
/// province with each confusable mapped to its class, so a lookup computes one skeleton (on the stack), finds the
/// few plates that share it and scores them. Build once per registry import; safe to share between threads.
/// </summary>
public sealed class PlateIndex
{
    /// <summary>Score lost for a province that differs (times the read's confidence weight there).</summary>
    public const double ProvincePenalty = 0.25;

    /// <summary>Score lost when the province could not be read at all.</summary>
    public const double UnreadProvincePenalty = 0.2;

    /// <summary>Score lost per confusable character that differs (times the read's confidence weight there).</summary>
    public const double ConfusionPenalty = 0.15;

    /// <summary>Suggestions under this score are left out.</summary>
    public const double MinimumScore = 0.3;

    public const int MaxSuggestions = 5;

    private readonly Dictionary<string, Entry[]> _byPlate;
    private readonly Dictionary<string, Entry[]>.AlternateLookup<ReadOnlySpan<char>> _bySkeleton;

    private PlateIndex(Dictionary<string, Entry[]> byPlate, Dictionary<string, Entry[]> bySkeleton, int vehicles)
    {
        _byPlate = byPlate;
        _bySkeleton = bySkeleton.GetAlternateLookup<ReadOnlySpan<char>>();
        Vehicles = vehicles;
    }

    /// <summary>Vehicle entries indexed (those whose official is in the snapshot).</summary>
    public int Vehicles { get; }

    public static PlateIndex Build(RegistrySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var officials = new Dictionary<string, Official>(snapshot.Officials.Count, StringComparer.Ordinal);
        foreach (var official in snapshot.Officials)
        {
            officials[official.Id] = official;
        }

        var byPlate = new Dictionary<string, List<Entry>>(snapshot.Vehicles.Count, StringComparer.Ordinal);
        var bySkeleton = new Dictionary<string, List<Entry>>(snapshot.Vehicles.Count, StringComparer.Ordinal);
        int count = 0;
        Span<char> skeleton = stackalloc char[16];
        foreach (var vehicle in snapshot.Vehicles)
        {
            if (!officials.TryGetValue(vehicle.OfficialId, out var official) || vehicle.Plate.Length is < 2 or > 16)
            {
                continue;
            }

            var entry = new Entry(official, vehicle);
            Add(byPlate, vehicle.Plate, entry);
            int length = Skeleton(vehicle.Plate.AsSpan(1), skeleton);
            Add(bySkeleton, new string(skeleton[..length]), entry);
            count++;
        }

        return new PlateIndex(Freeze(byPlate), Freeze(bySkeleton), count);
    }

    /// <summary>
    /// Matches a plate as read on <paramref name="date"/>. <paramref name="charConfidence"/>, when given, holds one
    /// confidence (0–1) per character of the normalised read: a doubtful character that differs costs less score.
    /// </summary>
    public MatchResult Match(string plateRead, DateOnly date, IReadOnlyList<double>? charConfidence = null)
    {
        ArgumentNullException.ThrowIfNull(plateRead);
        var read = PlateGrammar.Normalise(plateRead);
        if (read.Length == 0)
        {
            return new MatchResult(read, date, MatchKind.None, null, []);
        }

        if (ValidOn(_byPlate.GetValueOrDefault(read), date) is { } exact)
        {
            return new MatchResult(read, date, MatchKind.Exact, new MatchCandidate(exact.Official, exact.Vehicle, 1, []), []);
        }

        bool hasProvince = PlateGrammar.Provinces.Contains(read[0], StringComparison.Ordinal);
        var tail = hasProvince ? read.AsSpan(1) : read.AsSpan();
        if (tail.Length > 16)
        {
            return new MatchResult(read, date, MatchKind.None, null, []);
        }

        Span<char> skeleton = stackalloc char[16];
        int length = Skeleton(tail, skeleton);
        if (!_bySkeleton.TryGetValue(skeleton[..length], out var candidates))
        {
            return new MatchResult(read, date, MatchKind.None, null, []);
        }

        var confidence = charConfidence is not null && charConfidence.Count == read.Length ? charConfidence : null;
        List<MatchCandidate>? suggestions = null;
        foreach (var candidate in candidates)
        {
            if (!candidate.Vehicle.ValidOn(date))
            {
                continue;
            }

            var suggestion = Score(read, hasProvince, candidate, confidence);
            if (suggestion.Score >= MinimumScore)
            {
                (suggestions ??= []).Add(suggestion);
            }
        }

        if (suggestions is null)
        {
            return new MatchResult(read, date, MatchKind.None, null, []);
        }

        suggestions.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Vehicle.Plate, b.Vehicle.Plate));
        if (suggestions.Count > MaxSuggestions)
        {
            suggestions.RemoveRange(MaxSuggestions, suggestions.Count - MaxSuggestions);
        }

        return new MatchResult(read, date, MatchKind.Suggested, null, suggestions);
    }

    /// <summary>The confusion class a character stands for: 0 O D → 0, 1 I → 1, 8 B → 8, 2 Z → 2, 5 S → 5; others themselves.</summary>
    public static char ConfusionClass(char c) => c switch
    {
        'O' or 'D' => '0',
        'I' => '1',
        'B' => '8',
        'Z' => '2',
        'S' => '5',
        _ => c,
    };

    private static int Skeleton(ReadOnlySpan<char> plate, Span<char> skeleton)
    {
        for (int i = 0; i < plate.Length; i++)
        {
            skeleton[i] = ConfusionClass(plate[i]);
        }

        return plate.Length;
    }

    private static MatchCandidate Score(string read, bool hasProvince, Entry candidate, IReadOnlyList<double>? confidence)
    {
        var plate = candidate.Vehicle.Plate;
        var doubts = new List<Doubt>(2);
        double score = 1;
        if (!hasProvince)
        {
            score -= UnreadProvincePenalty;
            doubts.Add(new Doubt(0, '?', plate[0]));
        }
        else if (read[0] != plate[0])
        {
            score -= ProvincePenalty * Weight(confidence, 0);
            doubts.Add(new Doubt(0, read[0], plate[0]));
        }

        int offset = hasProvince ? 0 : 1; // read index = plate index - offset
        for (int p = 1; p < plate.Length; p++)
        {
            char r = read[p - offset];
            if (r != plate[p])
            {
                score -= ConfusionPenalty * Weight(confidence, p - offset);
                doubts.Add(new Doubt(p, r, plate[p]));
            }
        }

        return new MatchCandidate(candidate.Official, candidate.Vehicle, Math.Round(Math.Max(score, 0), 3), doubts);
    }

    /// <summary>A confident misread costs the full penalty; a character read at confidence 0 costs 40 % of it.</summary>
    private static double Weight(IReadOnlyList<double>? confidence, int index) =>
        confidence is null ? 1 : 0.4 + (0.6 * Math.Clamp(confidence[index], 0, 1));

    private static Entry? ValidOn(Entry[]? entries, DateOnly date)
    {
        if (entries is not null)
        {
            foreach (var entry in entries)
            {
                if (entry.Vehicle.ValidOn(date))
                {
                    return entry;
                }
            }
        }

        return null;
    }

    private static void Add(Dictionary<string, List<Entry>> map, string key, Entry entry)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new List<Entry>(1);
        }

        list.Add(entry);
    }

    private static Dictionary<string, Entry[]> Freeze(Dictionary<string, List<Entry>> map)
    {
        var frozen = new Dictionary<string, Entry[]>(map.Count, StringComparer.Ordinal);
        foreach (var (key, list) in map)
        {
            frozen[key] = [.. list];
        }

        return frozen;
    }

    private sealed record Entry(Official Official, RegisteredVehicle Vehicle);
}
