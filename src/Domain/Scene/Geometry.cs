namespace CrosswalkWatch.Domain.Scene;

/// <summary>A point in normalised image coordinates (0–1, origin top-left).</summary>
public readonly record struct Point2(double X, double Y)
{
    public static Point2 operator +(Point2 a, Point2 b) => new(a.X + b.X, a.Y + b.Y);

    public static Point2 operator -(Point2 a, Point2 b) => new(a.X - b.X, a.Y - b.Y);

    public static Point2 operator *(Point2 a, double k) => new(a.X * k, a.Y * k);

    public double Dot(Point2 other) => (X * other.X) + (Y * other.Y);

    /// <summary>The z of the cross product: positive when <paramref name="other"/> turns clockwise in image coordinates.</summary>
    public double Cross(Point2 other) => (X * other.Y) - (Y * other.X);

    public double Length => Math.Sqrt((X * X) + (Y * Y));

    public Point2 Normalized() => Length == 0 ? this : this * (1 / Length);

    /// <summary>The same direction turned a quarter: (−y, x).</summary>
    public Point2 Perpendicular() => new(-Y, X);

    public static Point2 From(IReadOnlyList<double> xy) => new(xy[0], xy[1]);
}

/// <summary>Plane geometry on polygons and segments, small and pure: what scenes and the yield rule are made of.</summary>
public static class Geometry
{
    public static Point2[] Points(IReadOnlyList<IReadOnlyList<double>> list)
    {
        var points = new Point2[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            points[i] = Point2.From(list[i]);
        }

        return points;
    }

    /// <summary>Signed area (positive for clockwise order in image coordinates, y down).</summary>
    public static double SignedArea(ReadOnlySpan<Point2> polygon)
    {
        double sum = 0;
        for (var i = 0; i < polygon.Length; i++)
        {
            sum += polygon[i].Cross(polygon[(i + 1) % polygon.Length]);
        }

        return sum / 2;
    }

    public static bool IsConvex(ReadOnlySpan<Point2> polygon)
    {
        if (polygon.Length < 3)
        {
            return false;
        }

        var sign = 0;
        for (var i = 0; i < polygon.Length; i++)
        {
            var a = polygon[i];
            var b = polygon[(i + 1) % polygon.Length];
            var c = polygon[(i + 2) % polygon.Length];
            var turn = (b - a).Cross(c - b);
            if (Math.Abs(turn) < 1e-12)
            {
                continue;
            }

            var s = Math.Sign(turn);
            if (sign != 0 && s != sign)
            {
                return false;
            }

            sign = s;
        }

        return sign != 0;
    }

    /// <summary>Point in polygon (even-odd rule); points on an edge may fall either way.</summary>
    public static bool Contains(ReadOnlySpan<Point2> polygon, Point2 p)
    {
        var inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            var a = polygon[i];
            var b = polygon[j];
            if ((a.Y > p.Y) != (b.Y > p.Y) && p.X < ((b.X - a.X) * (p.Y - a.Y) / (b.Y - a.Y)) + a.X)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>
    /// The part of <paramref name="subject"/> inside the convex polygon <paramref name="clip"/> (Sutherland–Hodgman);
    /// empty when they do not overlap.
    /// </summary>
    public static Point2[] ClipToConvex(ReadOnlySpan<Point2> subject, ReadOnlySpan<Point2> clip)
    {
        var output = new List<Point2>(subject.ToArray());
        var orientation = Math.Sign(SignedArea(clip));
        for (var i = 0; i < clip.Length && output.Count > 0; i++)
        {
            var a = clip[i];
            var b = clip[(i + 1) % clip.Length];
            var input = output;
            output = new List<Point2>(input.Count + 2);
            for (var k = 0; k < input.Count; k++)
            {
                var current = input[k];
                var previous = input[(k + input.Count - 1) % input.Count];
                var currentIn = Side(a, b, current) * orientation >= 0;
                var previousIn = Side(a, b, previous) * orientation >= 0;
                if (currentIn)
                {
                    if (!previousIn)
                    {
                        output.Add(Intersect(previous, current, a, b));
                    }

                    output.Add(current);
                }
                else if (previousIn)
                {
                    output.Add(Intersect(previous, current, a, b));
                }
            }
        }

        return [.. output];
    }

    /// <summary>Which side of the line a→b the point is on: positive, negative, or 0 on it.</summary>
    public static double Side(Point2 a, Point2 b, Point2 p) => (b - a).Cross(p - a);

    /// <summary>Where segment p→q meets the infinite line a→b.</summary>
    public static Point2 Intersect(Point2 p, Point2 q, Point2 a, Point2 b)
    {
        var r = q - p;
        var s = b - a;
        var denominator = r.Cross(s);
        if (Math.Abs(denominator) < 1e-15)
        {
            return p;
        }

        var t = (a - p).Cross(s) / denominator;
        return p + (r * t);
    }

    /// <summary>The lowest and highest projection of the points onto the axis.</summary>
    public static (double Min, double Max) Extent(ReadOnlySpan<Point2> points, Point2 axis)
    {
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        foreach (var p in points)
        {
            var v = p.Dot(axis);
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }
}
