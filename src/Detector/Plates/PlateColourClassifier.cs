using CrosswalkWatch.Domain.Plates;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.Plates;

/// <summary>
/// Tells the plate colour from the HSV pixels of a rectified plate: the characters are white or black on a coloured
/// background, so the chromatic pixels (saturated and not dark) vote by hue for blue, yellow or green when they cover
/// enough of the plate; otherwise the plate is white or black by whether bright or dark pixels (value above or below 100) dominate. Red (the
/// police 警 character) votes for nothing.
/// </summary>
internal static class PlateColourClassifier
{
    /// <summary>Share of the plate the chromatic pixels of one hue must cover for a coloured plate.</summary>
    internal const double ChromaticShare = 0.25;

    /// <summary>Fewer pixels inside the border than this tell no colour.</summary>
    private const int MinPixels = 64;

    /// <summary>The border share skipped on each side (bolts, frame, background the corners let in).</summary>
    private const double Border = 0.1;

    public static PlateColour Classify(Mat bgrPlate)
    {
        ArgumentNullException.ThrowIfNull(bgrPlate);
        int marginX = (int)(bgrPlate.Width * Border);
        int marginY = (int)(bgrPlate.Height * Border);
        int width = bgrPlate.Width - (2 * marginX);
        int height = bgrPlate.Height - (2 * marginY);
        if (width * height < MinPixels || width < 2 || height < 2 || bgrPlate.Type() != MatType.CV_8UC3)
        {
            return PlateColour.Unknown;
        }

        using Mat inner = new(bgrPlate, new Rect(marginX, marginY, width, height));
        using Mat hsv = new();
        Cv2.CvtColor(inner, hsv, ColorConversionCodes.BGR2HSV);
        hsv.GetArray(out Vec3b[] pixels);
        int blue = 0, yellow = 0, green = 0, bright = 0, dark = 0;
        foreach (Vec3b pixel in pixels)
        {
            // OpenCV 8-bit HSV: hue 0-179, saturation and value 0-255.
            int hue = pixel.Item0;
            int saturation = pixel.Item1;
            int value = pixel.Item2;
            if (saturation >= 70 && value >= 35)
            {
                if (hue is >= 95 and <= 130)
                {
                    blue++;
                }
                else if (hue is >= 15 and < 35)
                {
                    yellow++;
                }
                else if (hue is >= 35 and < 95)
                {
                    green++;
                }

                continue;
            }

            if (value >= 100)
            {
                bright++;
            }
            else
            {
                dark++;
            }
        }

        int threshold = (int)(pixels.Length * ChromaticShare);
        int most = Math.Max(blue, Math.Max(yellow, green));
        if (most >= threshold)
        {
            return most == blue ? PlateColour.Blue : most == yellow ? PlateColour.Yellow : PlateColour.Green;
        }

        if (bright + dark < threshold)
        {
            return PlateColour.Unknown;
        }

        return bright >= dark ? PlateColour.White : PlateColour.Black;
    }
}
