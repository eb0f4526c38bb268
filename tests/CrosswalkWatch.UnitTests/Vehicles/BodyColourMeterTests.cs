using CrosswalkWatch.Detector.Vehicles;
using CrosswalkWatch.Domain.Officials;
using OpenCvSharp;

namespace CrosswalkWatch.UnitTests.Vehicles;

/// <summary>The body colour measured on synthetic vehicle crops: solid colours, with glass, grille, shadow and background around the body.</summary>
public sealed class BodyColourMeterTests
{
    /// <summary>Solid BGR paint (as a camera sees it in daylight) and the colour it must be named.</summary>
    public static TheoryData<byte, byte, byte, BodyColour> Paints => new()
    {
        { 235, 235, 235, BodyColour.White },
        { 150, 150, 150, BodyColour.Grey },
        { 20, 20, 20, BodyColour.Black },
        { 30, 30, 200, BodyColour.Red },
        { 20, 110, 240, BodyColour.Orange },
        { 30, 210, 230, BodyColour.Yellow },
        { 60, 160, 40, BodyColour.Green },
        { 180, 80, 20, BodyColour.Blue },
        { 150, 40, 110, BodyColour.Purple },
        { 190, 150, 250, BodyColour.Pink },
        { 30, 60, 100, BodyColour.Brown },
    };

    [Theory]
    [MemberData(nameof(Paints))]
    public void Measure_SolidCrop_NamesItsColour(byte b, byte g, byte r, BodyColour colour)
    {
        using var crop = new Mat(120, 200, MatType.CV_8UC3, new Scalar(b, g, r));

        var measured = BodyColourMeter.Measure(crop);

        Assert.Equal(colour, measured.Colour);
        Assert.Equal(1.0, measured.Confidence, 3);
        Assert.Equal(colour, Assert.Single(measured.Shares).Colour);
    }

    [Theory]
    [MemberData(nameof(Paints))]
    public void Measure_CarWithGlassGrilleShadowAndBackground_NamesTheBody(byte b, byte g, byte r, BodyColour colour)
    {
        using var picture = SyntheticCar(new Scalar(b, g, r));

        var measured = BodyColourMeter.Measure(picture, new Rect(40, 30, 320, 200));

        Assert.Equal(colour, measured.Colour);
    }

    [Fact]
    public void Measure_EmptyOrTinyRegion_MeasuresNothing()
    {
        using var picture = new Mat(100, 100, MatType.CV_8UC3, new Scalar(30, 30, 200));

        Assert.Null(BodyColourMeter.Measure(picture, new Rect(0, 0, 0, 0)).Colour);
        Assert.Null(BodyColourMeter.Measure(picture, new Rect(10, 10, 6, 6)).Colour);
        Assert.Null(BodyColourMeter.Measure(picture, new Rect(200, 200, 50, 50)).Colour); // outside the picture
    }

    [Fact]
    public void Measure_NotBgr_IsRefused()
    {
        using var grey = new Mat(100, 100, MatType.CV_8UC1, Scalar.All(128));

        Assert.Throws<ArgumentException>(() => BodyColourMeter.Measure(grey));
    }

    /// <summary>
    /// A 400×260 picture: grey road, a vehicle box at (40,30) 320×200 with a dark windscreen across its top third,
    /// the painted body below, a black grille and a light plate in its lower middle, tyres and a shadow at the bottom.
    /// </summary>
    private static Mat SyntheticCar(Scalar paint)
    {
        var picture = new Mat(260, 400, MatType.CV_8UC3, new Scalar(110, 112, 115)); // asphalt
        Cv2.Rectangle(picture, new Rect(40, 30, 320, 200), paint, -1); // body
        Cv2.Rectangle(picture, new Rect(70, 30, 260, 70), new Scalar(35, 30, 30), -1); // windscreen
        Cv2.Rectangle(picture, new Rect(140, 140, 120, 40), new Scalar(15, 15, 15), -1); // grille
        Cv2.Rectangle(picture, new Rect(170, 185, 60, 18), new Scalar(200, 120, 20), -1); // blue plate
        Cv2.Rectangle(picture, new Rect(50, 205, 60, 25), new Scalar(10, 10, 10), -1); // tyres
        Cv2.Rectangle(picture, new Rect(290, 205, 60, 25), new Scalar(10, 10, 10), -1);
        Cv2.Rectangle(picture, new Rect(30, 228, 340, 32), new Scalar(45, 45, 48), -1); // shadow under it
        return picture;
    }
}
