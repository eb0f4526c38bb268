using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using OpenCvSharp;

namespace CrosswalkWatch.Scenarios;

/// <summary>A real object cut out of the footage: BGRA, fully opaque inside with a feathered edge.</summary>
internal sealed record Cutout(string Name, ObjectClass Class, Mat Image);

/// <summary>Box height (0–1 of the picture) as a linear function of the box's bottom (0–1), fitted on the footage.</summary>
internal sealed record SizeModel(double Intercept, double Slope, double Min)
{
    public double HeightAt(double bottom) => Math.Max(Min, Intercept + (Slope * bottom));
}

/// <summary>
/// The real material the clips are made of: the footage's temporal median as background and cut-outs of the persons
/// and cars the real detector finds in it, with the perspective size models. Cached under <c>assets/</c> so later runs
/// reuse them.
/// </summary>
internal sealed class AssetLibrary : IDisposable
{
    private const int MedianFrames = 35;
    private const int PersonsKept = 6;
    private const int CarsKept = 3;

    internal AssetLibrary(Mat background, List<Cutout> persons, List<Cutout> cars, SizeModel personSize, SizeModel carSize)
    {
        Background = background;
        Persons = persons;
        Cars = cars;
        PersonSize = personSize;
        CarSize = carSize;
    }

    /// <summary>The footage's median at its own resolution (BGR).</summary>
    public Mat Background { get; }

    public IReadOnlyList<Cutout> Persons { get; }

    public IReadOnlyList<Cutout> Cars { get; }

    public SizeModel PersonSize { get; }

    public SizeModel CarSize { get; }

    public static AssetLibrary LoadOrBuild(ScenarioOptions options, IProgress<string>? progress)
    {
        var folder = Path.Combine(options.OutputDirectory, "assets");
        var sizes = Path.Combine(folder, "sizes.json");
        if (File.Exists(sizes))
        {
            var cached = TryLoad(folder, sizes);
            if (cached is not null)
            {
                progress?.Report($"assets: reused {cached.Persons.Count} persons and {cached.Cars.Count} cars from {folder}");
                return cached;
            }
        }

        Directory.CreateDirectory(folder);
        var built = Build(options, folder);
        progress?.Report($"assets: cut {built.Persons.Count} persons and {built.Cars.Count} cars out of {options.Footage} into {folder}");
        return built;
    }

    public void Dispose()
    {
        Background.Dispose();
        foreach (var cutout in Persons.Concat(Cars))
        {
            cutout.Image.Dispose();
        }
    }

    private static AssetLibrary? TryLoad(string folder, string sizesPath)
    {
        var sizes = JsonSerializer.Deserialize<CachedSizes>(File.ReadAllText(sizesPath));
        var background = Cv2.ImRead(Path.Combine(folder, "background.png"), ImreadModes.Color);
        if (sizes is null || background.Empty())
        {
            background.Dispose();
            return null;
        }

        var persons = LoadCutouts(folder, "person", ObjectClass.Pedestrian);
        var cars = LoadCutouts(folder, "car", ObjectClass.MotorVehicle);
        if (persons.Count == 0 || cars.Count == 0)
        {
            background.Dispose();
            return null;
        }

        return new AssetLibrary(background, persons, cars, sizes.Person, sizes.Car);
    }

    private static List<Cutout> LoadCutouts(string folder, string prefix, ObjectClass objectClass)
    {
        var list = new List<Cutout>();
        foreach (var file in Directory.GetFiles(folder, prefix + "-*.png").Order(StringComparer.Ordinal))
        {
            var image = Cv2.ImRead(file, ImreadModes.Unchanged);
            if (image.Empty() || image.Channels() != 4)
            {
                image.Dispose();
                continue;
            }

            list.Add(new Cutout(Path.GetFileNameWithoutExtension(file), objectClass, image));
        }

        return list;
    }

