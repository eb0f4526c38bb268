using CrosswalkWatch.Domain.Officials;

namespace CrosswalkWatch.Testing;

/// <summary>
/// One vehicle in one of the real photos of <c>data/plates/vehicles</c> (<see cref="TestAssets.Plates"/>), labelled by
/// eye for these tests (the shared folder's ground_truth.csv gives plates only): the vehicle's box in 0–1 of the
/// picture as a detector would give it, its body colour and kind as a registry would write them, and what was seen.
/// </summary>
internal sealed record VehiclePhoto(string File, float X1, float Y1, float X2, float Y2, BodyColour Colour, VehicleKind Kind, string Seen)
{
    public string Path => System.IO.Path.Combine(TestAssets.Plates("vehicles"), File);

    public override string ToString() => $"{File} ({Seen})";
}

/// <summary>The labelled vehicles of the real photos: the catalogue the body-colour tests run on.</summary>
internal static class VehiclePhotos
{
    public static IReadOnlyList<VehiclePhoto> All { get; } =
    [
        new("hyper_1.jpg", 0.25f, 0.22f, 0.80f, 0.78f, BodyColour.Blue, VehicleKind.Truck, "blue FORLAND light truck, front, from above; blurred windscreen"),
        new("hyper_2.png", 0.05f, 0.05f, 1.00f, 1.00f, BodyColour.Orange, VehicleKind.Car, "matt orange small car, close-up of the front bumper, pale blue trim above"),
        new("hyper_test_img.jpg", 0.31f, 0.31f, 0.985f, 0.91f, BodyColour.White, VehicleKind.Car, "white Geely saloon, three-quarter front, parked in daylight"),
        new("we_double_yellow.jpg", 0.216f, 0.148f, 0.77f, 0.887f, BodyColour.White, VehicleKind.Van, "white Jinbei van from behind, dark rear window"),
        new("we_police.png", 0.04f, 0.08f, 0.835f, 0.91f, BodyColour.White, VehicleKind.Suv, "white Toyota Land Cruiser police SUV, front, chrome grille"),
        new("we_shi_lin_guan.jpg", 0.17f, 0.27f, 0.845f, 0.833f, BodyColour.Black, VehicleKind.Car, "black Maybach saloon, front, chrome grille and bumper strip"),
        new("we_single_blue.png", 0.21f, 0.31f, 0.836f, 0.775f, BodyColour.Red, VehicleKind.Car, "red Roewe hatchback, three-quarter front, wet street"),
        new("we_single_blue.png", 0.834f, 0.30f, 1.0f, 0.49f, BodyColour.White, VehicleKind.Car, "white Honda Fit behind it (the plate 辽DU4356), cut by the frame"),
        new("we_single_green.png", 0.02f, 0.0f, 0.925f, 0.94f, BodyColour.Blue, VehicleKind.Suv, "dark blue BMW X1, front, reflections of the building on the bonnet"),
        new("we_single_yellow.jpg", 0.11f, 0.127f, 0.956f, 0.886f, BodyColour.Black, VehicleKind.Car, "black Lincoln Town Car, three-quarter front, chrome grille"),
    ];
}
