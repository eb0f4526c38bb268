using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Domain.Plates;
using OpenCvSharp;

namespace CrosswalkWatch.UnitTests.Plates;

public sealed class PlateGeometryTests
{
    /// <summary>Corners of a 100 × 40 rectangle at (10, 20), margins, and the corners expected (worked by hand).</summary>
    public static TheoryData<float, float, float[]> Expansions => new()
    {
        { 0f, 0f, [10, 20, 110, 20, 110, 60, 10, 60] },
        { 0.1f, 0f, [0, 20, 120, 20, 120, 60, 0, 60] },
        { 0f, 0.25f, [10, 10, 110, 10, 110, 70, 10, 70] },
        { 0.05f, 0.5f, [5, 0, 115, 0, 115, 80, 5, 80] },
    };

    [Theory]
    [MemberData(nameof(Expansions))]
    public void Expand_Margins_PushCornersOutAlongTheEdges(float marginX, float marginY, float[] expected)
    {
        var corners = new PlateCorners(new Point2f(10, 20), new Point2f(110, 20), new Point2f(110, 60), new Point2f(10, 60));

        PlateCorners expanded = corners.Expand(marginX, marginY);

        float[] actual = [expanded.TopLeft.X, expanded.TopLeft.Y, expanded.TopRight.X, expanded.TopRight.Y,
            expanded.BottomRight.X, expanded.BottomRight.Y, expanded.BottomLeft.X, expanded.BottomLeft.Y];
        Assert.Equal(expected, actual, (a, b) => Math.Abs(a - b) < 1e-3);
    }

    [Fact]
    public void Rectify_TiltedQuadrilateral_BecomesAnUprightPlateOfTheGivenAspect()
    {
        // A tilted plate: red top-left quarter, green top-right, blue bottom-right, white bottom-left, on black.
        using var image = new Mat(200, 300, MatType.CV_8UC3, Scalar.Black);
        Point[] quad = [new(50, 60), new(250, 40), new(260, 120), new(40, 140)];
        Point centre = new(150, 90);
        Scalar[] colours = [Scalar.Red, Scalar.Lime, Scalar.Blue, Scalar.White];
        for (int i = 0; i < 4; i++)
        {
            Point a = quad[i];
            Point next = quad[(i + 1) % 4];
            Point previous = quad[(i + 3) % 4];
            Point[] quarter = [a, Mid(a, next), centre, Mid(a, previous)];
            Cv2.FillConvexPoly(image, quarter, colours[i]);
        }

        var corners = new PlateCorners(F(quad[0]), F(quad[1]), F(quad[2]), F(quad[3]));

        using Mat plate = PlateGeometry.Rectify(image, corners, aspect: 3f);

        int height = (int)MathF.Round(corners.Height);
        Assert.Equal(height, plate.Height);
        Assert.Equal(height * 3, plate.Width);
        Assert.Equal(new Vec3b(0, 0, 255), plate.At<Vec3b>(5, 5));                               // red, BGR
        Assert.Equal(new Vec3b(0, 255, 0), plate.At<Vec3b>(5, plate.Width - 6));                  // green
        Assert.Equal(new Vec3b(255, 0, 0), plate.At<Vec3b>(plate.Height - 6, plate.Width - 6));   // blue
        Assert.Equal(new Vec3b(255, 255, 255), plate.At<Vec3b>(plate.Height - 6, 5));             // white
    }

    [Fact]
    public void JoinDoubleLayer_TwoLines_TopLineScaledToTheBottomLinesHeightOnItsLeft()
    {
        // 200 × 120: the top 5/12 (50 rows) red, the rest blue.
        using var plate = new Mat(120, 200, MatType.CV_8UC3, Scalar.Blue);
        plate[new Rect(0, 0, 200, 50)].SetTo(Scalar.Red);

        using Mat joined = PlateGeometry.JoinDoubleLayer(plate);

        // Bottom line: rows 40–119 (80 rows), 200 wide. Top line: the middle 140 columns of rows 0–49, scaled by 80/50.
        Assert.Equal(80, joined.Height);
        Assert.Equal(224 + 200, joined.Width);
        Assert.Equal(new Vec3b(0, 0, 255), joined.At<Vec3b>(40, 100));      // the top line, red
        Assert.Equal(new Vec3b(255, 0, 0), joined.At<Vec3b>(79, 224 + 100)); // the bottom line, blue
    }

    public static TheoryData<string, int, int, PlateColour> Colours => new()
    {
        { "blue with white characters", 0x1f4fb0, 0xffffff, PlateColour.Blue },
        { "dark blue at dusk", 0x0a1e50, 0xb0b0b0, PlateColour.Blue },
        { "yellow with black characters", 0xe0b020, 0x101010, PlateColour.Yellow },
        { "green new-energy", 0x70d090, 0x101010, PlateColour.Green },
        { "white police", 0xe8e8e8, 0x101010, PlateColour.White },
        { "black consulate", 0x181818, 0xf0f0f0, PlateColour.Black },
    };

    [Theory]
    [MemberData(nameof(Colours))]
    public void Classify_PlateBackground_GivesItsColour(string what, int background, int characters, PlateColour expected)
    {
        using var plate = new Mat(60, 200, MatType.CV_8UC3, Rgb(background));
        for (int x = 20; x < 180; x += 25)
        {
            plate[new Rect(x, 12, 10, 36)].SetTo(Rgb(characters)); // character strokes, about a fifth of the plate
        }

        Assert.True(expected == PlateColourClassifier.Classify(plate), what);
    }

    [Fact]
    public void Classify_TooSmall_IsUnknown()
    {
        using var plate = new Mat(4, 4, MatType.CV_8UC3, Scalar.Blue);

        Assert.Equal(PlateColour.Unknown, PlateColourClassifier.Classify(plate));
    }

    private static Point2f F(Point p) => new(p.X, p.Y);

    private static Point Mid(Point a, Point b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);

    private static Scalar Rgb(int rgb) => new(rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff);
}
