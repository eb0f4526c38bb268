using System.Text.Json;
using CrosswalkWatch.Detector.Vehicles;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;
using OpenCvSharp;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// The vehicle section of a package, <c>vehicle.json</c> (<see cref="VehicleEvidence"/>, signed in the manifest like
/// every file): the detector's class of the vehicle's track and the body colour measured on <c>vehicle.jpg</c>, the
/// vehicle crop of the photo where the vehicle is largest. Compared with the registry by
/// <see cref="VehicleCheck.Compare(RegisteredVehicle?, VehicleEvidence?)"/> against cloned plates.
/// </summary>
public static class VehicleSection
{
    /// <summary>The margin added around the vehicle's box on each side in <c>vehicle.jpg</c>, as a share of the box.</summary>
    public const float CropMargin = 0.15f;

    /// <summary>
    /// The vehicle crop of <paramref name="picture"/> as <c>vehicle.jpg</c> holds it: the box with <see cref="CropMargin"/>
    /// around it, clamped to the picture; <paramref name="vehicle"/> is where the box itself lies in the crop.
    /// </summary>
    public static Mat Crop(Mat picture, Box box, out Rect vehicle)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var marginX = box.Width * CropMargin;
        var marginY = box.Height * CropMargin;
        var x1 = (int)Math.Clamp((box.X1 - marginX) * picture.Width, 0, picture.Width - 2);
        var y1 = (int)Math.Clamp((box.Y1 - marginY) * picture.Height, 0, picture.Height - 2);
        var x2 = (int)Math.Clamp((box.X2 + marginX) * picture.Width, x1 + 2, picture.Width);
        var y2 = (int)Math.Clamp((box.Y2 + marginY) * picture.Height, y1 + 2, picture.Height);
        var bx1 = (int)Math.Clamp(box.X1 * picture.Width, x1, x2 - 1);
        var by1 = (int)Math.Clamp(box.Y1 * picture.Height, y1, y2 - 1);
        var bx2 = (int)Math.Clamp(box.X2 * picture.Width, bx1 + 1, x2);
        var by2 = (int)Math.Clamp(box.Y2 * picture.Height, by1 + 1, y2);
        vehicle = new Rect(bx1 - x1, by1 - y1, bx2 - bx1, by2 - by1);
        return new Mat(picture, new Rect(x1, y1, x2 - x1, y2 - y1)).Clone();
    }

    /// <summary>The vehicle section measured on <paramref name="crop"/> (the package's file <paramref name="measuredOn"/>) with the track's detected <paramref name="kind"/>.</summary>
    public static VehicleEvidence Measure(Mat crop, Rect vehicle, VehicleKind? kind, string measuredOn)
    {
        var colour = BodyColourMeter.Measure(crop, vehicle);
        return new VehicleEvidence(kind is { } k ? VehicleNames.Name(k) : null, kind, colour.Colour, colour.Confidence, colour.Brightness, colour.Shares, measuredOn);
    }

    /// <summary>Writes <c>vehicle.json</c> into <paramref name="folder"/>.</summary>
    public static void Write(string folder, VehicleEvidence vehicle) =>
        File.WriteAllText(Path.Combine(folder, VehicleEvidence.FileName), JsonSerializer.Serialize(vehicle, EvidenceJson.Files));

    /// <summary>
    /// The vehicle section of a package, or null when it has none (built before it existed) or it cannot be read.
    /// Read it only from a package that verifies (<see cref="EvidenceVerifier.VerifyFor"/>): the file is trusted
    /// because the manifest's signature covers its hash.
    /// </summary>
    public static VehicleEvidence? Read(string folder)
    {
        var path = EvidenceVerifier.PathInside(Path.GetFullPath(folder), VehicleEvidence.FileName);
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<VehicleEvidence>(File.ReadAllText(path), EvidenceJson.Files);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }
}