    private static AssetLibrary Build(ScenarioOptions options, string folder)
    {
        if (!File.Exists(options.Footage))
        {
            throw new ScenarioException($"footage {options.Footage} is missing: the scenario generator cuts its background and objects out of it (set CWW_ASSETS to the shared folder)");
        }

        var frames = ReadFrames(options.Footage);
        if (frames.Count < 10)
        {
            throw new ScenarioException($"footage {options.Footage} has only {frames.Count} readable frames");
        }

        try
        {
            var background = Median(frames);
            Cv2.ImWrite(Path.Combine(folder, "background.png"), background);

            var store = new ModelStore(ModelManifest.Load(options.ModelManifest), options.ModelsDirectory);
            using var detector = DetectorFactory.Create(store, new DetectorOptions("yolox-nano", 2, 0.5f));
            var pool = new FramePool();
            var candidates = new List<(double Quality, Mat Image, ObjectClass Class, Box Box)>();
            var personBoxes = new List<Box>();
            var carBoxes = new List<Box>();
            for (var i = 0; i < frames.Count; i += 3)
            {
                var mat = frames[i];
                using var frame = pool.Rent("footage", mat.Width, mat.Height);
                System.Runtime.InteropServices.Marshal.Copy(mat.Data, frame.Buffer, 0, frame.Length);

                foreach (var item in detector.Detect(frame).Items)
                {
                    var box = item.Box;
                    var inside = box.X1 > 0.01f && box.Y1 > 0.01f && box.X2 < 0.99f && box.Y2 < 0.99f;
                    if (!inside || item.Class == ObjectClass.NonMotor)
                    {
                        continue;
                    }

                    var pixelsHigh = box.Height * mat.Height;
                    var car = item.Class == ObjectClass.MotorVehicle;
                    (car ? carBoxes : personBoxes).Add(box);
                    if (pixelsHigh < (car ? 28 : 36) || item.Score < 0.6f || (car && box.Width * mat.Width < 60))
                    {
                        continue;
                    }

                    var cut = CutOut(mat, background, box);
                    if (cut is null)
                    {
                        continue;
                    }

                    // Prefer big, confident, well-separated and sharp objects (motion blur lowers the Laplacian's variance).
                    var quality = item.Score * Math.Sqrt(box.Width * box.Height) * cut.Value.Fill * Math.Min(1.0, Sharpness(mat, box) / 150);
                    candidates.Add((quality, cut.Value.Image, item.Class, box));
                }
            }

            var persons = Pick(candidates, ObjectClass.Pedestrian, PersonsKept, "person", folder);
            var cars = Pick(candidates, ObjectClass.MotorVehicle, CarsKept, "car", folder);
            foreach (var candidate in candidates)
            {
                candidate.Image.Dispose();
            }

            if (persons.Count == 0 || cars.Count == 0)
            {
                throw new ScenarioException($"found {persons.Count} usable persons and {cars.Count} usable cars in {options.Footage}: need at least one of each");
            }

            var sizes = new CachedSizes(Fit(personBoxes, 0.08), Fit(carBoxes, 0.06));
            File.WriteAllText(Path.Combine(folder, "sizes.json"), JsonSerializer.Serialize(sizes));
            return new AssetLibrary(background, persons, cars, sizes.Person, sizes.Car);
        }
        finally
        {
            foreach (var frame in frames)
            {
                frame.Dispose();
            }
        }
    }

    private static List<Mat> ReadFrames(string path)
    {
        using var capture = new VideoCapture(path);
        var frames = new List<Mat>();
        while (true)
        {
            var mat = new Mat();
            if (!capture.Read(mat) || mat.Empty())
            {
                mat.Dispose();
                break;
            }

            frames.Add(mat);
        }

        return frames;
    }

    /// <summary>Per-pixel median over up to <see cref="MedianFrames"/> frames spread over the footage.</summary>
    private static Mat Median(List<Mat> frames)
    {
        var step = Math.Max(1, frames.Count / MedianFrames);
        var picked = new List<Mat>();
        for (var i = 0; i < frames.Count && picked.Count < MedianFrames; i += step)
        {
            picked.Add(frames[i]);
        }

        var width = picked[0].Width;
        var height = picked[0].Height;
        var length = width * height * 3;
        var sources = new byte[picked.Count][];
        for (var k = 0; k < picked.Count; k++)
        {
            sources[k] = new byte[length];
            System.Runtime.InteropServices.Marshal.Copy(picked[k].Data, sources[k], 0, length);
        }

        var result = new byte[length];
        var values = new byte[picked.Count];
        for (var i = 0; i < length; i++)
        {
            for (var k = 0; k < picked.Count; k++)
            {
                values[k] = sources[k][i];
            }

            Array.Sort(values);
            result[i] = values[values.Length / 2];
        }

        var median = new Mat(height, width, MatType.CV_8UC3);
        System.Runtime.InteropServices.Marshal.Copy(result, 0, median.Data, length);
        return median;
    }

    /// <summary>
    /// The object in the box as BGRA: alpha from |frame − median| (threshold, closing, largest component, holes
    /// filled), feathered; null when too little of the box differs from the background.
    /// </summary>
    private static (Mat Image, double Fill)? CutOut(Mat frame, Mat background, Box box)
    {
        var marginX = box.Width * 0.12f;
        var marginY = box.Height * 0.08f;
        var x1 = (int)Math.Max(0, (box.X1 - marginX) * frame.Width);
        var y1 = (int)Math.Max(0, (box.Y1 - marginY) * frame.Height);
        var x2 = (int)Math.Min(frame.Width, (box.X2 + marginX) * frame.Width);
        var y2 = (int)Math.Min(frame.Height, (box.Y2 + marginY) * frame.Height);
        var rect = new Rect(x1, y1, x2 - x1, y2 - y1);
        if (rect.Width < 8 || rect.Height < 8)
        {
            return null;
        }

        using var crop = new Mat(frame, rect);
        using var back = new Mat(background, rect);
        using var diff = new Mat();
        Cv2.Absdiff(crop, back, diff);
        using var gray = new Mat();
        Cv2.CvtColor(diff, gray, ColorConversionCodes.BGR2GRAY);
        using var mask = new Mat();
        Cv2.Threshold(gray, mask, 22, 255, ThresholdTypes.Binary);

        // Only inside the detector's box.
        using var boxMask = new Mat(mask.Size(), MatType.CV_8UC1, Scalar.All(0));
        var inner = new Rect((int)(box.X1 * frame.Width) - x1, (int)(box.Y1 * frame.Height) - y1, (int)(box.Width * frame.Width), (int)(box.Height * frame.Height));
        Cv2.Rectangle(boxMask, inner, Scalar.All(255), -1);
        Cv2.BitwiseAnd(mask, boxMask, mask);
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(5, 5));
        Cv2.MorphologyEx(mask, mask, MorphTypes.Close, kernel, iterations: 2);
        Cv2.MorphologyEx(mask, mask, MorphTypes.Open, kernel);

        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var count = Cv2.ConnectedComponentsWithStats(mask, labels, stats, centroids);
        var best = 0;
        var bestArea = 0;
        for (var i = 1; i < count; i++)
        {
            var area = stats.At<int>(i, (int)ConnectedComponentsTypes.Area);
            if (area > bestArea)
            {
                bestArea = area;
                best = i;
            }
        }

