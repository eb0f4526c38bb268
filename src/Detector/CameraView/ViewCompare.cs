using CrosswalkWatch.Domain.Health;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.CameraView;

/// <summary>
/// What a live view (<see cref="ViewPicture"/>) shows against the camera's reference:
/// <list type="bullet">
/// <item><see cref="Shift"/> and <see cref="Match"/>: the move and turn that best lay the live view on the
/// reference (phase correlation for a first guess, then OpenCV's ECC alignment with a Euclidean motion), and the
/// correlation left once aligned (1 is the same picture; a camera pointed elsewhere gives little);</item>
/// <item><see cref="CoveredShare"/>: of the reference's tiles that had detail, the share now uniform (a bag, a sticker, a hand on the lens);</item>
/// <item><see cref="EdgeRatio"/>: the live view's edge energy (variance of the Laplacian) over the reference's (a drifted focus, a fogged lens);</item>
/// <item><see cref="DarkShare"/> and <see cref="BrightShare"/>: pixels almost black and almost white.</item>
/// </list>
/// </summary>
public sealed record ViewReading(ViewShift Shift, double Match, double CoveredShare, double EdgeRatio, double DarkShare, double BrightShare)
{
    /// <summary>The picture's height over its width, for <see cref="MovePercent"/>.</summary>
    public double Aspect { get; init; } = 9 / 16.0;

    /// <summary>The length of the move, in percent of the picture's width.</summary>
    public double MovePercent => 100 * Math.Sqrt((Shift.X * Shift.X) + Math.Pow(Shift.Y * Aspect, 2));
}

public static class ViewCompare
{
    /// <summary>Tiles across and down for the covered check.</summary>
    public const int TilesAcross = 16;

    public const int TilesDown = 9;

    /// <summary>A reference tile has detail when its grey levels' standard deviation is above this…</summary>
    public const double DetailDeviation = 8;

    /// <summary>…and a live tile is uniform when below this (a lens cap, a bag, a hand: a flat grey or black).</summary>
    public const double UniformDeviation = 3.5;

    /// <summary>Width of the pictures the move and turn are measured on.</summary>
    public const int AlignWidth = 160;

    /// <summary>Grey levels at or below this are almost black; at or above <see cref="BrightLevel"/> almost white.</summary>
    public const int DarkLevel = 16;

    public const int BrightLevel = 250;

    /// <summary>Compares <paramref name="live"/> with <paramref name="reference"/> (pictures of the same size).</summary>
    public static ViewReading Compare(ViewPicture reference, ViewPicture live) => Compare(reference, live, AlignWidth);

    /// <summary>As <see cref="Compare(ViewPicture, ViewPicture)"/>, the move measured on pictures <paramref name="alignWidth"/> wide (the benchmark's baseline: the whole small picture).</summary>
    internal static ViewReading Compare(ViewPicture reference, ViewPicture live, int alignWidth)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(live);
        if (reference.Grey.Size() != live.Grey.Size())
        {
            throw new ArgumentException($"the live view is {live.Grey.Cols}x{live.Grey.Rows}, the reference {reference.Grey.Cols}x{reference.Grey.Rows}: compare pictures of the same aspect", nameof(live));
        }

