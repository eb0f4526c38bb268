using System.Text.Json;
using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using OpenCvSharp;

namespace CrosswalkWatch.IntegrationTests.Plates;

/// <summary>The plate step of an evidence package, with the real models on a real vehicle photo.</summary>
[Collection(UsesDetectionModels.Name)]
public sealed class PlateEvidenceTests(DetectionModels models)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 1, 30, 0, TimeSpan.Zero);
    private static readonly EvidenceSigner Signer = EvidenceSigner.CreateEphemeral();

    [Fact]
    public async Task Build_WithPlateReader_AddsVotedPlateJsonAndCloseUpToTheSignedManifest()
    {
        using var temp = new TempFolder();
        using var reader = PlateReader.Create(models.Store, new PlateReaderOptions(IntraOpThreads: 1));
        var site = new EvidenceSite("jn-0417", "解放路/人民路", TimeZoneInfo.Utc, Signer);
        var builder = new EvidenceBuilder(temp.Path, site, reader);
        var source = new StillEvidenceSource(Path.Combine(TestAssets.Plates("vehicles"), "we_single_green.png"));

        var package = await builder.BuildAsync(Candidate(), new EvidenceCamera("cam1", "北进口", "southbound"), source);

        Assert.Contains(package.Manifest.Files, f => f.Name == "plate.json" && f.Role == "plate reads");
        Assert.Contains(package.Manifest.Files, f => f.Name == "plate.jpg" && f.Role == "plate close-up");
        Assert.Empty((await EvidenceVerifier.VerifyAsync(package.Folder, EvidenceKeys.Of("jn-0417", Signer))).Problems);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(package.Folder, "plate.json")));
        var voted = json.RootElement.GetProperty("voted");
        Assert.Equal("沪AF71017", voted.GetProperty("text").GetString());
        Assert.Equal("green", voted.GetProperty("colour").GetString());
        Assert.Equal(3, voted.GetProperty("reads").GetInt32());
        var characters = voted.GetProperty("characters").EnumerateArray().ToList();
        Assert.Equal(8, characters.Count);
        Assert.All(characters, c => Assert.InRange(c.GetProperty("confidence").GetSingle(), 0.5f, 1f));
        Assert.Equal(3, json.RootElement.GetProperty("reads").GetArrayLength());
        using var closeUp = Cv2.ImRead(Path.Combine(package.Folder, "plate.jpg"));
        Assert.InRange((double)closeUp.Width / closeUp.Height, 2.5, 4.5);
    }

    /// <summary>Three moments of one car, its box a little different each time (normalised to the 963×714 photo).</summary>
    private static ViolationCandidate Candidate() => new(
        "cam1",
        7,
        "T1",
        "towards the camera",
        new YieldMoment(1, Start.AddSeconds(5), new Box(0.25f, 0.40f, 0.85f, 0.95f)),
        new YieldMoment(2, Start.AddSeconds(6), new Box(0.22f, 0.38f, 0.88f, 0.97f)),
        new YieldMoment(3, Start.AddSeconds(7), new Box(0.28f, 0.42f, 0.82f, 0.93f)),
        1.6,
        false,
        []);
}
