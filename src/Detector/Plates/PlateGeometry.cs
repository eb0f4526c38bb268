using OpenCvSharp;

namespace CrosswalkWatch.Detector.Plates;

/// <summary>A plate's four corners in image pixels, clockwise from the top-left as the detector gives them.</summary>
public readonly record struct PlateCorners(Point2f TopLeft, Point2f TopRight, Point2f BottomRight, Point2f BottomLeft)
{
    /// <summary>The longer of the top and bottom edges, in pixels.</summary>
    public float Width => Math.Max(Distance(TopLeft, TopRight), Distance(BottomLeft, BottomRight));

    /// <summary>The longer of the left and right edges, in pixels.</summary>
    public float Height => Math.Max(Distance(TopLeft, BottomLeft), Distance(TopRight, BottomRight));

    /// <summary>
    /// The quadrilateral pushed out along its own edges by <paramref name="marginX"/> of its width on the left and
    /// right and <paramref name="marginY"/> of its height at the top and bottom (the recogniser reads better with a
    /// little background around the characters than with a box cut tight on them).
    /// </summary>
    public PlateCorners Expand(float marginX, float marginY)
    {
        Point2f top = TopRight - TopLeft;
        Point2f bottom = BottomRight - BottomLeft;
        Point2f left = BottomLeft - TopLeft;
        Point2f right = BottomRight - TopRight;
        return new PlateCorners(
            TopLeft - (top * marginX) - (left * marginY),
            TopRight + (top * marginX) - (right * marginY),
            BottomRight + (bottom * marginX) + (right * marginY),
            BottomLeft - (bottom * marginX) + (left * marginY));
    }

    public override string ToString() =>
        FormattableString.Invariant($"[{TopLeft.X:0.#},{TopLeft.Y:0.#} {TopRight.X:0.#},{TopRight.Y:0.#} {BottomRight.X:0.#},{BottomRight.Y:0.#} {BottomLeft.X:0.#},{BottomLeft.Y:0.#}]");

    private static float Distance(Point2f a, Point2f b) => MathF.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
}

/// <summary>Rectification from four corners, and the double-layer plate's two lines joined into one.</summary>
internal static class PlateGeometry
{
    /// <summary>
    /// Where the top line of a double-layer plate ends, as a share of the plate's height (the province character and
    /// letter sit in the top third; 5/12 keeps all of them with the detector's corners a little off).
    /// </summary>
    internal const double TopLineEnd = 5.0 / 12;

    /// <summary>Where the bottom line starts, as a share of the height.</summary>
    internal const double BottomLineStart = 1.0 / 3;

    /// <summary>The share of the width the top line's two characters take, centred (the rest is bolts and background).</summary>
    internal const double TopLineWidth = 0.7;

    /// <summary>Width over height of a single-line plate: 440 × 140 mm ordinary, 480 × 140 mm new-energy (GA 36).</summary>
    internal const float SingleLayerAspect = 3.3f;

    /// <summary>Width over height of a double-layer plate: 440 × 220 mm.</summary>
    internal const float DoubleLayerAspect = 2.0f;

    /// <summary>
    /// The quadrilateral warped to an upright rectangle as high as its longer vertical edge (at least 2 pixels) and
    /// as wide as <paramref name="aspect"/> times that: a plate seen from the side looks narrower than it is, and
    /// the recogniser reads characters at their true proportions far better than squeezed ones. The caller owns the
    /// returned image.
    /// </summary>
    public static Mat Rectify(Mat image, PlateCorners corners, float aspect)
    {
        ArgumentNullException.ThrowIfNull(image);
        int height = Math.Max(2, (int)MathF.Round(corners.Height));
        int width = Math.Max(2, (int)MathF.Round(height * aspect));
        Point2f[] source = [corners.TopLeft, corners.TopRight, corners.BottomRight, corners.BottomLeft];
        Point2f[] target = [new(0, 0), new(width - 1, 0), new(width - 1, height - 1), new(0, height - 1)];
        using Mat transform = Cv2.GetPerspectiveTransform(source, target);
        var rectified = new Mat();
        Cv2.WarpPerspective(image, rectified, transform, new Size(width, height), InterpolationFlags.Linear, BorderTypes.Replicate);
        return rectified;
    }

    /// <summary>
    /// A rectified double-layer plate as one line: the top line (province and letter) scaled to the bottom line's
    /// height, keeping its aspect, and set to the left of the bottom line, so that a one-line recogniser reads the
    /// whole plate in order. The caller owns the returned image.
    /// </summary>
    public static Mat JoinDoubleLayer(Mat plate)
    {
        ArgumentNullException.ThrowIfNull(plate);
        int width = plate.Width;
        int height = plate.Height;
        int topEnd = Math.Clamp((int)Math.Round(height * TopLineEnd), 1, height);
        int bottomStart = Math.Clamp((int)Math.Round(height * BottomLineStart), 0, height - 1);
        int topWidth = Math.Clamp((int)Math.Round(width * TopLineWidth), 1, width);
        int topLeft = (width - topWidth) / 2;
        using Mat top = new(plate, new Rect(topLeft, 0, topWidth, topEnd));
        using Mat bottom = new(plate, new Rect(0, bottomStart, width, height - bottomStart));
        int scaledWidth = Math.Max(1, (int)Math.Round(topWidth * (double)bottom.Height / topEnd));
        using Mat scaledTop = new();
        Cv2.Resize(top, scaledTop, new Size(scaledWidth, bottom.Height), 0, 0, InterpolationFlags.Linear);
        var joined = new Mat();
        Cv2.HConcat([scaledTop, bottom], joined);
        return joined;
    }
}