        var fill = bestArea / (double)Math.Max(1, inner.Width * inner.Height);
        if (best == 0 || fill < 0.35)
        {
            return null;
        }

        using var component = new Mat();
        Cv2.Compare(labels, Scalar.All(best), component, CmpTypes.EQ);

        // Fill holes: everything inside the component's outer contour.
        Cv2.FindContours(component, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
        using var solid = new Mat(mask.Size(), MatType.CV_8UC1, Scalar.All(0));
        Cv2.DrawContours(solid, contours, -1, Scalar.All(255), -1);
        using var alpha = new Mat();
        Cv2.Erode(solid, alpha, kernel);
        return (WithFeatheredAlpha(crop, alpha), fill);
    }

    /// <summary>A BGRA cut-out: the BGR picture with the mask, its edge feathered, as alpha (the mask is blurred in place).</summary>
    internal static Mat WithFeatheredAlpha(Mat bgr, Mat alpha)
    {
        Cv2.GaussianBlur(alpha, alpha, new Size(5, 5), 1.2);
        var channels = Cv2.Split(bgr);
        var bgra = new Mat();
        Cv2.Merge([channels[0], channels[1], channels[2], alpha], bgra);
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        return bgra;
    }

    /// <summary>Variance of the Laplacian over the box: low for blurred objects.</summary>
    private static double Sharpness(Mat frame, Box box)
    {
        var rect = new Rect((int)(box.X1 * frame.Width), (int)(box.Y1 * frame.Height), (int)(box.Width * frame.Width), (int)(box.Height * frame.Height))
                   & new Rect(0, 0, frame.Width, frame.Height);
        using var crop = new Mat(frame, rect);
        using var gray = new Mat();
        Cv2.CvtColor(crop, gray, ColorConversionCodes.BGR2GRAY);
        using var laplacian = new Mat();
        Cv2.Laplacian(gray, laplacian, MatType.CV_64F);
        Cv2.MeanStdDev(laplacian, out _, out var deviation);
        return deviation.Val0 * deviation.Val0;
    }

    private static List<Cutout> Pick(List<(double Quality, Mat Image, ObjectClass Class, Box Box)> candidates, ObjectClass objectClass, int keep, string prefix, string folder)
    {
        var picked = new List<Cutout>();
        var boxes = new List<Box>();
        foreach (var candidate in candidates.Where(c => c.Class == objectClass).OrderByDescending(c => c.Quality))
        {
            // The same object seen again a few frames later is not a new cut-out.
            if (boxes.Any(b => b.IoU(candidate.Box) > 0.1f || Math.Abs(b.CenterX - candidate.Box.CenterX) < 0.03f))
            {
                continue;
            }

            var name = prefix + "-" + picked.Count.ToString(CultureInfo.InvariantCulture);
            Cv2.ImWrite(Path.Combine(folder, name + ".png"), candidate.Image);
            picked.Add(new Cutout(name, objectClass, candidate.Image.Clone()));
            boxes.Add(candidate.Box);
            if (picked.Count == keep)
            {
                break;
            }
        }

        return picked;
    }

    /// <summary>Least squares of height on bottom; falls back to a constant when the bottoms do not spread.</summary>
    private static SizeModel Fit(List<Box> boxes, double fallback)
    {
        if (boxes.Count < 3)
        {
            return new SizeModel(fallback, 0, fallback * 0.5);
        }

        double n = boxes.Count, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var b in boxes)
        {
            sx += b.Y2;
            sy += b.Height;
            sxx += b.Y2 * (double)b.Y2;
            sxy += b.Y2 * (double)b.Height;
        }

        var denominator = (n * sxx) - (sx * sx);
        var slope = Math.Abs(denominator) < 1e-9 ? 0 : ((n * sxy) - (sx * sy)) / denominator;
        slope = Math.Max(0, slope);
        var intercept = (sy - (slope * sx)) / n;
        return new SizeModel(intercept, slope, boxes.Min(b => (double)b.Height));
    }

    private sealed record CachedSizes(SizeModel Person, SizeModel Car);
}
