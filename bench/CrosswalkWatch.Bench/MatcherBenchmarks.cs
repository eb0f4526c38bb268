using BenchmarkDotNet.Attributes;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Matcher.Matching;

namespace CrosswalkWatch.Bench;

/// <summary>
/// Plate lookups against a registry of 100,000 vehicle entries (50,000 officials, a tenth of the plates handed from one
/// official to another), reads mixing a third each: registered plates, registered plates with one confusable
/// character or the province changed (the fuzzy path), and plates nobody registered. <see cref="PlateIndex.Match"/>
/// beside a hand-written linear scan comparing every valid plate character by character with the confusion classes.
/// Each reported mean is one lookup (OperationsPerInvoke); lookups per second = 1 / mean.
/// </summary>
[MemoryDiagnoser]
public class MatcherBenchmarks
{
    private const int Vehicles = 100_000;
    private const int IndexLookups = 4096;
    private const int ScanLookups = 64;
    private static readonly DateOnly Date = new(2026, 11, 28);

    private string[] _reads = [];
    private RegisteredVehicle[] _vehicles = [];
    private PlateIndex _index = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4);
        var officials = new List<Official>();
        var vehicles = new List<RegisteredVehicle>();
        var plates = new HashSet<string>(StringComparer.Ordinal);
        for (int o = 0; vehicles.Count < Vehicles; o++)
        {
            var id = "F" + o.ToString(System.Globalization.CultureInfo.InvariantCulture);
            officials.Add(new Official(id, "official " + id, "市交通运输局", "市委组织部", ""));
            for (int v = 0; v < 2 && vehicles.Count < Vehicles; v++)
            {
                var plate = NewPlate(random, plates);
                if (vehicles.Count % 10 == 9)
                {
                    // Handed on: the previous official had it until last year.
                    vehicles.Add(new RegisteredVehicle(officials[Math.Max(0, officials.Count - 2)].Id, plate, PlateColour.Blue, VehicleRelation.Own, new DateOnly(2018, 1, 1), new DateOnly(2025, 12, 31)));
                    vehicles.Add(new RegisteredVehicle(id, plate, PlateColour.Blue, VehicleRelation.Official, new DateOnly(2026, 1, 1), null));
                    continue;
                }

                vehicles.Add(new RegisteredVehicle(id, plate, PlateColour.Blue, (VehicleRelation)(v % 3), new DateOnly(2020, 1, 1), null));
            }
        }

        _vehicles = [.. vehicles];
        _index = PlateIndex.Build(new RegistrySnapshot(officials, vehicles));
        _reads = new string[IndexLookups];
        for (int i = 0; i < _reads.Length; i++)
        {
            var registered = _vehicles[random.Next(_vehicles.Length)].Plate;
            _reads[i] = (i % 3) switch
            {
                0 => registered,
                1 => Confuse(registered, random),
                _ => NewPlate(random, plates),
            };
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ScanLookups, Description = "linear scan with confusion classes (hand-written)")]
    public int LinearScan()
    {
        int found = 0;
        for (int i = 0; i < ScanLookups; i++)
        {
            found += Scan(PlateGrammar.Normalise(_reads[i]));
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = IndexLookups, Description = "PlateIndex.Match (exact, then skeleton)")]
    public int Index()
    {
        int found = 0;
        for (int i = 0; i < IndexLookups; i++)
        {
            var match = _index.Match(_reads[i], Date);
            found += match.Kind == MatchKind.Exact ? 1 : match.Suggestions.Count;
        }

        return found;
    }

    /// <summary>The plain way: every entry valid on the date, character by character; exact wins, else count the close ones.</summary>
    private int Scan(string read)
    {
        int close = 0;
        foreach (var vehicle in _vehicles)
        {
            var plate = vehicle.Plate;
            if (plate.Length != read.Length || !vehicle.ValidOn(Date))
            {
                continue;
            }

            bool exact = true, confusable = true;
            for (int c = 0; c < plate.Length && confusable; c++)
            {
                if (plate[c] != read[c])
                {
                    exact = false;
                    confusable = c == 0 || PlateIndex.ConfusionClass(plate[c]) == PlateIndex.ConfusionClass(read[c]);
                }
            }

            if (exact)
            {
                return 1;
            }

            close += confusable ? 1 : 0;
        }

        return close;
    }

    private static string NewPlate(Random random, HashSet<string> taken)
    {
        while (true)
        {
            var text = new char[7];
            text[0] = PlateGrammar.Provinces[random.Next(PlateGrammar.Provinces.Length)];
            text[1] = PlateGrammar.Letters[random.Next(PlateGrammar.Letters.Length)];
            for (int i = 2; i < 7; i++)
            {
                var allowed = random.Next(4) == 0 ? PlateGrammar.Letters : PlateGrammar.Digits; // mostly digits, as on real plates
                text[i] = allowed[random.Next(allowed.Length)];
            }

            var plate = new string(text);
            if (taken.Add(plate))
            {
                return plate;
            }
        }
    }

    /// <summary>One confusable character swapped for its look-alike, or the province changed when there is none.</summary>
    private static string Confuse(string plate, Random random)
    {
        var text = plate.ToCharArray();
        for (int i = 2; i < text.Length; i++)
        {
            char swapped = text[i] switch { '0' => 'D', 'D' => '0', '8' => 'B', 'B' => '8', '2' => 'Z', 'Z' => '2', '5' => 'S', 'S' => '5', _ => text[i] };
            if (swapped != text[i])
            {
                text[i] = swapped;
                return new string(text);
            }
        }

        text[0] = PlateGrammar.Provinces[random.Next(PlateGrammar.Provinces.Length)];
        return new string(text);
    }
}
