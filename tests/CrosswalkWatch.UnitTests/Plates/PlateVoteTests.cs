using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.UnitTests.Plates;

public sealed class PlateVoteTests
{
    /// <summary>Reads of one vehicle (compact form of <see cref="GrammarDecoderTests.Reads"/>, '|' between reads), the voted text (null: no vote) and its votes per character.</summary>
    public static TheoryData<string, string?, int[]> Tracks => new()
    {
        { "", null, [] },
        { "E:0.9 D:0.9", "ED", [1, 1] },
        { "京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 5:0.9", "京A12345", [1, 1, 1, 1, 1, 1, 1] },
        // Two reads against one per character.
        { "京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 5:0.9 | 京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 6:0.9 | 京:0.99 B:0.99 1:0.9 2:0.9 3:0.9 4:0.9 5:0.9",
          "京A12345", [3, 2, 3, 3, 3, 3, 2] },
        // A sure read beats two unsure ones at one place, because runner-ups vote with their probability.
        { "京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 8:0.99/B:0.01 | 京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 B:0.4/8:0.35 | 京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 B:0.4/8:0.35",
          "京A12348", [3, 3, 3, 3, 3, 3, 1] },
        // A read the grammar refuses does not vote while valid reads exist.
        { "京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 5:0.9 | A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 5:0.9", "京A12345", [1, 1, 1, 1, 1, 1, 1] },
    };

    [Theory]
    [MemberData(nameof(Tracks))]
    public void Vote_Reads_ChoosesPerCharacterWithItsVotes(string reads, string? text, int[] votes)
    {
        VotedPlate? voted = PlateVote.Vote(Reads(reads));

        Assert.Equal(text, voted?.Text);
        Assert.Equal(votes, voted?.Characters.Select(c => c.Votes).ToArray() ?? []);
    }

    [Fact]
    public void Vote_Disagreement_LowersThatCharactersConfidenceOnly()
    {
        VotedPlate voted = PlateVote.Vote(Reads(
            "京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 5:0.9 | 京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 6:0.9"))!;

        Assert.Equal(0.99f, voted.Characters[0].Confidence, 3);
        Assert.InRange(voted.Characters[6].Confidence, 0.4f, 0.5f);
        Assert.Equal(voted.Characters[6].Confidence, voted.MinConfidence);
        Assert.Equal(PlateColour.Blue, voted.Colour);
        Assert.True(voted.Valid);
        Assert.Equal(2, voted.Reads);
    }

    private static List<(PlateText, PlateColour)> Reads(string reads) =>
        [.. reads.Split('|', StringSplitOptions.RemoveEmptyEntries)
            .Select(read => (GrammarDecoder.Decode(GrammarDecoderTests.Parse(read)), PlateColour.Blue))];
}
