using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Domain.Sites;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;

namespace CrosswalkWatch.IntegrationTests.Vehicles;

/// <summary>
/// The vehicle section of a real built package (EvidenceBuilder on a real photo of a red car): the detected class and
/// the measured body colour in the signed vehicle.json, the cloned-plate check against the registry, and an edited
/// vehicle.json refused.
/// </summary>
public sealed class VehicleEvidenceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 1, 30, 0, TimeSpan.Zero);
    private static readonly EvidenceSigner Signer = EvidencePackages.Signer;

    /// <summary>The box's key registered for its site, as the central site keeps it.</summary>
    private static readonly EvidenceKeys Keys = new([new SiteKey("jn-0417", Signer.KeyId, Signer.PublicKeyPem, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero))], EvidencePackages.LegacyKey);
    private static readonly VehiclePhoto RedCar = VehiclePhotos.All.Single(p => p.File == "we_single_blue.png" && p.Colour == BodyColour.Red);

    [Fact]
    public async Task Build_CarTrack_WritesTheSignedVehicleSectionWithClassAndMeasuredColour()
    {
        using var temp = new TempFolder();
        var package = await BuildAsync(temp.Path);

        var file = Assert.Single(package.Manifest.Files, f => f.Name == VehicleEvidence.FileName);
        Assert.Equal("vehicle", file.Role);
        Assert.Empty((await EvidenceVerifier.VerifyAsync(package.Folder, Keys)).Problems);
        var vehicle = VehicleSection.Read(package.Folder);
        Assert.NotNull(vehicle);
        Assert.Equal(("car", VehicleKind.Car, BodyColour.Red, "vehicle.jpg"), (vehicle.DetectedClass, vehicle.Kind, vehicle.Colour, vehicle.MeasuredOn));
        Assert.InRange(vehicle.ColourConfidence, VehicleCheck.MinColourConfidence, 1);
        Assert.Equal(BodyColour.Red, vehicle.Shares[0].Colour);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(package.Folder, VehicleEvidence.FileName)));
        Assert.Equal("red", json.RootElement.GetProperty("colour").GetString()); // names, not numbers, for people reading the package
        Assert.Equal("car", json.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Check_RegistrySaysWhiteCar_IsAMismatchNamingBoth_AndTheRightRowMatches()
    {
        using var temp = new TempFolder();
        var package = await BuildAsync(temp.Path);
        var record = Record(package);

        var verified = (await EvidenceVerifier.VerifyForAsync(record, Keys)).Intact;
        var cloned = CaseVehicle.Check(record, Registry(BodyColour.White), TimeZoneInfo.Utc, verified);
        var own = CaseVehicle.Check(record, Registry(BodyColour.Red), TimeZoneInfo.Utc, verified);

        Assert.Equal(VehicleVerdict.Mismatch, cloned.Verdict);
        Assert.Equal("vehicle does not match the registry: registry says white car, make Roewe, evidence shows red car", cloned.Headline);
        Assert.Equal(VehicleVerdict.Match, own.Verdict);
    }

    [Fact]
    public async Task Check_VehicleJsonEditedToHideTheMismatch_TheEvidenceNoLongerVerifiesAndNothingIsRead()
    {
        using var temp = new TempFolder();
        var package = await BuildAsync(temp.Path);
        var path = Path.Combine(package.Folder, VehicleEvidence.FileName);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\"colour\": \"red\"", "\"colour\": \"white\"", StringComparison.Ordinal));
        Assert.Equal(BodyColour.White, VehicleSection.Read(package.Folder)?.Colour); // the attack changed the file

        var problems = (await EvidenceVerifier.VerifyAsync(package.Folder, Keys)).Problems;
        var check = CaseVehicle.Check(Record(package), Registry(BodyColour.White), TimeZoneInfo.Utc, (await EvidenceVerifier.VerifyForAsync(Record(package), Keys)).Intact);

        Assert.Contains(problems, p => p.StartsWith("vehicle.json: sha256", StringComparison.Ordinal));
        Assert.Equal(VehicleVerdict.Unknown, check.Verdict);
        Assert.Contains("does not verify", Assert.Single(check.Reasons), StringComparison.Ordinal);
    }

    private static async Task<EvidencePackage> BuildAsync(string root)
    {
        var site = new EvidenceSite("jn-0417", "解放路/人民路", TimeZoneInfo.Utc, Signer);
        var builder = new EvidenceBuilder(root, site);
        var box = new Box(RedCar.X1, RedCar.Y1, RedCar.X2, RedCar.Y2);
        var candidate = new ViolationCandidate(
            "cam1",
            7,
            "T1",
            "towards the camera",
            new YieldMoment(1, Start.AddSeconds(5), box),
            new YieldMoment(2, Start.AddSeconds(6), box),
            new YieldMoment(3, Start.AddSeconds(7), box),
            1.6,
            false,
            []) { VehicleKind = VehicleKind.Car };
        return await builder.BuildAsync(candidate, new EvidenceCamera("cam1", "北进口", "southbound"), new StillEvidenceSource(RedCar.Path));
    }

    /// <summary>The case the package backs, its plate the registry's 京A12345.</summary>
    private static CaseRecord Record(EvidencePackage package) =>
        new(package.CaseId, "jn-0417", "cam1", package.Manifest.EventAt, "T1", "towards the camera", 7, CaseStatus.Candidate, package.Folder, "{}", package.Manifest.Signature, Start)
        {
            Plate = "京A12345",
            MatchKind = MatchKind.Exact,
            OfficialId = "F1",
        };

    private static RegistrySnapshot Registry(BodyColour colour) => new(
        [new Official("F1", "示例", "市交通运输局", "市委组织部", "")],
        [new RegisteredVehicle("F1", "京A12345", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2020, 1, 1), null) { Kind = VehicleKind.Car, BodyColour = colour, Make = "Roewe" }]);
}
