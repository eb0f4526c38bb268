using CrosswalkWatch.Domain.Health;

namespace CrosswalkWatch.Domain.Scene;

/// <summary>
/// A scene moved with its camera: every point drawn on the reference view put where the live view now shows it,
/// by the move and turn the view check measured (<see cref="ViewShift"/>), so that an operator can put a knocked
/// camera's scene right in one step. Points that would leave the picture stay on its edge.
/// </summary>
public static class SceneShift
{
    /// <summary>The scene with every point moved by <paramref name="shift"/>, in a picture of <paramref name="width"/> × <paramref name="height"/> (the turn is about its centre, in pixels).</summary>
    public static SceneDefinition Apply(SceneDefinition scene, ViewShift shift, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(shift);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var radians = shift.Degrees * Math.PI / 180;
        var (cos, sin) = (Math.Cos(radians), Math.Sin(radians));
        var (cx, cy) = ((width - 1) / 2.0, (height - 1) / 2.0);

        IReadOnlyList<double> Point(IReadOnlyList<double> p)
        {
            double x = (p[0] * width) - cx, y = (p[1] * height) - cy;
            var movedX = cx + (cos * x) - (sin * y) + (shift.X * width);
            var movedY = cy + (sin * x) + (cos * y) + (shift.Y * height);
            return [Math.Round(Math.Clamp(movedX / width, 0, 1), 4), Math.Round(Math.Clamp(movedY / height, 0, 1), 4)];
        }

        IReadOnlyList<IReadOnlyList<double>> Points(IReadOnlyList<IReadOnlyList<double>> points) => [.. points.Select(Point)];

        // A signal head stays an upright box: the box around its moved corners.
        IReadOnlyList<IReadOnlyList<double>> Box(IReadOnlyList<IReadOnlyList<double>> box)
        {
            var corners = Points([box[0], [box[1][0], box[0][1]], box[1], [box[0][0], box[1][1]]]);
            return [[corners.Min(c => c[0]), corners.Min(c => c[1])], [corners.Max(c => c[0]), corners.Max(c => c[1])]];
        }

        return scene with
        {
            Crosswalk = Points(scene.Crosswalk),
            CenterLine = scene.CenterLine is { } centre ? Points(centre) : null,
            Approaches = [.. scene.Approaches.Select(a => a with
            {
                Direction = Points(a.Direction),
                StopLine = Points(a.StopLine),
                Lanes = [.. a.Lanes.Select(l => l with { Polygon = Points(l.Polygon) })],
            })],
            Refuges = [.. scene.Refuges.Select(Points)],
            Sidewalks = [.. scene.Sidewalks.Select(Points)],
            Movements = [.. scene.Movements.Select(m => m with { Entry = Points(m.Entry) })],
            Signals = [.. scene.Signals.Select(s => s with { Box = s.Box.Count == 2 ? Box(s.Box) : Points(s.Box) })],
        };
    }
}
