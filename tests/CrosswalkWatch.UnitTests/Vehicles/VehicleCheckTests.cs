using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.UnitTests.Vehicles;

/// <summary>The cloned-plate check: the vehicle in the evidence against the registry row of its plate.</summary>
public sealed class VehicleCheckTests
{
    private static readonly DateOnly Day = new(2026, 11, 28);

    private static RegisteredVehicle Row(VehicleKind? kind, BodyColour? colour, string make = "") =>
        new("F1", "京A12345", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2024, 1, 1), null) { Kind = kind, BodyColour = colour, Make = make };

    private static VehicleEvidence Seen(VehicleKind? kind, BodyColour? colour, double confidence = 0.7, double brightness = 0.7) =>
        new(kind is { } k ? VehicleNames.Name(k) : null, kind, colour, confidence, brightness, colour is { } c ? [new ColourShare(c, confidence)] : [], "vehicle.jpg");

    public static TheoryData<RegisteredVehicle?, VehicleEvidence?, VehicleVerdict, string> Table => new()
    {
        // registry row, evidence, verdict, a reason or the headline's text
        { Row(VehicleKind.Car, BodyColour.White), Seen(VehicleKind.Car, BodyColour.White), VehicleVerdict.Match, "colour: white as registered" },
        { Row(VehicleKind.Car, BodyColour.White), Seen(VehicleKind.Truck, BodyColour.Red), VehicleVerdict.Mismatch, "vehicle does not match the registry: registry says white car, evidence shows red truck" },
        { Row(VehicleKind.Car, BodyColour.White), Seen(VehicleKind.Car, BodyColour.Red), VehicleVerdict.Mismatch, "colour: registry says white, measured red (70% of the body)" },
        { Row(VehicleKind.Bus, null), Seen(VehicleKind.Car, BodyColour.Red), VehicleVerdict.Mismatch, "kind: registry says bus, detector saw car" },
        { Row(VehicleKind.Motorcycle, null), Seen(VehicleKind.Car, null), VehicleVerdict.Mismatch, "kind: registry says motorcycle, detector saw car" },
        // A COCO detector calls SUVs and vans "car" or "truck" and minibuses "bus": not a mismatch.
        { Row(VehicleKind.Suv, null), Seen(VehicleKind.Truck, null), VehicleVerdict.Match, "detected truck fits registered suv" },
        { Row(VehicleKind.Van, null), Seen(VehicleKind.Bus, null), VehicleVerdict.Match, "detected bus fits registered van" },
        { Row(VehicleKind.Suv, null), Seen(VehicleKind.Car, null), VehicleVerdict.Match, "detected car fits registered suv" },
        // Neighbour colours a camera cannot tell apart.
        { Row(null, BodyColour.Grey), Seen(VehicleKind.Car, BodyColour.White), VehicleVerdict.Match, "measured white, registered grey" },
        { Row(null, BodyColour.Red), Seen(VehicleKind.Car, BodyColour.Orange), VehicleVerdict.Match, "measured orange, registered red" },
        { Row(null, BodyColour.Black), Seen(VehicleKind.Car, BodyColour.Blue, brightness: 0.40), VehicleVerdict.Match, "measured dark blue, registered black" },
        { Row(null, BodyColour.Black), Seen(VehicleKind.Car, BodyColour.Blue, brightness: 0.60), VehicleVerdict.Mismatch, "registry says black, measured blue" },
        { Row(null, BodyColour.White), Seen(VehicleKind.Car, BodyColour.Blue, brightness: 0.40), VehicleVerdict.Mismatch, "registry says white, measured blue" },
        // Too uncertain a colour is not compared; nothing compared is unknown.
        { Row(null, BodyColour.White), Seen(VehicleKind.Car, BodyColour.Red, confidence: 0.2), VehicleVerdict.Unknown, "too uncertain to compare" },
        { Row(VehicleKind.Car, BodyColour.White), Seen(VehicleKind.Car, BodyColour.Red, confidence: 0.2), VehicleVerdict.Match, "too uncertain to compare" },
        { Row(VehicleKind.Car, BodyColour.White), Seen(null, null), VehicleVerdict.Unknown, "the detector's class is not known" },
        // Empty: no row, a row that says nothing about the vehicle (the make alone is for people), no measurement.
        { null, Seen(VehicleKind.Car, BodyColour.Red), VehicleVerdict.Unknown, "no registry row for the plate" },
        { Row(null, null), Seen(VehicleKind.Car, BodyColour.Red), VehicleVerdict.Unknown, "the registry gives neither kind nor colour" },
        { Row(null, null, "Toyota"), Seen(VehicleKind.Car, BodyColour.Red), VehicleVerdict.Unknown, "the registry gives neither kind nor colour" },
        { Row(VehicleKind.Car, BodyColour.White), null, VehicleVerdict.Unknown, "the evidence has no vehicle measurement" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Compare_RegistryRowAndEvidence_GivesVerdictAndReason(RegisteredVehicle? row, VehicleEvidence? evidence, VehicleVerdict verdict, string text)
    {
        var result = VehicleCheck.Compare(row, evidence);

        Assert.Equal(verdict, result.Verdict);
        Assert.Contains(text, string.Join("\n", [result.Headline, .. result.Reasons]), StringComparison.Ordinal);
        Assert.Equal(verdict == VehicleVerdict.Mismatch, result.Headline.StartsWith("vehicle does not match the registry", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_WithRegistry_UsesTheRowValidOnTheDate()
    {
        var handedOn = new RegistrySnapshot(
            [new Official("F1", "甲", "", "", ""), new Official("F2", "乙", "", "", "")],
            [
                Row(VehicleKind.Car, BodyColour.White) with { ValidTo = new DateOnly(2025, 12, 31) },
                Row(VehicleKind.Truck, BodyColour.Red) with { OfficialId = "F2", ValidFrom = new DateOnly(2026, 1, 1) },
            ]);
        var evidence = Seen(VehicleKind.Truck, BodyColour.Red);

        Assert.Equal(VehicleVerdict.Match, VehicleCheck.Compare(handedOn, "京A12345", Day, evidence).Verdict);
        Assert.Equal(VehicleVerdict.Mismatch, VehicleCheck.Compare(handedOn, "京A12345", new DateOnly(2025, 6, 1), evidence).Verdict);
        Assert.Equal(VehicleVerdict.Unknown, VehicleCheck.Compare(handedOn, "京B99999", Day, evidence).Verdict);
        Assert.Equal(VehicleVerdict.Unknown, VehicleCheck.Compare(handedOn, null, Day, evidence).Verdict);
        Assert.Equal(VehicleVerdict.Unknown, VehicleCheck.Compare(RegistrySnapshot.Empty, "京A12345", Day, evidence).Verdict);
    }

    [Fact]
    public void Describe_Registered_NamesColourKindAndMake()
    {
        Assert.Equal("white car, make 丰田", VehicleCheck.Describe(Row(VehicleKind.Car, BodyColour.White, "丰田")).English);
        Assert.Equal("vehicle", VehicleCheck.Describe(Row(null, null)).English);
    }

    [Theory]
    [InlineData("car", VehicleKind.Car)]
    [InlineData("bus", VehicleKind.Bus)]
    [InlineData("truck", VehicleKind.Truck)]
    [InlineData("motorcycle", VehicleKind.Motorcycle)]
    [InlineData("motorbike", VehicleKind.Motorcycle)]
    [InlineData("person", null)]
    [InlineData("bicycle", null)]
    [InlineData("", null)]
    public void KindOfDetectorLabel_CocoLabel_GivesItsKind(string label, VehicleKind? kind) =>
        Assert.Equal(kind, VehicleNames.KindOfDetectorLabel(label));
}
