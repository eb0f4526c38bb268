using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Storage;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Review;

/// <summary><c>cww stats</c> on a real store: the numbers per camera and day, the camera to re-tune (exit 1), the CSV, and a malformed day refused.</summary>
public sealed class CameraStatsCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Stats_ACameraMostlyRejected_IsFlaggedWithItsReasons_TheCsvHasEveryDay()
    {
        var data = _temp.File("data");
        Directory.CreateDirectory(data);
        using (var store = new SqliteCaseStore(Path.Combine(data, "cww.db")))
        {
            await store.MigrateAsync();
            for (var i = 0; i < 6; i++)
            {
                var at = Local(2026, 12, 1 + (i % 2), 9 + i);
                Assert.True(await store.AddAsync(Case($"c{i}", at, plate: CitizenPlate, officialId: null)));
                await store.DecideAsync(
                    i == 0
                        ? new ReviewDecision($"c{i}", ReviewAction.Confirm, "王警官", at.AddHours(1))
                        : new ReviewDecision($"c{i}", ReviewAction.Reject, "王警官", at.AddHours(1), RejectReason: i < 4 ? "vehicle-stopped" : "duplicate"),
                    Calendar);
            }
        }

        // Its box recorded 12 hours streaming on the first day (as 7 and 5: two stretches).
        using (var streaming = StreamingStore.Open(new Domain.Config.StorageConfig(), data))
        {
            await streaming.MigrateAsync();
            var eight = Local(2026, 12, 1, 8);
            await streaming.AddAsync("site-1", [new("cam1", new DateOnly(2026, 12, 1), eight, eight.AddHours(7)), new("cam1", new DateOnly(2026, 12, 1), eight.AddHours(8), eight.AddHours(13))]);
        }

        var patience = TimeSpan.FromMinutes(2);
        var csv = _temp.File("stats.csv");
        var stats = await CwwProcess.RunAsync(patience, "stats", "--data", data, "--from", "2026-12-01", "--to", "2026-12-02", "--csv", csv);

        Assert.True(stats.ExitCode == 1, stats.All);
        Assert.Matches(@"cam1\s+2026-12-01\s+3\s+1\s+2\s+0\s", stats.Output);
        Assert.Matches(@"cam1\s+2026-12-02\s+3\s+0\s+3\s+0\s", stats.Output);
        Assert.Matches(@"cam1\s+2026-12-01(\s+\S+){8}\s+12\.0\s", stats.Output); // hours streaming
        Assert.Matches(@"cam1\s+2026-12-02(\s+\S+){8}\s+–\s", stats.Output);
        Assert.Contains("RE-TUNE cam1: 17% of 6 decided cases confirmed in the 7 days to 2026-12-02", stats.Output, StringComparison.Ordinal);
        Assert.Contains("rejected mostly for vehicle-stopped (3), duplicate (2)", stats.Output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(csv);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("摄像机,日期", lines[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.EndsWith(",在线时长(小时)", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",0.333,12.00", lines[1], StringComparison.Ordinal);

        var bad = await CwwProcess.RunAsync(patience, "stats", "--data", data, "--from", "2026-12-1x");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--from 2026-12-1x: expected a day as yyyy-MM-dd", bad.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
