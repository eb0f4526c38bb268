using CrosswalkWatch.Domain.Scene;
using OpenCvSharp;

namespace CrosswalkWatch.Media.Imaging;

/// <summary>
/// Draws a scene's geometry over a frame for operators (<c>cww scene draw</c>, the scene editor): crosswalk, stop
/// lines, lanes with their ids and direction arrows, the centre line, refuges, sidewalks, the turning movements'
/// entry regions (dashed) with their name, turn and lanes, and pedestrian signal heads. Drawing only; the
/// decisions live in <see cref="SceneModel"/> and the rule.
/// </summary>
public static class SceneOverlay
{
    private static readonly Scalar CrosswalkColour = new(255, 255, 255);
    private static readonly Scalar StopLineColour = new(0, 0, 255);
    private static readonly Scalar CenterColour = new(0, 215, 255);
    private static readonly Scalar RefugeColour = new(0, 200, 0);
    private static readonly Scalar SidewalkColour = new(160, 160, 160);
    private static readonly Scalar MovementColour = new(0, 140, 255);
    private static readonly Scalar SignalColour = new(255, 255, 0);
    private static readonly Scalar[] ApproachColours = [new(255, 160, 0), new(255, 0, 200), new(0, 160, 255), new(120, 255, 120)];

    /// <summary>Draws the scene onto <paramref name="image"/> (BGR) in place.</summary>
    public static void Draw(Mat image, SceneDefinition scene)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(scene);
        var thickness = Math.Max(1, image.Width / 480);
        for (var a = 0; a < scene.Approaches.Count; a++)
        {
            var approach = scene.Approaches[a];
            var colour = ApproachColours[a % ApproachColours.Length];
            foreach (var lane in approach.Lanes)
            {
                var polygon = Pixels(image, lane.Polygon);
                Cv2.Polylines(image, [polygon], isClosed: true, colour, thickness, LineTypes.AntiAlias);
                var center = Centroid(polygon);
                Cv2.PutText(image, lane.Id, center, HersheyFonts.HersheySimplex, 0.4 * thickness, colour, thickness, LineTypes.AntiAlias);
            }

            var arrow = Pixels(image, approach.Direction);
            Cv2.ArrowedLine(image, arrow[0], arrow[1], colour, thickness * 2, LineTypes.AntiAlias, 0, 0.05);
            Cv2.PutText(image, approach.Name, arrow[0], HersheyFonts.HersheySimplex, 0.4 * thickness, colour, thickness, LineTypes.AntiAlias);
            var stop = Pixels(image, approach.StopLine);
            Cv2.Line(image, stop[0], stop[1], StopLineColour, thickness * 2, LineTypes.AntiAlias);
        }

        Cv2.Polylines(image, [Pixels(image, scene.Crosswalk)], isClosed: true, CrosswalkColour, thickness * 2, LineTypes.AntiAlias);
        if (scene.CenterLine is { } centerLine)
        {
            var line = Pixels(image, centerLine);
            Dashed(image, line[0], line[1], CenterColour, thickness);
        }

        foreach (var refuge in scene.Refuges)
        {
            Cv2.Polylines(image, [Pixels(image, refuge)], isClosed: true, RefugeColour, thickness, LineTypes.AntiAlias);
        }

        foreach (var sidewalk in scene.Sidewalks)
        {
            Cv2.Polylines(image, [Pixels(image, sidewalk)], isClosed: true, SidewalkColour, thickness, LineTypes.AntiAlias);
        }

        foreach (var movement in scene.Movements)
        {
            var entry = Pixels(image, movement.Entry);
            for (var i = 0; i < entry.Length; i++)
            {
                Dashed(image, entry[i], entry[(i + 1) % entry.Length], MovementColour, thickness * 2);
            }

            // The label above the region's top point, kept inside the picture.
            var text = $"{movement.Name} ({TurnName(movement.Turn)}) -> {string.Join(", ", movement.Lanes)}";
            var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, 0.4 * thickness, thickness, out _);
            var top = entry.MinBy(p => p.Y);
            var at = new OpenCvSharp.Point(Math.Clamp(top.X - (size.Width / 2), 0, Math.Max(image.Width - size.Width, 0)), Math.Max(top.Y - (3 * thickness), size.Height));
            Cv2.PutText(image, text, at, HersheyFonts.HersheySimplex, 0.4 * thickness, MovementColour, thickness, LineTypes.AntiAlias);
        }

        foreach (var signal in scene.Signals)
        {
            if (signal.Box is not { Count: 2 })
            {
                continue;
            }

            // The head's box, split where the reader splits it: the red man is read above the line, the green man below.
            var corners = Pixels(image, signal.Box);
            var middle = (corners[0].Y + corners[1].Y) / 2;
            Cv2.Rectangle(image, corners[0], corners[1], SignalColour, thickness, LineTypes.AntiAlias);
            Cv2.Line(image, new OpenCvSharp.Point(corners[0].X, middle), new OpenCvSharp.Point(corners[1].X, middle), SignalColour, thickness, LineTypes.AntiAlias);
            Cv2.PutText(image, signal.Name, new OpenCvSharp.Point(corners[1].X + (3 * thickness), corners[0].Y + (10 * thickness)), HersheyFonts.HersheySimplex, 0.4 * thickness, SignalColour, thickness, LineTypes.AntiAlias);
        }
    }

    private static string TurnName(TurnDirection turn) => turn == TurnDirection.Left ? "left" : "right";

    private static OpenCvSharp.Point[] Pixels(Mat image, IReadOnlyList<IReadOnlyList<double>> points)
    {
        var pixels = new OpenCvSharp.Point[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            pixels[i] = new OpenCvSharp.Point(points[i][0] * (image.Width - 1), points[i][1] * (image.Height - 1));
        }

        return pixels;
    }

    private static OpenCvSharp.Point Centroid(OpenCvSharp.Point[] polygon) =>
        new(polygon.Average(p => p.X), polygon.Average(p => p.Y));

    private static void Dashed(Mat image, OpenCvSharp.Point a, OpenCvSharp.Point b, Scalar colour, int thickness)
    {
        var start = new Point2(a.X, a.Y);
        var step = new Point2(b.X - a.X, b.Y - a.Y);
        const int dashes = 24;
        for (var i = 0; i < dashes; i += 2)
        {
            var p = start + (step * (i / (double)dashes));
            var q = start + (step * ((i + 1) / (double)dashes));
            Cv2.Line(image, new OpenCvSharp.Point(p.X, p.Y), new OpenCvSharp.Point(q.X, q.Y), colour, thickness, LineTypes.AntiAlias);
        }
    }
}
