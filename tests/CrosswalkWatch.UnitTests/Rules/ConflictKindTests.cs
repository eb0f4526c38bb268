using System.Text.Json;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Web.Operators;

namespace CrosswalkWatch.UnitTests.Rules;

/// <summary>
/// Where a pedestrian stood, as the pages show it (a phrase of its own) and as the evidence stores it (the text the
/// rule wrote before it was an enum, so old and new packages and stored cases read alike).
/// </summary>
public class ConflictKindTests
{
    /// <summary>Each kind with the text stored before it was an enum.</summary>
    public static TheoryData<ConflictKind, string> StoredText => new()
    {
        { ConflictKind.VehicleLane, "vehicle's lane" },
        { ConflictKind.AdjacentLane, "lane beside" },
        { ConflictKind.NearHalf, "near half" },
        { ConflictKind.LaneMargin, "beside the lane" },
        { ConflictKind.CentreLine, "at the centre line" },
    };

    [Fact]
    public void Text_EachKind_IsAPhraseOfItsOwnThatFollowsThePedestrian()
    {
        var texts = ConflictKinds.All.Select(k => k.Text()).ToList();

        Assert.Equal(Enum.GetValues<ConflictKind>().Length, texts.Distinct().Count());
        Assert.All(texts, t => Assert.Matches("^(in|within|at) the [a-z' ]+$", t));
        Assert.All(texts, t => Assert.DoesNotContain("the in the", $"the pedestrian {t}", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(StoredText))]
    public void Json_EachKind_IsWrittenAsTheStoredTextAndReadBack(ConflictKind kind, string stored)
    {
        var reason = new PedestrianReason(3, new Box(0.5f, 0.5f, 0.55f, 0.7f), kind, 0.5, 0.8, 4);

        var json = JsonSerializer.Serialize(reason, EvidenceJson.Compact);

        using (var document = JsonDocument.Parse(json))
        {
            Assert.Equal(stored, document.RootElement.GetProperty("where").GetString());
        }

        Assert.Equal(reason, JsonSerializer.Deserialize<PedestrianReason>(json, EvidenceJson.Compact));
        Assert.Equal(stored, kind.WireName());
    }

    [Theory]
    [InlineData("\"vehicle's lane\"", ConflictKind.VehicleLane)]
    [InlineData("\"vehicle\\u0027s lane\"", ConflictKind.VehicleLane)] // as System.Text.Json escapes it on disk
    [InlineData("\"vehicleLane\"", ConflictKind.VehicleLane)]
    [InlineData("\"AdjacentLane\"", ConflictKind.AdjacentLane)]
    [InlineData("\"nearHalf\"", ConflictKind.NearHalf)]
    [InlineData("\"laneMargin\"", ConflictKind.LaneMargin)]
    [InlineData("\"At the Centre Line\"", ConflictKind.CentreLine)]
    public void Json_StoredTextOrName_IsRead(string where, ConflictKind expected)
    {
        Assert.Equal(expected, JsonSerializer.Deserialize<PedestrianReason>(Reason(where), EvidenceJson.Compact)!.Where);
        Assert.Equal(expected, JsonSerializer.Deserialize<ConflictKind>(where)); // the type's own converter, without options
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"in the at the centre line\"")]
    [InlineData("2")]
    [InlineData("null")]
    public void Json_AnythingElse_IsRefused(string where)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PedestrianReason>(Reason(where), EvidenceJson.Compact));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ConflictKind>(where));
    }

    /// <summary>A pedestrian's reason as stored, with <paramref name="where"/> (JSON) as its place.</summary>
    private static string Reason(string where) =>
        $$"""{"trackId":3,"box":{"x1":0.5,"y1":0.5,"x2":0.55,"y2":0.7},"where":{{where}},"lanesFromVehicleLane":0.5,"speed":0.8,"framesInConflict":4}""";

    [Fact]
    public void ReplayPedestrian_OperatorsJson_CarriesTheStoredTextAndThePhrase()
    {
        var pedestrian = new ReplayPedestrian(3, new Box(0.5f, 0.5f, 0.55f, 0.7f), ConflictKind.CentreLine, 1.1, 0.3, 6);

        using var document = JsonDocument.Parse(JsonSerializer.Serialize(pedestrian, OperatorEndpoints.Json));

        Assert.Equal("at the centre line", document.RootElement.GetProperty("where").GetString());
        Assert.Equal("at the centre line on the far half", document.RootElement.GetProperty("whereText").GetString());
    }
}
