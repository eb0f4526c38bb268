using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Web.Office;
using CrosswalkWatch.Web.Police;
using CrosswalkWatch.Web.Texts;

namespace CrosswalkWatch.UnitTests.Web;

/// <summary>
/// The captions beside the photos the campaign office sees: a vehicle through its stop line is photographed before the
/// line, on it and leaving; a turning vehicle came from the side, so its photos are before and entering the crosswalk,
/// as the evidence burns them in; the page shows them in the reader's language, in English in the evidence's words.
/// </summary>
public class OfficeCasesTests
{
    private static readonly string Through = CaseViewTests.Reasons(null);
    private static readonly string Turning = CaseViewTests.Reasons(new TurnMovement("left turn from the junction", TurnDirection.Left));
    private static readonly ConsoleTexts Texts = ConsoleTexts.Load(Path.Combine(TestAssets.RepositoryRoot, "src", "Web", "wwwroot", "i18n"));

    public static TheoryData<string, string, string> Captions => new()
    {
        { "photo1-before-line.jpg", "", "1/3 pedestrian on the crosswalk, vehicle before the stop line" },
        { "photo1-before-line.jpg", Through, "1/3 pedestrian on the crosswalk, vehicle before the stop line" },
        { "photo2-on-line.jpg", Through, "2/3 vehicle on the stop line / crosswalk" },
        { "photo3-leaving.jpg", Through, "3/3 vehicle leaving the crosswalk" },
        { "photo1-before-line.jpg", Turning, "1/3 pedestrian on the crosswalk, vehicle turning left before the crosswalk" },
        { "photo2-on-line.jpg", Turning, "2/3 vehicle entering the crosswalk" },
        { "photo3-leaving.jpg", Turning, "3/3 vehicle leaving the crosswalk" },
        { "vehicle.jpg", Turning, "the vehicle" },
        { "plate.jpg", Turning, "plate close-up" },
    };

    [Theory]
    [MemberData(nameof(Captions))]
    public void Caption_CaseStoredReasons_SayWhereTheVehicleWas(string photo, string stored, string expected) =>
        Assert.Equal(expected, OfficeCases.Caption(photo, CaseView.Movement(stored)));

    [Theory]
    [MemberData(nameof(Captions))]
    public void CaptionKey_InEnglish_IsTheEvidencesCaption(string photo, string stored, string expected) =>
        Assert.Equal(expected, Texts.Get("en", OfficeCases.CaptionKey(photo, CaseView.Movement(stored))));

    [Fact]
    public void Caption_EveryOfficePhoto_HasOne() =>
        Assert.All(OfficeCases.Photos, name => Assert.False(string.IsNullOrEmpty(OfficeCases.Caption(name, CaseView.Movement(Turning)))));

    [Fact]
    public void Caption_NotAnOfficePhoto_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OfficeCases.Caption("candidate.json", null));
}
