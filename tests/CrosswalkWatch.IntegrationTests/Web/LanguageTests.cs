using System.Net;
using System.Text.Json;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Scenarios;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>
/// The console in both languages on a real case made by the pipeline: each role (police, office, operator, admin) walks
/// its pages in English, switches to Chinese from the header, walks them again — every text Chinese, no key left
/// showing, times in the 24-hour site form — signs out and in (still Chinese: the choice is the account's), with a
/// screenshot of every page in each language.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed class LanguageTests(GeneratedSuite suite)
{
    [Fact]
    public async Task Browser_EachRoleSwitchesToChinese_EveryPageIsChineseAndTheChoiceOutlivesTheSession()
    {
        var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        var camera = $"""
            messaging:
              broker: none
            cameras:
              - id: cam1
                place: 解放路人民路口
                direction: 北向南
                url: {clip.VideoPath}
                scene: {Path.Combine(suite.Folder, "scene.yaml")}
            """;
        await using var site = await PoliceConsoleTests.ReviewSite.StartAsync(suite, ",,", camera, []);
        await using (var desk = await site.OpenDeskAsync())
        {
            // Confirmed by two reviewers: the official's case counts, so the office has a tally and the case to open.
            await desk.Service.ConfirmAsync(site.CaseId, "police");
            await desk.Service.ConfirmAsync(site.CaseId, ConsoleServer.SecondReviewer);
        }

        var output = await Browser.RunAsync(
            "languages",
            new { baseUrl = site.Server.Address.ToString(), password = ConsoleServer.Password, caseId = site.CaseId, camera = "cam1" },
            TimeSpan.FromMinutes(6));
        Assert.Contains("scenario languages: passed", output, StringComparison.Ordinal);

        // The choice is each account's, audited as its change.
        using var store = ConsoleStore.Open(new StorageConfig { SqlitePath = "cases.db" }, site.Server.Data);
        foreach (var user in new[] { "police", "office", "operator", "admin" })
        {
            Assert.Equal("zh-CN", (await store.FindAsync(user))!.Language);
        }

        // An API refusal speaks the account's language too.
        using var police = await site.SignInAsync("police");
        using var refused = await police.GetAsync(new Uri("/api/cases/no-such-case", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.True(error.Any(c => c is >= '\u4e00' and <= '\u9fff'), $"the refusal is in Chinese: {error}");
    }
}
