using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Storage.Review;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Review;

/// <summary>The police side's decisions over real stores and real evidence packages: verification, correction, retention.</summary>
public sealed class ReviewServiceTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly SqliteCaseStore _store;
    private readonly SqliteRegistryStore _registry;
    private readonly CaseIntake _intake;
    private readonly ReviewService _service;

    public ReviewServiceTests()
    {
        _store = new SqliteCaseStore(_temp.File("cww.db"));
        _registry = new SqliteRegistryStore(_temp.File("cww.db"));
        _intake = new CaseIntake(_registry, Shanghai);
        _service = new ReviewService(_store, _intake, Calendar, EvidencePackages.Keys);
    }

    [Fact]
    public async Task Confirm_TamperedOrMissingFile_RefusedNamingTheFilesAndNothingChanges()
    {
        var folder = await AddAsync("a", Local(2026, 3, 1), "京A12345");
        var photo = Path.Combine(folder, "photo2-on-line.jpg");
        await File.AppendAllTextAsync(photo, "retouched");
        File.Delete(Path.Combine(folder, "clip.mp4"));

        var refused = await Assert.ThrowsAsync<ReviewException>(() => _service.ConfirmAsync("a", "王警官"));

        Assert.Contains("photo2-on-line.jpg: sha256", refused.Message, StringComparison.Ordinal);
        Assert.Contains("clip.mp4: missing", refused.Message, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.Candidate, (await _store.GetAsync("a"))!.Status);
        Assert.Empty(await _store.AuditAsync());
    }

    [Fact]
    public async Task Confirm_ASecondCasePointingAtAnOfficialsEarlierPackage_RefusedAndTheOfficialCountedOnce()
    {
        // The attack: a new case id, the official's plate, an event ten days later (outside de-duplication), and the
        // evidence folder of the official's genuine, signed package.
        var genuine = await AddAsync("a", Local(2026, 3, 1), "京A12345");
        Assert.True(await _store.AddAsync(Case("forged", Local(2026, 3, 11), folder: genuine)));
        await _service.ConfirmAsync("a", "王警官");

        var refused = await Assert.ThrowsAsync<ReviewException>(() => _service.ConfirmAsync("forged", "王警官"));

        Assert.Contains("the package is case a's, not forged's: a package backs one case only", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the package's event is at", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], (await _store.ConfirmedAsync()).Select(c => c.CaseId));
    }

    [Fact]
    public async Task Confirm_CaseWhosePlateIsNotThePackagesSignedRead_Refused()
    {
        var at = Local(2026, 3, 1);
        await _store.MigrateAsync();
        await _registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        var folder = EvidencePackages.Write(_temp.Path, "p", at, [("clip.mp4", "clip", [1, 2, 3]), ("plate.json", "plate", System.Text.Encoding.UTF8.GetBytes("""{"voted":{"text":"沪C54321"}}"""))]);
        Assert.True(await _store.AddAsync(Case("p", at, plate: "京A12345", folder: folder)));

        var refused = await Assert.ThrowsAsync<ReviewException>(() => _service.ConfirmAsync("p", "王警官"));

        Assert.Contains("the case's plate read 京A12345 is not the package's 沪C54321", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ConfirmedAsync());
    }

    [Fact]
    public async Task Confirm_CaseCarryingAPlateReadItsPackageDoesNotHave_Refused()
    {
        // The attack: a package made without plate reads, and a message that adds an official's plate to it.
        var at = Local(2026, 3, 1);
        await _store.MigrateAsync();
        await _registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        var folder = EvidencePackages.Write(_temp.Path, "p", at);
        Assert.True(await _store.AddAsync(Case("p", at, folder: folder)));

        var refused = await Assert.ThrowsAsync<ReviewException>(() => _service.ConfirmAsync("p", "王警官"));

        Assert.Contains("the case carries plate read 京A12345, but the package has no plate reads", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ConfirmedAsync());
    }

    [Fact]
    public async Task Confirm_StoredReadingSureWhereTheSignedOneIsWeak_Refused()
    {
        // The attack: the package's signed vote has a weak character; the message's copy claims every character sure,
        // so the registry match would name the official without a reviewer checking the plate.
        var at = Local(2026, 3, 1);
        await _store.MigrateAsync();
        await _registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        var signed = """{"voted":{"text":"京A12345","valid":true,"colour":"blue","minConfidence":0.31,"reads":3,"validReads":3,"agreeing":3,"characters":[{"symbol":"京","confidence":0.31,"votes":3}]}}""";
        var folder = EvidencePackages.Write(_temp.Path, "p", at, [("clip.mp4", "clip", [1, 2, 3]), ("plate.json", "plate", System.Text.Encoding.UTF8.GetBytes(signed))]);
        var claimed = """{"text":"京A12345","valid":true,"colour":"Blue","minConfidence":0.99,"reads":3,"validReads":3,"agreeing":3,"doubt":null,"characters":[{"symbol":"京","confidence":0.99,"votes":3}]}""";
        Assert.True(await _store.AddAsync(Case("p", at, folder: folder) with { PlateReadJson = claimed }));

        var refused = await Assert.ThrowsAsync<ReviewException>(() => _service.ConfirmAsync("p", "王警官"));

        Assert.Contains("the case's plate reading (confidence, agreement) is not the package's signed plate.json", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ConfirmedAsync());
    }

    [Fact]
    public async Task Confirm_PackageReplacedAfterTheCaseArrived_Refused()
    {
        var at = Local(2026, 3, 1);
        var folder = await AddAsync("a", at, "京A12345");
        var stored = (await _store.GetAsync("a"))!;
        Directory.Delete(folder, recursive: true);
        EvidencePackages.Write(_temp.Path, "a", at, [("clip.mp4", "clip", [9, 9, 9])], plate: "京A12345");
        Assert.NotEqual(stored.ManifestSignature, CrosswalkWatch.Evidence.EvidenceVerifier.ReadManifest(folder)!.Signature);

        var refused = await Assert.ThrowsAsync<ReviewException>(() => _service.ConfirmAsync("a", "王警官"));

        Assert.Contains("the package's signature is not the one the case was stored with", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirm_IntactPackage_Counts()
    {
        await AddAsync("a", Local(2026, 3, 1), "京A12345");

        var outcome = await _service.ConfirmAsync("a", "王警官");

        Assert.True(outcome.Changed);
        Assert.Equal(("F1", CaseStatus.Confirmed), (outcome.After.OfficialId, outcome.After.Status));
    }

    [Fact]
    public async Task Correct_FuzzyReadToTheRealPlate_ExactMatchThatCountsOnlyOnceConfirmed()
    {
        await AddAsync("a", Local(2026, 3, 1), "京A1234S");
        var stored = await _store.GetAsync("a");
        Assert.Equal((MatchKind.Suggested, (string?)null), (stored!.MatchKind, stored.OfficialId));
        Assert.Contains("京A12345", stored.MatchJson, StringComparison.Ordinal);

        var corrected = await _service.CorrectAsync("a", "京A·12345", "王警官");

        Assert.Equal(("京A12345", MatchKind.Exact, "F1", CaseStatus.Candidate), (corrected.After.Plate, corrected.After.MatchKind, corrected.After.OfficialId, corrected.After.Status));
        Assert.Empty(await _store.ConfirmedAsync());
        await _service.ConfirmAsync("a", "王警官");
        Assert.Single(await _store.ConfirmedAsync());
        Assert.Equal("京A1234S", (await _store.GetAsync("a"))!.PlateRead);
    }

    [Fact]
    public async Task Correct_NotAPlate_RefusedWithTheGrammarsReason()
    {
        await AddAsync("a", Local(2026, 3, 1), "京A1234S");

        var refused = await Assert.ThrowsAsync<ReviewException>(() => _service.CorrectAsync("a", "京A1234", "王警官"));

        Assert.Contains("is not a plate", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.AuditAsync());
    }

    [Fact]
    public async Task Intake_PlateValidityByLocalDate_EarlyMorningIsTheLocalDay()
    {
        var registry = Officials with
        {
            Vehicles = [Officials.Vehicles[0] with { ValidFrom = new DateOnly(2026, 7, 1) }, Officials.Vehicles[1]],
        };
        await _store.MigrateAsync();
        await _registry.ReplaceAsync(registry, new RegistrySource("officials.csv", new string('b', 64), "utf-8"), DateTimeOffset.UtcNow);

        // 1 Jul 2026 07:00 in Beijing is still 30 Jun in UTC: the registry's dates are local.
        var matched = await _intake.MatchAsync(Case("a", Local(2026, 7, 1, 7)) with { Plate = null, MatchKind = MatchKind.None, OfficialId = null });

        Assert.Equal("F1", matched.OfficialId);
    }

    [Fact]
    public async Task Retention_DeletesOnlyOldUnmatchedEvidence_KeepsConfirmedOfficialsAndRecent()
    {
        var now = Local(2026, 6, 1);
        var official = await AddAsync("official", now.AddDays(-60), "京A12345");
        var citizen = await AddAsync("citizen", now.AddDays(-60), CitizenPlate);
        var recent = await AddAsync("recent", now.AddDays(-5), "沪C54322");
        var confirmedCitizen = await AddAsync("confirmed-citizen", now.AddDays(-60), "沪C54323");
        await _service.ConfirmAsync("confirmed-citizen", "王警官");

        var dry = await _service.RetainAsync(30, now, dryRun: true);
        Assert.Equal(["citizen"], dry.Select(d => d.Case.CaseId));
        Assert.True(Directory.Exists(citizen));

        var done = await _service.RetainAsync(30, now, dryRun: false);

        Assert.Equal("deleted", Assert.Single(done).Outcome);
        Assert.False(Directory.Exists(citizen));
        Assert.All(new[] { official, recent, confirmedCitizen }, f => Assert.True(Directory.Exists(f), f));
        Assert.Empty(await _service.RetainAsync(30, now, dryRun: false));
        await Assert.ThrowsAsync<ReviewException>(() => _service.ConfirmAsync("citizen", "王警官"));
    }

    [Fact]
    public async Task Retention_CaseWhoseIdIsOnlyTextInAnotherCasesManifest_DoesNotDeleteThatPackage()
    {
        // The attack: a case named "clip.mp4" (every manifest lists a clip.mp4) pointing at an official's package.
        var now = Local(2026, 6, 1);
        var official = await AddAsync("official", now.AddDays(-60), "京A12345");
        await _service.ConfirmAsync("official", "王警官");
        Assert.True(await _store.AddAsync(Case("clip.mp4", now.AddDays(-60), plate: CitizenPlate, officialId: null, folder: official) with { MatchKind = MatchKind.None }));

        var done = await _service.RetainAsync(30, now, dryRun: false);

        Assert.Equal([("clip.mp4", "kept: its folder holds no manifest of this case")], done.Select(d => (d.Case.CaseId, d.Outcome)));
        Assert.True(Directory.Exists(official));
        Assert.Empty(await EvidenceVerifierProblemsAsync(official));
    }

    [Fact]
    public async Task Retention_CaseStoredBeforeTheRegistryOrFolderElsewhere_KeptAndAnEmptyRegistryRefuses()
    {
        var now = Local(2026, 6, 1);
        await _store.MigrateAsync();
        var folder = EvidencePackages.Write(_temp.Path, "early", now.AddDays(-60));
        Assert.True(await _store.AddAsync(Case("early", now.AddDays(-60), folder: folder) with { MatchKind = MatchKind.None, OfficialId = null }));
        Assert.True(await _store.AddAsync(Case("elsewhere", now.AddDays(-60), plate: CitizenPlate, officialId: null, folder: "/srv/edge-box-7/evidence/elsewhere")));

        await Assert.ThrowsAsync<ReviewException>(() => _service.RetainAsync(30, now, dryRun: false));
        await _registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        var done = await _service.RetainAsync(30, now, dryRun: false);

        Assert.Equal(
            [("early", "kept: the plate matches the registry as it is now; review it"), ("elsewhere", "kept: the folder is not on this machine")],
            done.Select(d => (d.Case.CaseId, d.Outcome)));
        Assert.True(Directory.Exists(folder));
        Assert.Empty(await _store.AuditAsync());
    }

    public void Dispose()
    {
        _store.Dispose();
        _registry.Dispose();
        _temp.Dispose();
    }

    private async Task<string> AddAsync(string id, DateTimeOffset at, string plateRead)
    {
        await _store.MigrateAsync();
        if ((await _registry.HistoryAsync()).Count == 0)
        {
            await _registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        }

        var folder = EvidencePackages.Write(_temp.Path, id, at, plate: plateRead);
        var record = Case(id, at, folder: folder) with { PlateRead = plateRead, Plate = null, MatchKind = MatchKind.None, OfficialId = null };
        Assert.True(await _store.AddAsync(await _intake.MatchAsync(record)));
        return folder;
    }

    private static async Task<IReadOnlyList<string>> EvidenceVerifierProblemsAsync(string folder) =>
        (await CrosswalkWatch.Evidence.EvidenceVerifier.VerifyAsync(folder, EvidencePackages.Keys)).Problems;
}
