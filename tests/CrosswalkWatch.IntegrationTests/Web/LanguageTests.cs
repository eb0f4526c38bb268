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
/// screenshot of every page in each language; and the engine's sentences the API answers with (a plate or a date that
/// is not one, an evidence problem, a confirmation refused) in Chinese.
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

        // The engine's sentences in the account's language too: a plate that is not one, a date that is not one, and
        // with a file of the package changed, the evidence's problem and the confirmation refused for it.
        var token = await PoliceConsoleTests.ReviewSite.TokenAsync(police);
        using var notAPlate = await PoliceConsoleTests.PostAsync(police, token, $"/api/cases/{site.CaseId}/correct", new { plate = "京A1234D5" });
        Assert.Equal("“京A1234D5”不是有效号牌：“京A1234D5”既不是小型新能源号牌（省份简称、字母、DABCEFGHJK之一、字母或数字、4 位数字），也不是大型新能源号牌（省份简称、字母、5 位数字、DABCEFGHJK之一）", await ErrorAsync(notAPlate));
        using var notADate = await police.GetAsync(new Uri("/api/cases?from=3%20May", UriKind.Relative));
        Assert.Equal("日期筛选有误：“3 May”不是 yyyy-MM-dd 格式的日期", await ErrorAsync(notADate));

        await File.AppendAllTextAsync(Path.Combine(site.EvidenceFolder, "vehicle.jpg"), "changed");
        using (var json = JsonDocument.Parse(await police.GetStringAsync(new Uri($"/api/cases/{Uri.EscapeDataString(site.CaseId)}", UriKind.Relative))))
        {
            var problem = json.RootElement.GetProperty("evidence").GetProperty("problems")[0].GetString()!;
            Assert.StartsWith("vehicle.jpg：sha256 为", problem, StringComparison.Ordinal);
            Assert.EndsWith("不符，文件已被改动", problem, StringComparison.Ordinal);
        }

        using var refusedConfirm = await PoliceConsoleTests.PostAsync(police, token, $"/api/cases/{site.CaseId}/confirm", null);
        Assert.Equal(HttpStatusCode.Conflict, refusedConfirm.StatusCode);
        var reason = await ErrorAsync(refusedConfirm);
        Assert.StartsWith($"操作未执行：案件 {site.CaseId}：证据包 ", reason, StringComparison.Ordinal);
        Assert.Contains("校验未通过，不予确认：vehicle.jpg：sha256 为", reason, StringComparison.Ordinal);
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}
