using System.Text.Json;
using System.Text.Json.Nodes;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Web.Police;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CrosswalkWatch.UnitTests.Web;

/// <summary>The phrases the case page (and the queue's row) shows beside the stored reasons: where each pedestrian was, and how a turning vehicle came.</summary>
public class CaseViewTests
{
    private static readonly YieldMoment Moment = new(1, new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8)), new Box(0.4f, 0.5f, 0.5f, 0.6f));

    /// <summary>A candidate's reasons as evidence JSON writes them: in lane N1, northbound, turning when <paramref name="movement"/> is given.</summary>
    internal static string Reasons(TurnMovement? movement) => JsonSerializer.Serialize(
        new ViolationCandidate("cam1", 7, "N1", "northbound", Moment, Moment, Moment, 1.2, false, [new PedestrianReason(3, Moment.VehicleBox, ConflictKind.VehicleLane, 0, 0.4, 5)]) { Movement = movement },
        EvidenceJson.Compact);

    /// <summary>A straight-through candidate's reasons with this JSON as its movement.</summary>
    private static string With(string movement) => "{\"movement\":" + movement + "," + Reasons(null)[1..];

    public static TheoryData<string, string, string?> Stored => new()
    {
        { "empty", "{}", null },
        { "through its stop line", Reasons(null), null },
        { "through its stop line, with the movement written as null", With("null"), null },
        { "turning right", Reasons(new TurnMovement("right turn from the side road", TurnDirection.Right)), "turning right into northbound (right turn from the side road)" },
        { "turning left", Reasons(new TurnMovement("left turn", TurnDirection.Left)), "turning left into northbound (left turn)" },
        { "a movement without its turn", With("{\"name\":\"x\"}"), null },
        { "a turn not understood", With("{\"name\":\"x\",\"turn\":\"sideways\"}"), null },
        { "a movement that is not an object", With("\"right\""), null },
    };

    [Theory]
    [MemberData(nameof(Stored))]
    public void WithTexts_StoredReasons_NameTheMovementOfATurningVehicle(string stored, string json, string? expected)
    {
        var reasons = CaseView.WithTexts(JsonNode.Parse(json))!.AsObject();

        Assert.True(expected == reasons["movementText"]?.GetValue<string>(), $"{stored}: expected {expected ?? "no movementText"}, got {reasons["movementText"]?.ToJsonString() ?? "none"}");
        if (reasons["pedestrians"] is JsonArray pedestrians)
        {
            Assert.Equal("in the vehicle's lane", pedestrians[0]!["whereText"]!.GetValue<string>());
        }
    }

    [Fact]
    public void WithTexts_NoReasons_IsNull() => Assert.Null(CaseView.WithTexts(null));

    /// <summary>The queue's row names a turning case's movement in the case page's words, from the case's stored reasons.</summary>
    [Theory]
    [MemberData(nameof(Stored))]
    public void MovementText_StoredReasons_AsTheCasePageSaysIt(string stored, string json, string? expected)
    {
        var said = CaseView.MovementText(json);

        Assert.True(expected == said, $"{stored}: expected {expected ?? "no movement"}, got {said ?? "none"}");
        Assert.Equal(CaseView.WithTexts(JsonNode.Parse(json))!["movementText"]?.GetValue<string>(), said);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    public void MovementText_NoReasonsOrUnreadable_IsNull(string? json) => Assert.Null(CaseView.MovementText(json));

    /// <summary>
    /// A read's exact match held back for a doubt this console no longer finds in the reading (its settings changed):
    /// the doubt the case's match keeps in English, in the reader's language where it is the plate check's own words.
    /// </summary>
    [Fact]
    public void Suggestions_AStoredPlateDoubtTheConsoleNoLongerFinds_InTheReadersLanguage()
    {
        var texts = ConsoleTexts.Load(Path.Combine(TestAssets.RepositoryRoot, "src", "Web", "wwwroot", "i18n"));
        using var services = new ServiceCollection().AddSingleton(texts).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Headers.Cookie = $"{TextsOf.LanguageCookie}=zh-CN";
        var match = """[{"doubts":["plate in doubt: character 1 '京' read with confidence 0.31 < 0.60"]},{"doubts":["plate in doubt: the plate was photographed at night"]}]""";

        var doubts = CaseView.Suggestions(context, match, null).Select(s => s!["doubts"]![0]!.GetValue<string>()).ToList();

        Assert.Equal(["号牌存疑：第1个字符“京”置信度 0.31，低于 0.60", "号牌存疑：the plate was photographed at night"], doubts);
    }
}