        var (shift, match) = Align(reference.Grey, live.Grey, alignWidth);
        var (dark, bright) = Extremes(live.Grey);
        return new ViewReading(shift, match, Covered(reference.Grey, live.Grey), EdgeEnergy(live.Grey) / Math.Max(EdgeEnergy(reference.Grey), 1e-6), dark, bright)
        {
            Aspect = live.Grey.Rows / (double)live.Grey.Cols,
        };
    }

    /// <summary>Whether a view can serve as a reference: not almost all black or white, and with some detail; why not when it cannot.</summary>
    public static bool Usable(ViewPicture picture, out Domain.Phrase? why)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var (dark, bright) = Extremes(picture.Grey);
        var edges = EdgeEnergy(picture.Grey);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        why = dark > 0.7 ? Domain.Phrase.Of("view.black", "{share} of the picture is black", ("share", dark.ToString("P0", c)))
            : bright > 0.5 ? Domain.Phrase.Of("view.white", "{share} of the picture is white", ("share", bright.ToString("P0", c)))
            : edges < 0.02 ? Domain.Phrase.Of("view.noDetail", "the picture has almost no detail (edge energy {energy})", ("energy", edges.ToString("F3", c)))
            : null;
        return why is null;
    }

    /// <summary>
    /// The Euclidean motion taking the reference to the live view, about the picture's centre, and the correlation once
    /// aligned; measured on the pictures halved (<see cref="AlignWidth"/> wide): ECC's sub-pixel estimate there is well
    /// within a tenth of any move setting, at a quarter of the cost.
    /// </summary>
    private static (ViewShift Shift, double Match) Align(Mat referenceFull, Mat liveFull, int alignWidth)
    {
        using var reference = new Mat();
        using var live = new Mat();
        var size = new Size(alignWidth, (int)Math.Round(referenceFull.Rows * (double)alignWidth / referenceFull.Cols));
        Cv2.Resize(referenceFull, reference, size, 0, 0, InterpolationFlags.Area);
        Cv2.Resize(liveFull, live, size, 0, 0, InterpolationFlags.Area);
        using var referenceFloat = new Mat();
        using var liveFloat = new Mat();
        reference.ConvertTo(referenceFloat, MatType.CV_32F);
        live.ConvertTo(liveFloat, MatType.CV_32F);
        using var window = new Mat();
        Cv2.CreateHanningWindow(window, reference.Size(), MatType.CV_32F);
        var guess = Cv2.PhaseCorrelate(referenceFloat, liveFloat, window, out _);

        using var warp = Mat.Eye(2, 3, MatType.CV_32F).ToMat();
        warp.Set(0, 2, (float)guess.X);
        warp.Set(1, 2, (float)guess.Y);
        double match;
        try
        {
            match = Cv2.FindTransformECC(referenceFloat, liveFloat, warp, MotionTypes.Euclidean, new TermCriteria(CriteriaTypes.Count | CriteriaTypes.Eps, 30, 1e-4), null, 5);
        }
        catch (OpenCVException)
        {
            // ECC did not converge: nothing in the live view lines up with the reference.
            return (new ViewShift(guess.X / reference.Cols, guess.Y / reference.Rows, 0), 0);
        }

        // x' = R·x + t about the top-left corner; about the centre c the move is R·c + t − c.
        double cos = warp.At<float>(0, 0), sin = warp.At<float>(1, 0);
        double cx = (reference.Cols - 1) / 2.0, cy = (reference.Rows - 1) / 2.0;
        var dx = (cos * cx) - (sin * cy) + warp.At<float>(0, 2) - cx;
        var dy = (sin * cx) + (cos * cy) + warp.At<float>(1, 2) - cy;
        var degrees = Math.Atan2(sin, cos) * 180 / Math.PI;
        return (new ViewShift(dx / reference.Cols, dy / reference.Rows, degrees), match);
    }

    /// <summary>Of the reference's tiles with detail, the share that is uniform in the live view.</summary>
    private static double Covered(Mat reference, Mat live)
    {
        int detailed = 0, covered = 0;
        var tileWidth = reference.Cols / TilesAcross;
        var tileHeight = reference.Rows / TilesDown;
        for (var row = 0; row < TilesDown; row++)
        {
            for (var column = 0; column < TilesAcross; column++)
            {
                var rect = new Rect(column * tileWidth, row * tileHeight, tileWidth, tileHeight);
                using var referenceTile = new Mat(reference, rect);
                Cv2.MeanStdDev(referenceTile, out _, out var referenceDeviation);
                if (referenceDeviation.Val0 < DetailDeviation)
                {
                    continue;
                }

                detailed++;
                using var liveTile = new Mat(live, rect);
                Cv2.MeanStdDev(liveTile, out _, out var liveDeviation);
                if (liveDeviation.Val0 < UniformDeviation)
                {
                    covered++;
                }
            }
        }

        return detailed == 0 ? 0 : covered / (double)detailed;
    }

    /// <summary>
    /// Variance of the Laplacian (the usual measure of focus) over the variance of the grey levels, so that a dimmer
    /// picture (dusk, a cloud) keeps its edge energy and only a loss of sharpness lowers it.
    /// </summary>
    private static double EdgeEnergy(Mat grey)
    {
        using var laplacian = new Mat();
        Cv2.Laplacian(grey, laplacian, MatType.CV_32F, 3);
        Cv2.MeanStdDev(laplacian, out _, out var edges);
        Cv2.MeanStdDev(grey, out _, out var levels);
        return edges.Val0 * edges.Val0 / Math.Max(levels.Val0 * levels.Val0, 1);
    }

    private static (double Dark, double Bright) Extremes(Mat grey)
    {
        var total = (double)(grey.Rows * grey.Cols);
        using var mask = new Mat();
        Cv2.Threshold(grey, mask, DarkLevel, 255, ThresholdTypes.BinaryInv);
        var dark = Cv2.CountNonZero(mask) / total;
        Cv2.Threshold(grey, mask, BrightLevel - 1, 255, ThresholdTypes.Binary);
        return (dark, Cv2.CountNonZero(mask) / total);
    }
}
