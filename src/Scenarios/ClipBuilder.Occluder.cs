using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using OpenCvSharp;

namespace CrosswalkWatch.Scenarios;

/// <summary>
/// The occluder condition: a bus or truck passing close to the camera, across the picture below the crosswalk, in
/// front of the clip's first pedestrian for about a second shortly before the first vehicle reaches its line. It
/// moves across the road, not along a lane, so it is never judged; the pedestrian behind it stays labelled.
/// </summary>
internal sealed partial class ClipBuilder
{
    /// <summary>How long the occluder hides the pedestrian, seconds.</summary>
    internal const double OccluderSeconds = 1.2;

    private void AddOccluder()
    {
        var pedestrian = _actors.FirstOrDefault(a => a.Class == ObjectClass.Pedestrian);
        if (pedestrian is null)
        {
            return;
        }

        var random = new Random(unchecked((_seed * 17) + 5)); // not the script's draws: the kind's clip stays the same
        var end = Math.Max((FirstLineCrossing() ?? (_options.Seconds / 2)) - 0.5, OccluderSeconds + 0.3);
        var middle = end - (OccluderSeconds / 2);
        var anchor = pedestrian.Path(middle) ?? Enumerable.Range(0, Frames).Select(f => pedestrian.Path(f / (double)_options.Fps)).FirstOrDefault(p => p is not null);
        if (anchor is not { } a)
        {
            return;
        }

        // From just below the pedestrian's feet (nearer the camera) to above their shoulders.
        var personHeight = _assets.PersonSize.HeightAt(Math.Min(a.Y, 1.0)) * pedestrian.Scale;
        var bottom = a.Y + 0.09 + (0.03 * random.NextDouble());
        var height = bottom - (a.Y - (0.88 * personHeight));
        var art = OccluderArt.Make(random, out var name);
        var aspect = art.Width / (double)art.Height;
        var width = height * aspect * Height / Width;
        var personWidth = personHeight * 0.4 * Height / Width;
        var speed = (width + personWidth) / OccluderSeconds; // picture widths a second, left to right
        _actors.Add(new Actor
        {
            Id = _actors.Count + 1,
            Class = ObjectClass.MotorVehicle,
            Cutout = new Cutout(name, ObjectClass.MotorVehicle, art), // its picture is the clip's: released with it
            Scale = height / _assets.CarSize.HeightAt(Math.Min(bottom, 1.0)),
            Role = "occluder",
            Path = t =>
            {
                var x = a.X + (speed * (t - middle));
                return x < -width || x > 1 + width ? null : new Point2(x, bottom);
            },
        });
    }

    /// <summary>When the first scripted vehicle's footprint is 30 % past its stop line (the passage's start), or null if none gets there.</summary>
    private double? FirstLineCrossing()
    {
        double? first = null;
        foreach (var vehicle in _actors.Where(a => a.Class == ObjectClass.MotorVehicle && a.Lane is not null))
        {
            var lane = _paths.Lane(vehicle.Lane!);
            for (var f = 0; f < Frames; f++)
            {
                var t = f / (double)_options.Fps;
                if (vehicle.Path(t) is { } p && _paths.Footprint(lane, BoxAt(vehicle, p)).PastLine >= 0.3)
                {
                    first = Math.Min(first ?? t, t);
                    break;
                }
            }
        }

        return first;
    }
}

/// <summary>Side views of a city bus or a box truck, drawn (BGRA, opaque inside, feathered edge): the occluder's cut-out.</summary>
internal static class OccluderArt
{
    private static readonly Scalar[] Paints =
    [
        new(40, 40, 190), new(30, 150, 225), new(170, 110, 30), new(225, 225, 225), new(50, 130, 50),
    ];

