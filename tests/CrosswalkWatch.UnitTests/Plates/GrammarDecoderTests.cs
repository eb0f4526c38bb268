using CrosswalkWatch.Detector.Plates;

namespace CrosswalkWatch.UnitTests.Plates;

public sealed class GrammarDecoderTests
{
    /// <summary>
    /// A read written as places separated by spaces; each place is the emitted symbol with its probability, then any
    /// runner-up candidates: <c>D:0.7/0:0.3</c>. The text expected and whether it is a valid plate.
    /// </summary>
    public static TheoryData<string, string, bool> Reads => new()
    {
        { "", "", false },
        { "京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 5:0.9", "京A12345", true },
        // The separator the recogniser emits takes no place.
        { "京:0.99 A:0.99 ·:0.9 1:0.9 2:0.9 3:0.9 4:0.9 5:0.9", "京A12345", true },
        // 0 where a letter must be: the letter it also saw.
        { "皖:0.99 0:0.6/D:0.4 1:0.9 6:0.9 8:0.9 D:0.9 3:0.9", "皖D168D3", true },
        // O after the second place counts as 0.
        { "沪:0.99 C:0.99 2:0.9 1:0.9 F:0.9 1:0.9 O:0.8", "沪C21F10", true },
        // A non-province character opening the plate: the province it also saw.
        { "L:0.7/辽:0.2 D:0.98 U:0.99 4:0.99 3:0.99 5:0.99 6:0.99", "辽DU4356", true },
        // A wrong special character at the end, with the right one as a runner-up (锁 for 领).
        { "沪:0.99 A:0.99 1:0.99 7:0.99 0:0.99 7:0.99 锁:0.5/领:0.3", "沪A1707领", true },
        // An unsure extra character at an end is left out.
        { "川:0.3 京:0.99 A:0.99 1:0.9 2:0.9 3:0.9 4:0.9 5:0.9", "京A12345", true },
        // New-energy: 8 characters.
        { "沪:0.99 A:0.99 F:0.99 7:0.99 1:0.99 0:0.99 1:0.99 7:0.99", "沪AF71017", true },
        // Too short for any plate: what was read, normalised, not valid.
        { "E:0.9 D:0.9 5:0.9 1:0.9", "ED51", false },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public void Decode_Read_GivesTheMostProbableTextTheGrammarAllows(string read, string text, bool valid)
    {
        PlateText plate = GrammarDecoder.Decode(Parse(read));

        Assert.Equal(text, plate.Text);
        Assert.Equal(valid, plate.Valid);
        Assert.Equal(text.Length, plate.Characters.Count);
    }

    [Fact]
    public void Decode_CorrectedCharacter_CarriesTheProbabilityOfTheCharacterChosen()
    {
        PlateText plate = GrammarDecoder.Decode(Parse("皖:0.99 0:0.6/D:0.4 1:0.9 6:0.9 8:0.9 D:0.9 3:0.9"));

        Assert.Equal(0.4f, plate.Characters[1].Confidence);
        Assert.Equal(0.4f, plate.MinConfidence);
    }

    /// <summary>Builds reads from the compact form of <see cref="Reads"/>.</summary>
    internal static List<PlateCharacter> Parse(string read)
    {
        var places = new List<PlateCharacter>();
        foreach (string place in read.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidates = place.Split('/')
                .Select(c => new CharCandidate(c[0], float.Parse(c[2..], System.Globalization.CultureInfo.InvariantCulture)))
                .ToList();
            places.Add(new PlateCharacter(candidates[0].Symbol, candidates[0].Probability, candidates));
        }

        return places;
    }
}
