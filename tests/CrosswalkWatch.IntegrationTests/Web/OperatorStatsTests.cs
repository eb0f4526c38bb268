using System.Globalization;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Storage;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>
/// The operators' Statistics page against a real <c>cww serve</c>: cases of two cameras in the last days and the
/// hours their box recorded, drawn as charts over the default 30 days (one bar per series and day with cases, one
/// hours bar per day recorded, a validity point per decided day), the camera to re-tune with its reasons, and the
/// CSV download the same file as <c>cww stats --csv</c> writes; in English and Chinese.
/// </summary>
public sealed class OperatorStatsTests
{
    [Fact]
    public async Task Browser_OperatorSeesEachCamerasDaysAsCharts_TheCameraToReTune_AndDownloadsTheSameCsvAsCwwStats()
    {
        await using var server = new ConsoleServer();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Shanghai).DateTime);
        var (before, yesterday) = (today.AddDays(-2), today.AddDays(-1));
        using (var store = new SqliteCaseStore(Path.Combine(server.Data, "cww.db")))
        {
            await store.MigrateAsync();
            // cam1: one confirmed of six decided over two days, mostly "vehicle-stopped"; cam2: one case waiting.
            string?[] reasons = [null, "vehicle-stopped", "vehicle-stopped", "vehicle-stopped", "duplicate", "not-a-violation"];
            for (var i = 0; i < reasons.Length; i++)
            {
                var at = At(i < 3 ? before : yesterday, 9 + i);
                Assert.True(await store.AddAsync(Case($"c{i}", at, plate: CitizenPlate, officialId: null)));
                await store.DecideAsync(
                    new ReviewDecision($"c{i}", reasons[i] is null ? ReviewAction.Confirm : ReviewAction.Reject, "王警官", at.AddHours(1), RejectReason: reasons[i]),
                    CrosswalkWatch.Testing.ReviewCases.Calendar);
            }

            Assert.True(await store.AddAsync(Case("w1", At(yesterday, 10), plate: CitizenPlate, officialId: null, camera: "cam2")));
        }

        using (var streaming = StreamingStore.Open(new StorageConfig(), server.Data))
        {
            await streaming.AddAsync("site-01", [new("cam1", before, At(before, 8), At(before, 18)), new("cam2", yesterday, At(yesterday, 8), At(yesterday, 13))]);
        }

        await server.AddAccountsAsync();
        await server.StartAsync();
        var downloads = server.Folder.File("downloads");
        var (from, to) = (Day(today.AddDays(-29)), Day(today));

        var output = await Browser.RunAsync("operator-stats", new
        {
            baseUrl = server.Address.ToString(),
            password = ConsoleServer.Password,
            from,
            to,
            before = Day(before),
            yesterday = Day(yesterday),
            downloads,
        });

        Assert.Contains("scenario operator-stats: passed", output, StringComparison.Ordinal);
        var csv = server.Folder.File("cww-stats.csv");
        var stats = await CwwProcess.RunAsync(TimeSpan.FromMinutes(2), "stats", "--data", server.Data, "--from", from, "--to", to, "--csv", csv);
        Assert.True(stats.ExitCode == 1, stats.All); // cam1 to re-tune
        Assert.Equal(await File.ReadAllBytesAsync(csv), await File.ReadAllBytesAsync(Path.Combine(downloads, $"camera-stats-{from}-to-{to}.csv")));
    }

    private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(8));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
