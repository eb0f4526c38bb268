using CrosswalkWatch.Domain.Detection;
using OpenCvSharp;

namespace CrosswalkWatch.Media.Imaging;

/// <summary>
/// What the campaign office may see of an evidence photo (DOMAIN.md: other people in the photos are not its
/// business): the accused vehicle as it is, and everything else under a coarse mosaic (马赛克) whose blocks are
/// larger than a face or a plate character at the photo's size, so no pedestrian's face and no other vehicle's plate
/// can be read while the scene stays recognisable. Pedestrians' heads are covered even where they overlap the kept
/// vehicle. A photo whose vehicle box is unknown is covered whole.
/// </summary>
public static class Redaction
{
    /// <summary>Mosaic blocks per photo width: 1920 px wide gives 40 px blocks, wider than a plate character.</summary>
    public const int BlocksAcross = 48;

    /// <summary>How far the kept box is widened on each side (fraction of its size): the detector's box is a little tight.</summary>
    private const float Margin = 0.06f;

    /// <summary>The JPEG of <paramref name="photo"/> with everything but <paramref name="keep"/> (normalised) covered, and the upper third of each pedestrian box.</summary>
    public static byte[] Redact(byte[] photo, Box? keep, IEnumerable<Box> pedestrians)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(pedestrians);
        using var image = Cv2.ImDecode(photo, ImreadModes.Color);
        if (image.Empty())
        {
            throw new MediaException("not a readable picture");
        }

        using var mosaic = Mosaic(image);
        using var covered = mosaic.Clone();
        if (keep is { } vehicle && Pixels(vehicle, image, Margin) is { Width: > 0, Height: > 0 } kept)
        {
            using var from = new Mat(image, kept);
            using var to = new Mat(covered, kept);
            from.CopyTo(to);
        }

        foreach (var pedestrian in pedestrians)
        {
            var head = pedestrian with { Y2 = pedestrian.Y1 + ((pedestrian.Y2 - pedestrian.Y1) / 3) };
            if (Pixels(head, image, 0.25f) is { Width: > 0, Height: > 0 } face)
            {
                using var from = new Mat(mosaic, face);
                using var to = new Mat(covered, face);
                from.CopyTo(to);
            }
        }

        Cv2.ImEncode(".jpg", covered, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
        return bytes;
    }

    private static Mat Mosaic(Mat image)
    {
        var block = Math.Max(8, image.Width / BlocksAcross);
        using var small = new Mat();
        Cv2.Resize(image, small, new Size(Math.Max(1, image.Width / block), Math.Max(1, image.Height / block)), interpolation: InterpolationFlags.Area);
        var large = new Mat();
        Cv2.Resize(small, large, image.Size(), interpolation: InterpolationFlags.Nearest);
        return large;
    }

    /// <summary>The pixel rectangle of a normalised box widened by <paramref name="margin"/> of its size, clipped to the image.</summary>
    private static Rect Pixels(Box box, Mat image, float margin)
    {
        var dx = (box.X2 - box.X1) * margin;
        var dy = (box.Y2 - box.Y1) * margin;
        var x1 = (int)Math.Floor(Math.Clamp(box.X1 - dx, 0, 1) * image.Width);
        var y1 = (int)Math.Floor(Math.Clamp(box.Y1 - dy, 0, 1) * image.Height);
        var x2 = (int)Math.Ceiling(Math.Clamp(box.X2 + dx, 0, 1) * image.Width);
        var y2 = (int)Math.Ceiling(Math.Clamp(box.Y2 + dy, 0, 1) * image.Height);
        return new Rect(x1, y1, Math.Max(0, x2 - x1), Math.Max(0, y2 - y1));
    }
}
