using System.Text.Json;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.UnitTests.Plates;

/// <summary>
/// The plate read a case keeps (plate_read_json): one record for the edge box that writes it and the central site,
/// review and police page that read it, in the same JSON cases already stored hold.
/// </summary>
public class PlateReadingTests
{
    // As stored by boxes before the record existed (an anonymous summary serialised with the same options).
    private const string Stored = """{"text":"京A12345","valid":true,"colour":"Blue","minConfidence":0.61,"reads":3,"validReads":3,"agreeing":2,"doubt":"character 7 at 0.61, below 0.8","characters":[{"symbol":"京","confidence":0.99,"votes":3},{"symbol":"A","confidence":0.98,"votes":3}]}""";

    [Fact]
    public void StoredJson_ReadsBackAsTheRecord_AndWritesTheSameJson()
    {
        var reading = JsonSerializer.Deserialize<PlateReading>(Stored, EvidenceJson.Compact)!;

        Assert.Equal("京A12345", reading.Text);
        Assert.Equal("Blue", reading.Colour);
        Assert.Equal("character 7 at 0.61, below 0.8", reading.Doubt);
        Assert.Equal(2, reading.Characters.Count);
        Assert.Equal("京", reading.Characters[0].Symbol);
        Assert.Equal(3, reading.Characters[1].Votes);
        Assert.Equal(Stored, JsonSerializer.Serialize(reading, EvidenceJson.Compact).Replace("\\u4EAC", "京", StringComparison.Ordinal));
    }

    [Fact]
    public void Of_AVotedPlate_KeepsItsCharactersColourAndDoubt()
    {
        var voted = new VotedPlate("京A12345", true, [new VotedCharacter('京', 0.99f, 3), new VotedCharacter('A', 0.5f, 2)], PlateColour.Blue, 3, 3) { Agreeing = 2, ValidReads = 3 };

        var reading = PlateReading.Of(voted, "the reads disagree");

        Assert.Equal("Blue", reading.Colour);
        Assert.Equal(0.5f, reading.MinConfidence);
        Assert.Equal(2, reading.Agreeing);
        Assert.Equal(3, reading.ValidReads);
        Assert.Equal("the reads disagree", reading.Doubt);
        Assert.Equal(["京", "A"], reading.Characters.Select(c => c.Symbol));
        Assert.Null(PlateReading.Of(voted, null).Doubt);
    }
}
