using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Review;

/// <summary>
/// <c>cww export</c> for the police platform: only confirmed cases of the period (and camera) go in, each with its signed
/// package and its record (code 1357); a case whose package no longer verifies is left out and named; the archive
/// verifies offline, and a file changed inside it is caught.
/// </summary>
public sealed class CaseExportTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Export_ConfirmedCasesOfTheDay_ArchiveWithRecordsAndSummary_TamperedPackageLeftOut_ArchiveVerifies()
    {
        using var store = new SqliteCaseStore(_temp.File("cases.db"));
        await store.MigrateAsync();
        var day = Local(2026, 12, 1, 10);
        var exported = await AddAsync(store, "in", day, CaseStatus.Confirmed);
        await File.WriteAllTextAsync(Path.Combine(exported, "notes.txt"), "left in the folder by hand, not signed");
        await AddAsync(store, "day-before", Local(2026, 11, 30, 23, 59), CaseStatus.Confirmed);
        await AddAsync(store, "not-confirmed", day.AddHours(1), CaseStatus.Candidate);
        await AddAsync(store, "other-camera", day.AddHours(2), CaseStatus.Confirmed, camera: "cam2");
        var tampered = await AddAsync(store, "tampered", day.AddHours(3), CaseStatus.Confirmed);
        await File.WriteAllTextAsync(Path.Combine(tampered, "clip.mp4"), "another clip");

        var zip = _temp.File("export.zip");
        var result = await CaseExport.WriteAsync(store, EvidencePackages.Keys, Local(2026, 12, 1, 0), Local(2026, 12, 2, 0), "cam1", Shanghai, zip);

        Assert.Equal(["in"], result.Exported);
        var (refusedId, reason) = Assert.Single(result.Refused);
        Assert.Equal("tampered", refusedId);
        Assert.Contains("does not verify", reason, StringComparison.Ordinal);
        Assert.False(File.Exists(zip + ".part"));

        using (var archive = ZipFile.OpenRead(zip))
        {
            var names = archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
            Assert.Contains("cases/in/manifest.json", names);
            Assert.Contains("cases/in/clip.mp4", names);
            Assert.Contains("cases/in/photo2-on-line.jpg", names);
            Assert.DoesNotContain("cases/in/notes.txt", names); // only what the box signed
            Assert.DoesNotContain(names, n => n.StartsWith("cases/tampered/", StringComparison.Ordinal) || n.StartsWith("cases/day-before/", StringComparison.Ordinal));

            using var record = JsonDocument.Parse(await new StreamReader(archive.GetEntry("cases/in/record.json")!.Open()).ReadToEndAsync());
            var r = record.RootElement;
            Assert.Equal(("1357", "遇行人正在通过人行横道时未停车让行", "2026-12-01 10:00:00.000"), (r.GetProperty("code").GetString(), r.GetProperty("offence").GetString(), r.GetProperty("time").GetString()));
            Assert.Equal(("解放路人民路口北", "southbound", "site-01/cam1", "S1"), (r.GetProperty("place").GetString(), r.GetProperty("direction").GetString(), r.GetProperty("device").GetString(), r.GetProperty("lane").GetString()));
            Assert.Equal(("京A12345", "blue", "car"), (r.GetProperty("plate").GetString(), r.GetProperty("plateColour").GetString(), r.GetProperty("vehicleKind").GetString()));
            Assert.Equal(["王警官"], r.GetProperty("confirmedBy").EnumerateArray().Select(a => a.GetString()));

            var summary = (await new StreamReader(archive.GetEntry("summary.csv")!.Open(), Encoding.UTF8).ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, summary.Length);
            Assert.StartsWith("案件编号,违法代码,违法行为,违法时间", summary[0], StringComparison.Ordinal);
            Assert.Equal("in,1357,遇行人正在通过人行横道时未停车让行,2026-12-01 10:00:00.000,解放路人民路口北,site-01/cam1,southbound,S1,京A12345,blue,car,cases/in/", summary[1]);
        }

        // Offline: the archive's packages verify with the registered keys…
        var checks = await CaseExport.VerifyArchiveAsync(zip, EvidencePackages.Keys);
        Assert.True(Assert.Single(checks).Check.Intact);

        // …and a file changed inside the archive does not.
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
        {
            archive.GetEntry("cases/in/clip.mp4")!.Delete();
            await using var clip = archive.CreateEntry("cases/in/clip.mp4").Open();
            await clip.WriteAsync("a clip made afterwards"u8.ToArray());
        }

        var after = Assert.Single(await CaseExport.VerifyArchiveAsync(zip, EvidencePackages.Keys));
        Assert.False(after.Check.Intact);
        Assert.Contains(after.Check.Problems, p => p.Contains("clip.mp4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cli_ExportAndVerify_SayWhatIsWrongWithTheirInput()
    {
        var patience = TimeSpan.FromMinutes(2);
        var data = _temp.File("data");
        Directory.CreateDirectory(data);

        var badDay = await CwwProcess.RunAsync(patience, "export", "--data", data, "--from", "2026-12-1x", "--to", "2026-12-01", "--out", _temp.File("x.zip"));
        Assert.Equal(2, badDay.ExitCode);
        Assert.Contains("--from 2026-12-1x: expected a day as yyyy-MM-dd", badDay.Error, StringComparison.Ordinal);

        var backwards = await CwwProcess.RunAsync(patience, "export", "--data", data, "--from", "2026-12-02", "--to", "2026-12-01", "--out", _temp.File("x.zip"));
        Assert.Equal(2, backwards.ExitCode);
        Assert.Contains("--to 2026-12-01 is before --from 2026-12-02", backwards.Error, StringComparison.Ordinal);

        // Nothing confirmed in the store: an empty archive, which verify does not call intact.
        var empty = await CwwProcess.RunAsync(patience, "export", "--data", data, "--from", "2026-12-01", "--to", "2026-12-31", "--out", _temp.File("empty.zip"));
        Assert.Equal(0, empty.ExitCode);
        Assert.Contains("0 confirmed case(s) from 2026-12-01 to 2026-12-31, 0 left out", empty.Output, StringComparison.Ordinal);
        var verified = await CwwProcess.RunAsync(patience, "evidence", "verify", "--data", data, _temp.File("empty.zip"));
        Assert.Equal(1, verified.ExitCode);
        Assert.Contains("no case package in it", verified.Output, StringComparison.Ordinal);

        await File.WriteAllTextAsync(_temp.File("not.zip"), "not an archive");
        var notZip = await CwwProcess.RunAsync(patience, "evidence", "verify", "--data", data, _temp.File("not.zip"));
        Assert.Equal(1, notZip.ExitCode);
        Assert.Contains("not a zip archive", notZip.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>A case with a signed package (the reasons naming place, direction and kind, a blue plate read) in the store; returns its folder.</summary>
    private async Task<string> AddAsync(SqliteCaseStore store, string id, DateTimeOffset at, CaseStatus status, string camera = "cam1")
    {
        var candidate = """{"cameraId":"cam1","lane":"S1","vehicleKind":"car","place":"解放路人民路口北","direction":"southbound"}""";
        var folder = EvidencePackages.Write(_temp.Path, id, at,
        [
            ("clip.mp4", "clip", [1, 2, 3]),
            ("photo2-on-line.jpg", "photo", [4, 5, 6]),
            ("candidate.json", "reasons", Encoding.UTF8.GetBytes(candidate)),
            ("plate.json", "plate reads", Encoding.UTF8.GetBytes("""{"voted":{"text":"京A12345","colour":"blue"}}""")),
        ]);
        Assert.True(await store.AddAsync(Case(id, at, camera: camera, folder: folder)));
        if (status == CaseStatus.Confirmed)
        {
            // Confirmed through the store's review decision, as the review desk does it.
            await store.DecideAsync(new ReviewDecision(id, ReviewAction.Confirm, "王警官", at.AddHours(1)), Calendar);
            Assert.Equal(CaseStatus.Confirmed, (await store.GetAsync(id))!.Status);
        }

        return folder;
    }
}
