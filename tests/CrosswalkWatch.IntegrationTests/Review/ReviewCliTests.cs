using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Storage;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Review;

/// <summary>`cww review`, `cww tally` and `cww notices` run as a reviewer and the office run them: the real cww process on a real store.</summary>
public sealed class ReviewCliTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReviewTallyNotices_ThreeConfirmationsOneRejectionOneCorrection_TheOfficeSeesOneNotice()
    {
        using var temp = new TempFolder();
        var data = temp.File("data");
        await SeedAsync(data);

        var list = await Cww("review", "list", "--status", "candidate", "--data", data);
        Assert.Contains("5 case(s)", list.Output, StringComparison.Ordinal);
        Assert.True(list.Output.IndexOf("c1", StringComparison.Ordinal) < list.Output.IndexOf("c3", StringComparison.Ordinal), list.Output);

        var spring = await Cww("review", "list", "--from", "2026-04-01", "--to", "2026-05-01", "--camera", "cam1", "--data", data);
        Assert.Contains("2 case(s)", spring.Output, StringComparison.Ordinal);
        Assert.Contains("c2  2026-04-01 09:00:00.000", spring.Output, StringComparison.Ordinal);
        Assert.Contains("0 case(s)", (await Cww("review", "list", "--camera", "east", "--data", data)).Output, StringComparison.Ordinal);

        // A case that names an official counts once two different reviewers confirm it.
        var first = await Cww("review", "confirm", "c1", "--by", "王警官", "--data", data);
        Assert.Contains("confirmation 1 of 2 (王警官): it names an official, so it counts only once another reviewer confirms it", first.Output, StringComparison.Ordinal);
        var same = await CwwProcess.RunAsync(Patience, "review", "confirm", "c1", "--by", "王警官", "--data", data);
        Assert.NotEqual(0, same.ExitCode);
        Assert.Contains("王警官 has already confirmed it", same.All, StringComparison.Ordinal);
        Assert.DoesNotContain("notice:", (await Cww("review", "confirm", "c1", "--by", "李警官", "--data", data)).Output, StringComparison.Ordinal);
        await Cww("review", "confirm", "c2", "--by", "王警官", "--data", data);
        await Cww("review", "confirm", "c2", "--by", "李警官", "--data", data);
        Assert.DoesNotContain("notice:", (await Cww("review", "confirm", "c3", "--by", "王警官", "--data", data)).Output, StringComparison.Ordinal);
        var third = await Cww("review", "confirm", "c3", "--by", "李警官", "--note", "plate and face of the driver clear", "--data", data);
        Assert.Contains("notice: official F1 reached violation no. 3 in 2026", third.Output, StringComparison.Ordinal);
        Assert.Contains("already confirmed by 李警官", (await Cww("review", "confirm", "c3", "--by", "赵警官", "--data", data)).Output, StringComparison.Ordinal);

        var rejected = await Cww("review", "reject", "c4", "--reason", "pedestrian-not-in-conflict", "--note", "far half, walking away", "--by", "王警官", "--data", data);
        Assert.Contains("candidate -> rejected", rejected.Output, StringComparison.Ordinal);
        var badReason = await CwwProcess.RunAsync(Patience, "review", "reject", "c4", "--reason", "looked-fine", "--by", "王警官", "--data", data);
        Assert.NotEqual(0, badReason.ExitCode);

        var corrected = await Cww("review", "correct", "fuzzy", "--plate", "京B88888", "--by", "王警官", "--data", data);
        Assert.Contains("official F2 (counts once confirmed)", corrected.Output, StringComparison.Ordinal);

        var show = await Cww("review", "show", "c4", "--data", data);
        Assert.Contains("rejected by 王警官", show.Output, StringComparison.Ordinal);
        Assert.Contains("pedestrian-not-in-conflict (far half, walking away)", show.Output, StringComparison.Ordinal);
        Assert.Contains("verified  every file matches the signed manifest", show.Output, StringComparison.Ordinal);
        Assert.Contains("audit #", show.Output, StringComparison.Ordinal);

        var tally = await Cww("tally", "--year", "2026", "--format", "csv", "--data", data);
        Assert.Contains("F1,甲测试,市交通运输局,市委组织部,2026,3,notice", tally.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("F2", tally.Output, StringComparison.Ordinal);
        using (var json = System.Text.Json.JsonDocument.Parse((await Cww("tally", "--year", "2026", "--department", "市城市管理局", "--format", "json", "--data", data)).Output))
        {
            Assert.Equal("2026", json.RootElement.GetProperty("window").GetProperty("label").GetString());
            Assert.Equal(0, json.RootElement.GetProperty("officials").GetArrayLength());
        }

        var notices = await Cww("notices", "--data", data);
        Assert.Single(notices.Output.Split('\n'), l => l.Contains("F1", StringComparison.Ordinal));
        Assert.Contains("violation no. 3 in 2026, reached by case c3", notices.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tally_RollingWindowFromTheConfigOrTheOptions_SaysWhichWindowAndCountsThe365DaysEndingWithAt()
    {
        using var temp = new TempFolder();
        var data = temp.File("data");
        await SeedAsync(data);
        using (var store = new SqliteCaseStore(Path.Combine(data, "cww.db")))
        {
            foreach (var id in new[] { "c1", "c2", "c3", "c4" }) // 1 Mar, 1 Apr, 1 May, 1 Jun 2026, 09:00 local
            {
                await store.DecideAsync(new ReviewDecision(id, ReviewAction.Confirm, "王警官", DateTimeOffset.UtcNow), Rolling);
            }
        }

        // 1 Mar 2026 is 364 days before 28 Feb 2027 (in) and 365 days before 1 Mar 2027 (out).
        var to28Feb = await Cww("tally", "--window", "rolling365", "--at", "2027-02-28", "--format", "csv", "--data", data);
        Assert.Contains("official_id,name,department,authority,window,count,flag", to28Feb.Output, StringComparison.Ordinal);
        Assert.Contains("F1,甲测试,市交通运输局,市委组织部,365d to 2027-02-28,4,notice", to28Feb.Output, StringComparison.Ordinal);
        var to1Mar = await Cww("tally", "--window", "rolling365", "--at", "2027-03-01", "--data", data);
        Assert.Contains("window: rolling 365 days to 2027-03-01 (2026-03-02 00:00:00.000 to 2027-03-01 23:59:59.999, Asia/Shanghai)", to1Mar.Output, StringComparison.Ordinal);
        Assert.Matches(@"F1\s+甲测试\s+市交通运输局\s+市委组织部\s+3\s+notice", to1Mar.Output);

        // Without --window the configuration's tally.window decides; the calendar year is still there on request.
        var config = Path.Combine(data, "cww.yaml");
        await File.WriteAllTextAsync(config, "paths:\n  data: .\ntally:\n  window: rolling365\n");
        var configured = await Cww("tally", "--config", config, "--at", "2026-04-01", "--format", "json");
        using (var json = System.Text.Json.JsonDocument.Parse(configured.Output))
        {
            var window = json.RootElement.GetProperty("window");
            Assert.Equal(("rolling365", "365d to 2026-04-01"), (window.GetProperty("kind").GetString(), window.GetProperty("label").GetString()));
            Assert.Equal(2, json.RootElement.GetProperty("officials")[0].GetProperty("count").GetInt32());
        }

        Assert.Contains("window: rolling 365 days to ", (await Cww("tally", "--config", config)).Output, StringComparison.Ordinal);
        var calendar = await Cww("tally", "--config", config, "--window", "calendar", "--year", "2026");
        Assert.Contains("window: calendar year 2026 (2026-01-01 00:00:00.000 to 2026-12-31 23:59:59.999, Asia/Shanghai)", calendar.Output, StringComparison.Ordinal);
        Assert.Matches(@"F1\s+.*\s4\s+notice", calendar.Output);

        // tally.threshold moves the flags: at 5, F1's four of 2026 are one away and nobody is at 5 or more.
        await File.WriteAllTextAsync(config, "paths:\n  data: .\ntally:\n  threshold: 5\n");
        var five = await Cww("tally", "--config", config, "--year", "2026");
        Assert.Matches(@"F1\s+.*\s4\s+one away", five.Output);
        Assert.Contains("1 official(s), 0 at 5 or more", five.Output, StringComparison.Ordinal);

        var mixed = await CwwProcess.RunAsync(Patience, "tally", "--window", "calendar", "--at", "2026-05-03", "--data", data);
        Assert.NotEqual(0, mixed.ExitCode);
        Assert.Contains("--at is for the rolling window", mixed.All, StringComparison.Ordinal);
        var badDate = await CwwProcess.RunAsync(Patience, "tally", "--at", "3 May", "--data", data);
        Assert.NotEqual(0, badDate.ExitCode);
        Assert.Contains("'3 May' is not a date as yyyy-MM-dd", badDate.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirm_TamperedPackage_ExitsTwoNamingTheFile()
    {
        using var temp = new TempFolder();
        var data = temp.File("data");
        await SeedAsync(data);
        await File.AppendAllTextAsync(Path.Combine(data, "evidence", "2026-03-01", "c1", "photo2-on-line.jpg"), "x");

        var result = await CwwProcess.RunAsync(Patience, "review", "confirm", "c1", "--by", "王警官", "--data", data);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("photo2-on-line.jpg: sha256", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", result.Error, StringComparison.Ordinal);
    }

    private static async Task<CwwProcess.Result> Cww(params string[] arguments)
    {
        var result = await CwwProcess.RunAsync(Patience, arguments);
        Assert.True(result.ExitCode == 0, $"cww {string.Join(' ', arguments)}: {result.All}");
        return result;
    }

    /// <summary>The registry, the site key, and five cases with real packages: c1–c4 of F1's car, one fuzzy read of F2's.</summary>
    internal static async Task SeedAsync(string data)
    {
        await EvidencePackages.RegisterAsync(new StorageConfig(), data);
        using var store = new SqliteCaseStore(Path.Combine(data, "cww.db"));
        using var registry = new SqliteRegistryStore(Path.Combine(data, "cww.db"));
        await store.MigrateAsync();
        await registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        (string Id, DateTimeOffset At, string Plate, string? Official, MatchKind Kind)[] cases =
        [
            ("c1", Local(2026, 3, 1), "京A12345", "F1", MatchKind.Exact),
            ("c2", Local(2026, 4, 1), "京A12345", "F1", MatchKind.Exact),
            ("c3", Local(2026, 5, 1), "京A12345", "F1", MatchKind.Exact),
            ("c4", Local(2026, 6, 1), "京A12345", "F1", MatchKind.Exact),
            ("fuzzy", Local(2026, 7, 1), "京B8888B", null, MatchKind.Suggested),
        ];
        foreach (var c in cases)
        {
            var folder = EvidencePackages.Write(data, c.Id, c.At, plate: c.Plate);
            Assert.True(await store.AddAsync(Case(c.Id, c.At, c.Plate, c.Official, folder: folder) with { MatchKind = c.Kind }));
        }
    }
}
