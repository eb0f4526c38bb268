using System.Text.Json;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>
/// A turning vehicle's case in front of a police reviewer, against a real <c>cww serve</c>: a signed package whose
/// candidate.json names the movement (and carries the generated scene with its entry region). The page, its API and
/// <c>cww review show</c> say how the vehicle came to the crosswalk, and so does its row in the review queue.
/// </summary>
public sealed class PoliceTurningCaseTests
{
    private const string CaseId = "turn-1";
    private const string Said = "turning left into away from the camera (left turn from the junction)";

    [Fact]
    public async Task Browser_TurningCase_QueuePageApiAndReviewShowNameTheMovement_AndThePhotoDrawsItsEntryRegion()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await SeedAsync(server.Data);
        await server.StartAsync();

        using (var police = await server.SignedInClientAsync("police"))
        using (var json = JsonDocument.Parse(await police.GetStringAsync(new Uri($"/api/cases/{CaseId}", UriKind.Relative))))
        {
            var reasons = json.RootElement.GetProperty("reasons");
            Assert.True(json.RootElement.GetProperty("reasonsFrom").GetString() == "signed", json.RootElement.GetProperty("evidence").ToString());
            Assert.Equal(Said, reasons.GetProperty("movementText").GetString());
            Assert.Equal("left", reasons.GetProperty("movement").GetProperty("turn").GetString());
            Assert.Equal("left turn from the junction", json.RootElement.GetProperty("scene").GetProperty("movements")[0].GetProperty("name").GetString());
        }

        using (var police = await server.SignedInClientAsync("police"))
        using (var json = JsonDocument.Parse(await police.GetStringAsync(new Uri("/api/cases", UriKind.Relative))))
        {
            var listed = json.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("caseId").GetString() == CaseId);
            Assert.Equal(Said, listed.GetProperty("movementText").GetString());
        }

        var output = await Browser.RunAsync("police-turning", new { baseUrl = server.Address.ToString(), password = ConsoleServer.Password, caseId = CaseId, said = Said });
        Assert.Contains("scenario police-turning: passed", output, StringComparison.Ordinal);

        var show = await CwwProcess.RunAsync(TimeSpan.FromMinutes(1), ["review", "show", CaseId, "--data", server.Data]);
        Assert.True(show.ExitCode == 0, show.All);
        Assert.Contains($"movement  {Said}\n", show.Output, StringComparison.Ordinal);
    }

    /// <summary>The case, stored as the edge box stores one, with a package signed by the site's registered key.</summary>
    private static async Task SeedAsync(string data)
    {
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var scene = SceneLoader.Load(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated_turning.yaml"));
        var box = OfficeConsoleData.Vehicle;
        var candidate = new ViolationCandidate(
            "cam1", 7, "A1", "away from the camera",
            new YieldMoment(10, at.AddSeconds(-1), box), new YieldMoment(15, at, box), new YieldMoment(20, at.AddSeconds(1), box), 0.9, false,
            [new PedestrianReason(3, OfficeConsoleData.Pedestrian, ConflictKind.VehicleLane, 0, 0.4, 12)])
        {
            Movement = new TurnMovement("left turn from the junction", TurnDirection.Left),
        };
        var reasons = JsonSerializer.SerializeToNode(candidate, EvidenceJson.Files)!.AsObject();
        reasons["scene"] = JsonSerializer.SerializeToNode(scene, EvidenceJson.Files);

        await EvidencePackages.RegisterAsync(new StorageConfig(), data);
        var folder = EvidencePackages.Write(data, CaseId, at,
        [
            ("clip.mp4", "clip", System.Text.Encoding.UTF8.GetBytes("clip")),
            ("photo1-before-line.jpg", "photo", OfficeConsoleData.Jpeg("photo 1/3", 640, 360)),
            ("photo2-on-line.jpg", "photo", OfficeConsoleData.Jpeg("photo 2/3", 640, 360)),
            ("photo3-leaving.jpg", "photo", OfficeConsoleData.Jpeg("photo 3/3", 640, 360)),
            ("candidate.json", "reasons", System.Text.Encoding.UTF8.GetBytes(reasons.ToJsonString(EvidenceJson.Files))),
        ], plate: ReviewCases.CitizenPlate);
        await using var desk = await ReviewDesk.OpenAsync(new CwwConfig { Paths = new PathsConfig { Data = data } });
        var record = ReviewCases.Case(CaseId, at, plate: ReviewCases.CitizenPlate, officialId: null, folder: folder) with
        {
            Lane = candidate.Lane,
            Approach = candidate.Approach,
            CandidateJson = JsonSerializer.Serialize(candidate, EvidenceJson.Compact),
        };
        Assert.True(await desk.Store.AddAsync(record));
    }
}
