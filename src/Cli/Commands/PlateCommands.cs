using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Edge.Pipeline;
using OpenCvSharp;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww plates read|eval</c>: plate reading on images, and its accuracy on a labelled folder.</summary>
internal static partial class PlateCommands
{
    private static readonly PlateReaderOptions Defaults = new();

    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp"];

    /// <summary>How an image is taken: a picture to detect plates in, or a plate crop to read as it is.</summary>
    internal enum CropMode
    {
        /// <summary>Read a small plate-shaped image whole (detect when that is no valid plate); detect in any other.</summary>
        Auto,

        /// <summary>Always read the whole image as a plate (no detection).</summary>
        Always,

        /// <summary>Always detect.</summary>
        Never,
    }

    public static Command Create()
    {
        var command = new Command("plates", "Read licence plates: detect with 4 corners, rectify, read with PP-OCRv4 under the plate grammar.");
        command.Add(Read());
        command.Add(Eval());
        return command;
    }

    private static Option<string> DetectorOption() =>
        new("--detector") { Description = "Plate detector: plate-detector-320 (default) or plate-detector-640 (small plates in big pictures).", DefaultValueFactory = _ => "plate-detector-320" };

    private static Option<float> MarginOption(string name, float value) =>
        new(name) { Description = "Share of the plate's size added on each side before rectifying (tuning).", DefaultValueFactory = _ => value };

    private static PlateReaderOptions Options(ParseResult result, Option<string> detector, Option<float> marginX, Option<float> marginY) =>
        new(result.GetRequiredValue(detector), MarginX: result.GetValue(marginX), MarginY: result.GetValue(marginY));

    private static Option<CropMode> CropOption() =>
        new("--crop") { Description = "auto: read a small plate-shaped image whole (detecting when that gives no valid plate), detect in any other; always: read every image whole; never: only detect.", DefaultValueFactory = _ => CropMode.Auto };

    private static Command Read()
    {
        var images = new Argument<FileInfo[]>("IMAGE") { Description = "Images: vehicle crops, photos or plate crops.", Arity = ArgumentArity.OneOrMore };
        var detector = DetectorOption();
        var crop = CropOption();
        var marginX = MarginOption("--margin-x", Defaults.MarginX);
        var marginY = MarginOption("--margin-y", Defaults.MarginY);
        var save = new Option<DirectoryInfo?>("--save") { Description = "Also write each rectified plate here as IMAGE-N.png." };
        var command = new Command("read", "Print each plate found in each image: text, colour, per-character confidence, detector score.") { images, detector, crop, save, marginX, marginY };
        command.SetAction(result =>
        {
            using var reader = PlateReader.Create(PipelineFactory.OpenModels(), Options(result, detector, marginX, marginY));
            int failures = 0;
            foreach (FileInfo file in result.GetRequiredValue(images))
            {
                using Mat image = Cv2.ImRead(file.FullName, ImreadModes.Color);
                if (image.Empty())
                {
                    Console.Error.WriteLine($"{file.FullName}: not an image OpenCV can read");
                    failures++;
                    continue;
                }

                IReadOnlyList<PlateRead> reads = ReadImage(reader, image, result.GetValue(crop));
                try
                {
                    Print(file.Name, reads);
                    if (result.GetValue(save) is { } folder)
                    {
                        folder.Create();
                        for (int i = 0; i < reads.Count; i++)
                        {
                            Cv2.ImWrite(Path.Combine(folder.FullName, $"{Path.GetFileNameWithoutExtension(file.Name)}-{i + 1}.png"), reads[i].Rectified);
                        }
                    }
                }
                finally
                {
                    Dispose(reads);
                }
            }

            return failures == 0 ? 0 : 2;
        });
        return command;
    }