    public static Mat Make(Random random, out string name)
    {
        var bus = random.NextDouble() < 0.5;
        name = bus ? "occluder-bus" : "occluder-truck";
        const int H = 300;
        var w = bus ? 880 + random.Next(100) : 780 + random.Next(100);
        var colour = new Mat(H, w, MatType.CV_8UC3, Scalar.All(0));
        var alpha = new Mat(H, w, MatType.CV_8UC1, Scalar.All(0));
        var paint = Paints[random.Next(Paints.Length)];
        var wheel = (int)(H * 0.12);
        var dark = new Scalar(45, 40, 35);
        if (bus)
        {
            Solid(colour, alpha, new Rect(0, 0, w, H - wheel), paint);
            Cv2.Rectangle(colour, new Rect((int)(w * 0.03), (int)(H * 0.12), (int)(w * 0.94), (int)(H * 0.36)), new Scalar(80, 60, 50), -1);
            for (var x = (int)(w * 0.03); x < w * 0.97; x += (int)(w * 0.11))
            {
                Cv2.Rectangle(colour, new Rect(x, (int)(H * 0.12), 8, (int)(H * 0.36)), paint, -1);
            }

            Cv2.Rectangle(colour, new Rect((int)(w * 0.1), (int)(H * 0.12), (int)(w * 0.07), (int)(H * 0.72)), dark, -1);
            Cv2.Rectangle(colour, new Rect(0, (int)(H * 0.78), w, (int)(H * 0.06)), new Scalar(paint.Val0 * 0.6, paint.Val1 * 0.6, paint.Val2 * 0.6), -1);
        }
        else
        {
            var cab = (int)(w * 0.24);
            Solid(colour, alpha, new Rect(0, (int)(H * 0.28), cab, H - wheel - (int)(H * 0.28)), paint);
            Cv2.Rectangle(colour, new Rect((int)(cab * 0.15), (int)(H * 0.34), (int)(cab * 0.6), (int)(H * 0.2)), new Scalar(80, 60, 50), -1);
            Solid(colour, alpha, new Rect(cab + 6, 0, w - cab - 6, H - wheel - 6), new Scalar(215, 215, 210));
            Cv2.Rectangle(colour, new Rect(cab + 40, (int)(H * 0.3), (int)((w - cab) * 0.6), (int)(H * 0.14)), paint, -1);
        }

        foreach (var x in new[] { 0.18, 0.8 })
        {
            var centre = new Point(w * x, H - wheel - 2);
            Solid(colour, alpha, centre, wheel + 2, new Scalar(25, 25, 25));
            Cv2.Circle(colour, centre, wheel / 2, new Scalar(120, 120, 120), -1, LineTypes.AntiAlias);
        }

        // Light from above: the sides darken towards the bottom.
        using var ramp = new Mat(H, 1, MatType.CV_32FC1);
        for (var y = 0; y < H; y++)
        {
            ramp.Set(y, 0, (float)(1.08 - (0.35 * y / H)));
        }

        using (var shade = new Mat())
        using (var shade3 = new Mat())
        using (var lit = new Mat())
        {
            Cv2.Resize(ramp, shade, new Size(w, H), 0, 0, InterpolationFlags.Nearest);
            Cv2.Merge([shade, shade, shade], shade3);
            colour.ConvertTo(lit, MatType.CV_32FC3);
            Cv2.Multiply(lit, shade3, lit);
            lit.ConvertTo(colour, MatType.CV_8UC3);
        }

        using var grain = new Mat(H, w, MatType.CV_8UC3);
        Cv2.SetTheRNG((ulong)random.Next());
        Cv2.Randn(grain, Scalar.All(0), Scalar.All(5));
        Cv2.Add(colour, grain, colour);
        var bgra = AssetLibrary.WithFeatheredAlpha(colour, alpha);
        colour.Dispose();
        alpha.Dispose();
        return bgra;
    }

    private static void Solid(Mat colour, Mat alpha, Rect rect, Scalar paint)
    {
        Cv2.Rectangle(colour, rect, paint, -1);
        Cv2.Rectangle(alpha, rect, Scalar.All(255), -1);
    }

    private static void Solid(Mat colour, Mat alpha, Point centre, int radius, Scalar paint)
    {
        Cv2.Circle(colour, centre, radius, paint, -1, LineTypes.AntiAlias);
        Cv2.Circle(alpha, centre, radius, Scalar.All(255), -1, LineTypes.AntiAlias);
    }
}
