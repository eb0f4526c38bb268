using OpenCvSharp;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// Ranks a vehicle's crops for plate reading: the plate has more pixels in a larger crop and reads better in a sharp
/// one, so a crop scores its area times its sharpness (the variance of its Laplacian, saturating at
/// <see cref="SharpEnough"/>: past that, blur no longer limits the read).
/// </summary>
internal static class CropQuality
{
    public const double SharpEnough = 150;

    public static double Score(Mat crop)
    {
        ArgumentNullException.ThrowIfNull(crop);
        if (crop.Empty())
        {
            return 0;
        }

        using var gray = new Mat();
        Cv2.CvtColor(crop, gray, ColorConversionCodes.BGR2GRAY);
        using var laplacian = new Mat();
        Cv2.Laplacian(gray, laplacian, MatType.CV_64F);
        Cv2.MeanStdDev(laplacian, out _, out var deviation);
        var sharpness = Math.Min(1, deviation.Val0 * deviation.Val0 / SharpEnough);
        return (double)crop.Width * crop.Height * sharpness;
    }

    /// <summary>The <paramref name="count"/> best crops, best first; ties keep their order.</summary>
    public static IReadOnlyList<(string Name, Mat Crop)> Best(IReadOnlyList<(string Name, Mat Crop)> crops, int count) =>
        crops.Select((c, i) => (c, i, score: Score(c.Crop))).OrderByDescending(x => x.score).ThenBy(x => x.i).Take(count).Select(x => x.c).ToList();
}
