using System.Globalization;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Evidence;
using OpenCvSharp;
using Xunit.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Vehicles;

/// <summary>
/// The body colour measured on the real vehicle photos (<see cref="VehiclePhotos"/>, labelled by eye), through the
/// evidence path: the vehicle crop as <c>vehicle.jpg</c> holds it (the box and its margin), then the measurement.
/// </summary>
public sealed class BodyColourPhotoTests(ITestOutputHelper output)
{
    public static TheoryData<int> Photos() => [.. Enumerable.Range(0, VehiclePhotos.All.Count)];

    [Theory]
    [MemberData(nameof(Photos))]
    public void Measure_LabelledRealPhoto_GivesItsColourOrANeighbour(int index)
    {
        var photo = VehiclePhotos.All[index];
        var measured = MeasureOnCrop(photo);

        output.WriteLine($"{photo}: measured {Describe(measured)}");
        Assert.NotNull(measured.Colour);
        Assert.True(VehicleCheck.ColourFits(measured.Colour!.Value, measured.Brightness, photo.Colour), $"{photo}: labelled {VehicleNames.Name(photo.Colour)}, measured {Describe(measured)}");
    }

    [Fact]
    public void Measure_AllLabelledPhotos_ReportsAccuracy()
    {
        int exact = 0, near = 0;
        foreach (var photo in VehiclePhotos.All)
        {
            var measured = MeasureOnCrop(photo);
            var colour = measured.Colour;
            exact += colour == photo.Colour ? 1 : 0;
            near += colour is { } c && VehicleCheck.ColourFits(c, measured.Brightness, photo.Colour) ? 1 : 0;
            output.WriteLine($"{photo.File,-22} labelled {VehicleNames.Name(photo.Colour),-7} measured {Describe(measured)}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact {exact}/{VehiclePhotos.All.Count}, fits (exact, neighbour, or dark where black) {near}/{VehiclePhotos.All.Count}"));
        Assert.Equal(VehiclePhotos.All.Count, near);
    }

    private static Detector.Vehicles.BodyColourMeasurement MeasureOnCrop(VehiclePhoto photo)
    {
        using var picture = Cv2.ImRead(photo.Path, ImreadModes.Color);
        Assert.False(picture.Empty(), $"{photo.Path} could not be read");
        using var crop = VehicleSection.Crop(picture, new Box(photo.X1, photo.Y1, photo.X2, photo.Y2), out var vehicle);
        return Detector.Vehicles.BodyColourMeter.Measure(crop, vehicle);
    }

    private static string Describe(Detector.Vehicles.BodyColourMeasurement m) =>
        string.Create(CultureInfo.InvariantCulture, $"(brightness {m.Brightness:0.00}) ") + string.Join(", ", m.Shares.Take(4).Select(s => string.Create(CultureInfo.InvariantCulture, $"{VehicleNames.Name(s.Colour)} {s.Share:P0}")));
}