    private static Command Eval()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "Plate crops named by their plate (an optional _N_ prefix is ignored), or photos with a ground_truth.csv (file,plate)." };
        var detector = DetectorOption();
        var crop = CropOption();
        var marginX = MarginOption("--margin-x", Defaults.MarginX);
        var marginY = MarginOption("--margin-y", Defaults.MarginY);
        var command = new Command("eval", "Read every labelled image of a folder: exact-match accuracy, errors per position, the most common confusions.") { folder, detector, crop, marginX, marginY };
        command.SetAction(result =>
        {
            string root = result.GetRequiredValue(folder).FullName;
            List<(string File, string Plate)> labelled = Labelled(root);
            if (labelled.Count == 0)
            {
                Console.Error.WriteLine($"no labelled images in {root}: expected images named by their plate, or a ground_truth.csv with columns file,plate");
                return 2;
            }

            using var reader = PlateReader.Create(PipelineFactory.OpenModels(), Options(result, detector, marginX, marginY));
            var tally = new EvalTally();
            int done = 0;
            int normalisedOnly = 0;
            foreach ((string file, string plate) in labelled)
            {
                using Mat image = Cv2.ImRead(Path.Combine(root, file), ImreadModes.Color);
                string? read = null;
                if (!image.Empty())
                {
                    IReadOnlyList<PlateRead> reads = ReadImage(reader, image, result.GetValue(crop));
                    // A photo may show other plates too: the read nearest the label is the photo's.
                    PlateRead? nearest = reads.MinBy(r => Distance(r.Text, plate));
                    read = nearest?.Text;
                    if (nearest is not null && PlateGrammar.Normalise(nearest.RawText) == plate)
                    {
                        normalisedOnly++;
                    }

                    Dispose(reads);
                }

                tally.Add(plate, read);
                if (read != plate)
                {
                    Console.WriteLine($"  miss  {file}: expected {plate}, read {read ?? "(no plate found)"}");
                }

                if (++done % 100 == 0 && done < labelled.Count)
                {
                    Console.Error.WriteLine($"  {done}/{labelled.Count} read, {tally.Exact} exact so far");
                }
            }

            tally.Print(Console.Out);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"for comparison, the same reads only normalised (no grammar-constrained choice): {normalisedOnly}/{tally.Total} exact"));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A small plate-shaped image is a plate crop (lprnet's 94×24, HyperLPR's crops): it is read whole first, because
    /// the detector, whose plates are a part of a scene, finds such a crop's plate only now and then and its corners
    /// then cut characters off (measured on lprnet_dev: 98.8 % exact read whole, 93.2 % detecting first). When the
    /// whole read is no valid plate, detection gets its chance (a crop with a lot of car around the plate). Any other
    /// image is a picture to detect plates in.
    /// </summary>
    internal static IReadOnlyList<PlateRead> ReadImage(PlateReader reader, Mat image, CropMode mode)
    {
        if (mode == CropMode.Always)
        {
            return [reader.ReadCrop(image)];
        }

        if (mode == CropMode.Never || !LooksLikeCrop(image.Width, image.Height))
        {
            return reader.Read(image);
        }

        PlateRead whole = reader.ReadCrop(image);
        if (whole.Plate.Valid)
        {
            return [whole];
        }

        IReadOnlyList<PlateRead> found = reader.Read(image);
        if (found.Any(r => r.Plate.Valid))
        {
            whole.Dispose();
            return found;
        }

        Dispose(found);
        return [whole];
    }

    /// <summary>Plate-shaped: at least 1.5 times wider than high and at most 400 pixels wide.</summary>
    internal static bool LooksLikeCrop(int width, int height) => width >= 1.5 * height && width <= 400;

    private static void Print(string name, IReadOnlyList<PlateRead> reads)
    {
        if (reads.Count == 0)
        {
            Console.WriteLine($"{name}: no plate found");
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {reads.Count} plate(s)"));
        int n = 0;
        foreach (PlateRead read in reads)
        {
            string text = read.Text.Length == 0 ? "(no text)" : read.Text;
            string where = read.Corners is { } corners
                ? string.Create(CultureInfo.InvariantCulture, $"detector {read.DetectorScore:0.00} at {corners}")
                : "read as a plate crop";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {++n}. {text}  {read.Colour.ToString().ToLowerInvariant()}  {(read.Layers == 2 ? "double-layer" : "single-layer")}  {(read.Plate.Valid ? "valid" : "NOT a valid plate")}  {where}"));
            var characters = new StringBuilder();
            foreach (PlateCharacter character in read.Plate.Characters)
            {
                characters.Append(CultureInfo.InvariantCulture, $" {character.Symbol} {character.Confidence:0.00}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"     per character:{characters}   (min {read.Plate.MinConfidence:0.00})"));
            Console.WriteLine($"     raw: {read.RawText}");
        }
    }

    private static void Dispose(IReadOnlyList<PlateRead> reads)
    {
        foreach (PlateRead read in reads)
        {
            read.Dispose();
        }
    }

    /// <summary>The folder's labelled images: ground_truth.csv rows with a plate, else image files named by their plate.</summary>
    internal static List<(string File, string Plate)> Labelled(string root)
    {
        string csv = Path.Combine(root, "ground_truth.csv");
        if (File.Exists(csv))
        {
            var rows = new List<(string, string)>();
            string[] lines = File.ReadAllLines(csv);
            string[] header = SplitCsv(lines.Length > 0 ? lines[0] : "");
            int fileColumn = Array.IndexOf(header, "file");
            int plateColumn = Array.IndexOf(header, "plate");
            if (fileColumn < 0 || plateColumn < 0)
            {
                throw new InvalidOperationException($"{csv}: expected a header with columns file and plate, got '{(lines.Length > 0 ? lines[0] : "")}'");
            }

            foreach (string line in lines.Skip(1))
            {
                string[] fields = SplitCsv(line);
                // Rows without a plate are photos whose plate nobody can read: nothing to score.
                if (fields.Length > Math.Max(fileColumn, plateColumn) && fields[plateColumn].Length > 0)
                {
                    rows.Add((fields[fileColumn], fields[plateColumn]));
                }
            }

            return rows;
        }

        return [.. Directory.EnumerateFiles(root)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), CropPrefix().Replace(Path.GetFileNameWithoutExtension(f), "")))];
    }

    /// <summary>HyperLPR's crops are named <c>_N_plate.jpg</c>.</summary>
    [GeneratedRegex("^_[0-9]+_", RegexOptions.CultureInvariant)]
    private static partial Regex CropPrefix();

    /// <summary>One CSV line: commas separate fields, double quotes enclose a field that holds commas ("" is a quote).</summary>
    internal static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    /// <summary>Levenshtein distance.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>Exact matches, errors per position (reads of the right length), wrong lengths, and confusions.</summary>
    internal sealed class EvalTally
    {
        private readonly Dictionary<int, int> _positionErrors = [];
        private readonly Dictionary<(char Expected, char Read), int> _confusions = [];

        public int Total { get; private set; }

        public int Exact { get; private set; }

        public int NotFound { get; private set; }

        public int WrongLength { get; private set; }

        public void Add(string expected, string? read)
        {
            Total++;
            if (read is null)
            {
                NotFound++;
                return;
            }

            if (read == expected)
            {
                Exact++;
                return;
            }

            if (read.Length != expected.Length)
            {
                WrongLength++;
                return;
            }

            for (int i = 0; i < expected.Length; i++)
            {
                if (read[i] != expected[i])
                {
                    _positionErrors[i] = _positionErrors.GetValueOrDefault(i) + 1;
                    _confusions[(expected[i], read[i])] = _confusions.GetValueOrDefault((expected[i], read[i])) + 1;
                }
            }
        }

        public void Print(TextWriter output)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"exact {Exact}/{Total} = {(Total == 0 ? 0 : (double)Exact / Total):P1}; no plate found {NotFound}; wrong length {WrongLength}"));
            output.WriteLine("errors per position (reads of the right length): " + (_positionErrors.Count == 0
                ? "none"
                : string.Join(", ", _positionErrors.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key + 1}: {p.Value}")))));
            output.WriteLine("most common confusions (expected → read): " + (_confusions.Count == 0
                ? "none"
                : string.Join(", ", _confusions.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Expected).Take(10)
                    .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key.Expected}→{c.Key.Read} ×{c.Value}")))));
        }
    }
}
