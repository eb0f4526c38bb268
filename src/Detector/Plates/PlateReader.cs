using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Plates;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.Plates;

/// <summary>How to build a <see cref="PlateReader"/>.</summary>
/// <param name="DetectorModel">The plate detector, a manifest key (<c>plate-detector-320</c>, or <c>plate-detector-640</c> for small plates in large pictures).</param>
/// <param name="RecogniserModel">The text recogniser, a manifest key.</param>
/// <param name="IntraOpThreads">ONNX Runtime threads inside one operator, 1–64, for each model.</param>
/// <param name="ScoreThreshold">Lowest detector score (obj × class) kept, above 0 and at most 1.</param>
/// <param name="NmsIoU">Overlap above which the lower-scored of two plates is dropped.</param>
/// <param name="MarginX">Share of the plate's width added left and right before rectifying.</param>
/// <param name="MarginY">Share of the plate's height added above and below before rectifying.</param>
public sealed record PlateReaderOptions(
    string DetectorModel = "plate-detector-320",
    string RecogniserModel = "plate-ocr",
    int IntraOpThreads = 2,
    float ScoreThreshold = 0.4f,
    float NmsIoU = 0.5f,
    float MarginX = 0.03f,
    float MarginY = 0.05f);

/// <summary>
/// One plate read from an image. It owns <see cref="Rectified"/>: dispose the read when done with it.
/// </summary>
public sealed class PlateRead : IDisposable
{
    internal PlateRead(PlateCorners? corners, float detectorScore, int layers, Mat rectified, string rawText, PlateText text, PlateColour colour)
    {
        Corners = corners;
        DetectorScore = detectorScore;
        Layers = layers;
        Rectified = rectified;
        RawText = rawText;
        Plate = text;
        Colour = colour;
    }

    /// <summary>Where the detector found the plate, in the image's pixels; null when the image was read as a plate crop.</summary>
    public PlateCorners? Corners { get; }

    /// <summary>The detector's score (obj × class); 0 when the image was read as a plate crop.</summary>
    public float DetectorScore { get; }

    /// <summary>1 for a single-line plate, 2 for a double-layer one (read as its two lines joined).</summary>
    public int Layers { get; }

    /// <summary>The plate warped upright from its corners (before any joining of lines), BGR24.</summary>
    public Mat Rectified { get; }

    /// <summary>What the recogniser emitted, before the grammar.</summary>
    public string RawText { get; }

    /// <summary>The text read under the grammar, with per-character confidence.</summary>
    public PlateText Plate { get; }

    public string Text => Plate.Text;

    public PlateColour Colour { get; }

    public void Dispose() => Rectified.Dispose();
}

/// <summary>
/// Reads plates: plate detection with four corners on a vehicle crop → rectify from the corners → a double-layer
/// plate's two lines joined into one → PP-OCRv4 line recognition with per-character probabilities → the plate grammar
/// → the colour; and across several crops of one vehicle, a vote per character. One ONNX Runtime session per model,
/// opened once; safe to call from several threads at a time.
/// </summary>
public sealed class PlateReader : IDisposable
{
    /// <summary>Margin added left and right for the second look at a plate whose first read the grammar refused.</summary>
    private const float RetryMarginX = 0.03f;

    private readonly PlateDetector _detector;
    private readonly TextRecogniser _recogniser;
    private readonly PlateReaderOptions _options;

    private PlateReader(PlateDetector detector, TextRecogniser recogniser, PlateReaderOptions options)
    {
        _detector = detector;
        _recogniser = recogniser;
        _options = options;
    }

    /// <summary>Pooled arrays rented by calls in progress (0 when none is running).</summary>
    internal long OutstandingBuffers => _detector.OutstandingBuffers + _recogniser.OutstandingBuffers;

