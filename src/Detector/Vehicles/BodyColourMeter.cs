using CrosswalkWatch.Domain.Officials;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.Vehicles;

/// <summary>
/// The dominant body colour of a vehicle, its (weighted) share of the body pixels counted, the mean brightness (HSV
/// value, 0–1) of its pixels, every colour's share, and how many pixels were counted.
/// </summary>
public sealed record BodyColourMeasurement(BodyColour? Colour, double Confidence, double Brightness, IReadOnlyList<ColourShare> Shares, int Pixels);

/// <summary>
/// Measures the dominant body colour of a vehicle in a picture, as one of the named registration colours
/// (<see cref="BodyColour"/>). Only the body is meant to vote, so the measurement is made robust to what else a
/// vehicle box holds:
/// <list type="bullet">
/// <item>the region is the box's middle (10–90 % across, 30–85 % down): the windscreen and roof above, the tyres,
/// the road and the shadow below, and the background at the sides are mostly left out;</item>
/// <item>the region is shrunk (area averaging) to at most 96 pixels across, which also smooths noise and JPEG blocks;</item>
/// <item>each pixel is named in HSV: dark (value under 50) black; without colour (saturation under 45, or chroma —
/// saturation × value — under 32 of 255) white when bright (value 170 and over), black when dim (under 85), else grey;
/// the rest by hue — red, orange, yellow, green, blue, purple, pink (pale or magenta red), brown (dim orange, yellow or
/// red);</item>
/// <item>black and grey vote at a reduced weight (<see cref="DarkWeight"/>, <see cref="GreyWeight"/>): glass, tyres,
/// grille, shadow, chrome and road are dark or grey on every vehicle, so they win only when the body is dark or grey
/// too (a black car's body is black across the whole region; a red car's grille is not).</item>
/// </list>
/// The colour is the weighted vote's winner and <see cref="BodyColourMeasurement.Confidence"/> its weighted share,
/// with the mean brightness of its pixels: a dark blue, green or red may be a black body reflecting the sky or the
/// street (<see cref="VehicleCheck.ColourFits"/>). Fewer than <see cref="MinPixels"/> pixels measure nothing. Hue
/// borders (OpenCV 0–179): red under 3 or from 168, orange to 19, yellow to 34, green to 85, blue to 130, purple to
/// 150, pink to 168 — the red/orange border is low because real red paint sits at 0–1 and 170–179 while orange paint
/// photographs at 2–9.
/// </summary>
public static class BodyColourMeter
{
    /// <summary>Weight of a black pixel's vote.</summary>
    public const double DarkWeight = 0.4;

    /// <summary>Weight of a grey pixel's vote.</summary>
    public const double GreyWeight = 0.6;

    /// <summary>Fewer region pixels than this measure nothing.</summary>
    public const int MinPixels = 64;

    private const int MaxWidth = 96;

    /// <summary>Measures <paramref name="vehicle"/> (pixels, clamped to the picture) of the BGR picture <paramref name="bgr"/>.</summary>
    public static BodyColourMeasurement Measure(Mat bgr, Rect vehicle)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"a BGR picture (8-bit, 3 channels) is needed, not {bgr.Type()}", nameof(bgr));
        }

        vehicle = vehicle.Intersect(new Rect(0, 0, bgr.Width, bgr.Height));
        var region = new Rect(
            vehicle.X + (int)(vehicle.Width * 0.10),
            vehicle.Y + (int)(vehicle.Height * 0.30),
            (int)(vehicle.Width * 0.80),
            (int)(vehicle.Height * 0.55));
        if (region.Width < 2 || region.Height < 2 || region.Width * region.Height < MinPixels)
        {
            return new BodyColourMeasurement(null, 0, 0, [], 0);
        }

        using var body = new Mat(bgr, region);
        using var small = new Mat();
        var scale = Math.Min(1.0, MaxWidth / (double)region.Width);
        Cv2.Resize(body, small, new Size(Math.Max(1, (int)Math.Round(region.Width * scale)), Math.Max(1, (int)Math.Round(region.Height * scale))), 0, 0, InterpolationFlags.Area);
        using var hsv = new Mat();
        Cv2.CvtColor(small, hsv, ColorConversionCodes.BGR2HSV);
        hsv.GetArray(out Vec3b[] pixels);
        if (pixels.Length < MinPixels)
        {
            return new BodyColourMeasurement(null, 0, 0, [], pixels.Length);
        }

        var votes = new double[Enum.GetValues<BodyColour>().Length];
        var brightness = new double[votes.Length];
        foreach (var pixel in pixels)
        {
            var colour = Name(pixel.Item0, pixel.Item1, pixel.Item2);
            brightness[(int)colour] += pixel.Item2;
            votes[(int)colour] += colour switch
            {
                BodyColour.Black => DarkWeight,
                BodyColour.Grey => GreyWeight,
                _ => 1.0,
            };
        }

        var total = votes.Sum();
        var shares = votes
            .Select((v, i) => new ColourShare((BodyColour)i, Math.Round(v / total, 3)))
            .Where(s => s.Share > 0)
            .OrderByDescending(s => s.Share)
            .ToList();
        var winner = (int)shares[0].Colour;
        var winnerPixels = votes[winner] / (shares[0].Colour switch { BodyColour.Black => DarkWeight, BodyColour.Grey => GreyWeight, _ => 1.0 });
        return new BodyColourMeasurement(shares[0].Colour, shares[0].Share, Math.Round(brightness[winner] / winnerPixels / 255, 3), shares, pixels.Length);
    }

    /// <summary>Measures the whole of a BGR crop that is the vehicle's box.</summary>
    public static BodyColourMeasurement Measure(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        return Measure(bgr, new Rect(0, 0, bgr.Width, bgr.Height));
    }

    /// <summary>The colour name of one OpenCV 8-bit HSV pixel (hue 0–179, saturation and value 0–255).</summary>
    public static BodyColour Name(int hue, int saturation, int value)
    {
        // Chroma (max − min of R, G, B): a dark pixel has little of it however saturated it is, so the blue of the sky
        // in a black car's paint is not a blue car.
        int chroma = saturation * value / 255;
        if (value < DarkValue)
        {
            return BodyColour.Black;
        }

        if (saturation < 45 || chroma < MinChroma)
        {
            return value >= 170 ? BodyColour.White : value < 85 ? BodyColour.Black : BodyColour.Grey;
        }

        return hue switch
        {
            < 3 or >= 168 => value < 100 ? BodyColour.Brown : saturation < 110 && value >= 170 ? BodyColour.Pink : BodyColour.Red,
            < 19 => value < 120 ? BodyColour.Brown : BodyColour.Orange,
            < 34 => value < 110 ? BodyColour.Brown : BodyColour.Yellow,
            < 85 => BodyColour.Green,
            < 130 => BodyColour.Blue,
            < 150 => BodyColour.Purple,
            _ => BodyColour.Pink,
        };
    }

    private const int DarkValue = 50;

    private const int MinChroma = 32;
}
