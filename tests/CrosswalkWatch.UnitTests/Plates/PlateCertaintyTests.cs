using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.UnitTests.Plates;

public class PlateCertaintyTests
{
    private static VotedPlate Plate(string text, float weakest, int reads, int agreeing) =>
        new(text, PlateGrammar.IsValid(text), text.Select((c, i) => new VotedCharacter(c, i == 3 ? weakest : 0.99f, reads)).ToList(), PlateColour.Blue, reads, reads) { Agreeing = agreeing, ValidReads = PlateGrammar.IsValid(text) ? reads : 0 };

    public static TheoryData<string, float, int, int, bool, string?> Cases => new()
    {
        { "京A12345", 0.95f, 3, 3, true, null },
        { "京A12345", 0.60f, 3, 3, true, null },                       // at the threshold: sure
        { "京A12345", 0.59f, 3, 3, true, "character 4 '2' read with confidence 0.59" },
        { "京A12345", 0.95f, 3, 2, true, "the photos disagree: 2 of 3 valid reads" },
        { "京A12345", 0.95f, 1, 1, true, "only 1 of 1 photos read a whole plate" },
        { "京A12345", 0.95f, 1, 1, false, null },                      // agreement not asked for
        { "京A1234", 0.95f, 3, 3, true, "not a valid plate" },
        { "", 0f, 0, 0, true, "not a valid plate" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Doubt_VotedPlate_SureOnlyWhenValidConfidentAndAgreed(string text, float weakest, int reads, int agreeing, bool requireAgreement, string? doubt)
    {
        var result = PlateCertainty.Doubt(Plate(text, weakest, reads, agreeing), new PlateSettings { RequireAgreement = requireAgreement });

        if (doubt is null)
        {
            Assert.Null(result);
        }
        else
        {
            Assert.NotNull(result);
            Assert.Contains(doubt, result, StringComparison.Ordinal);
        }
    }
}