    /// <exception cref="ModelException">A model is unknown, missing, corrupt, or not what its manifest entry says.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its bounds.</exception>
    public static PlateReader Create(ModelStore store, PlateReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new PlateReaderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IntraOpThreads, 1, nameof(options.IntraOpThreads));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.IntraOpThreads, 64, nameof(options.IntraOpThreads));
        if (!(options.ScoreThreshold is > 0 and <= 1) || !(options.NmsIoU is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ScoreThreshold and NmsIoU are above 0 and at most 1.");
        }

        if (!(options.MarginX is >= 0 and <= 0.5f) || !(options.MarginY is >= 0 and <= 0.5f))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MarginX and MarginY are 0 to 0.5.");
        }

        PlateDetector detector = PlateDetector.Create(store, options.DetectorModel, options.IntraOpThreads, options.ScoreThreshold, options.NmsIoU);
        try
        {
            return new PlateReader(detector, TextRecogniser.Create(store, options.RecogniserModel, options.IntraOpThreads), options);
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    /// <summary>Every plate the detector finds in a BGR image (a vehicle crop or a whole picture), best score first.</summary>
    public IReadOnlyList<PlateRead> Read(Mat image)
    {
        using Mat? converted = ToBgr(image);
        Mat bgr = converted ?? image;
        List<PlateDetection> found = _detector.Detect(bgr);
        var reads = new List<PlateRead>(found.Count);
        foreach (PlateDetection plate in found)
        {
            PlateRead read = ReadDetected(bgr, plate, _options.MarginX, _options.MarginY);
            if (!read.Plate.Valid)
            {
                // A second look, framed differently (wider, and tight above and below): the recogniser drops a
                // plate's last character now and then, a special one like 领 or 警 most often, depending on framing.
                PlateRead wider = ReadDetected(bgr, plate, _options.MarginX + RetryMarginX, 0);
                (read, wider) = wider.Plate.Valid ? (wider, read) : (read, wider);
                wider.Dispose();
            }

            reads.Add(read);
        }

        return reads;
    }

    /// <summary>Reads an image that is a plate already (a crop of one, upright), without detection.</summary>
    public PlateRead ReadCrop(Mat crop, int layers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(layers, 2);
        using Mat? converted = ToBgr(crop);
        return Recognise((converted ?? crop).Clone(), corners: null, detectorScore: 0, layers);
    }

    /// <summary>
    /// The plate of one vehicle from several crops of it (a track's crops): the best-scored plate of each crop, voted
    /// per character; null when no crop shows a plate with text.
    /// </summary>
    public VotedPlate? ReadTrack(IEnumerable<Mat> crops)
    {
        ArgumentNullException.ThrowIfNull(crops);
        var reads = new List<(PlateText, PlateColour)>();
        foreach (Mat crop in crops)
        {
            IReadOnlyList<PlateRead> found = Read(crop);
            try
            {
                if (found.Count > 0)
                {
                    reads.Add((found[0].Plate, found[0].Colour));
                }
            }
            finally
            {
                foreach (PlateRead read in found)
                {
                    read.Dispose();
                }
            }
        }

        return PlateVote.Vote(reads);
    }

    /// <summary>Votes reads of one vehicle's plate (one per picture) per character; null when none has text.</summary>
    public static VotedPlate? Vote(IEnumerable<PlateRead> reads)
    {
        ArgumentNullException.ThrowIfNull(reads);
        return PlateVote.Vote([.. reads.Select(r => (r.Plate, r.Colour))]);
    }

    public void Dispose()
    {
        _detector.Dispose();
        _recogniser.Dispose();
    }

    /// <summary>Rectifies the detected plate with the margins given, at the plate's true aspect widened by them, and reads it.</summary>
    private PlateRead ReadDetected(Mat bgr, PlateDetection plate, float marginX, float marginY)
    {
        float aspect = (plate.Layers == 2 ? PlateGeometry.DoubleLayerAspect : PlateGeometry.SingleLayerAspect)
            * (1 + (2 * marginX)) / (1 + (2 * marginY));
        Mat rectified = PlateGeometry.Rectify(bgr, plate.Corners.Expand(marginX, marginY), aspect);
        return Recognise(rectified, plate.Corners, plate.Score, plate.Layers);
    }

    /// <summary>Takes ownership of <paramref name="rectified"/>.</summary>
    private PlateRead Recognise(Mat rectified, PlateCorners? corners, float detectorScore, int layers)
    {
        try
        {
            List<PlateCharacter> characters;
            if (layers == 2)
            {
                using Mat joined = PlateGeometry.JoinDoubleLayer(rectified);
                characters = _recogniser.Read(joined);
            }
            else
            {
                characters = _recogniser.Read(rectified);
            }

            string raw = new([.. characters.Select(c => c.Symbol)]);
            PlateText text = GrammarDecoder.Decode(characters);
            return new PlateRead(corners, detectorScore, layers, rectified, raw, text, PlateColourClassifier.Classify(rectified));
        }
        catch
        {
            rectified.Dispose();
            throw;
        }
    }

    /// <summary>A continuous BGR24 copy of <paramref name="image"/> when it is not one already (null when it is).</summary>
    private static Mat? ToBgr(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty())
        {
            throw new ArgumentException("the image is empty", nameof(image));
        }

        if (image.Type() == MatType.CV_8UC3 && image.IsContinuous())
        {
            return null;
        }

        var bgr = new Mat();
        switch (image.Channels())
        {
            case 1:
                Cv2.CvtColor(image, bgr, ColorConversionCodes.GRAY2BGR);
                break;
            case 4:
                Cv2.CvtColor(image, bgr, ColorConversionCodes.BGRA2BGR);
                break;
            default:
                image.CopyTo(bgr);
                break;
        }

        return bgr;
    }
}
