using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Evidence;

/// <summary>
/// A key per site, attacked through the real paths: box A's package for site B over a real mosquitto into the central
/// store, then its confirmation and <c>cww evidence verify</c>; <c>cww sites</c> add, list and retire with rotation; a
/// made-up key; a legacy shared-key package verified and marked so for the police.
/// </summary>
public sealed class SiteKeyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly TempFolder _temp = new();
    private readonly EvidenceSigner _boxA = EvidenceSigner.CreateEphemeral();
    private readonly EvidenceSigner _boxB = EvidenceSigner.CreateEphemeral();

    [Fact]
    public async Task CentralConsumer_BoxAPublishesSiteBsCaseSignedWithItsOwnKey_StoredButConfirmationAndVerifyRefuseIt()
    {
        var central = _temp.File("central");
        await EvidencePackages.RegisterAsync(new StorageConfig(), central, _boxA, "site-a");
        await EvidencePackages.RegisterAsync(new StorageConfig(), central, _boxB, "site-b");
        await using var broker = await Mosquitto.StartAsync();
        var endpoint = new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password);
        using var centralStore = new SqliteCaseStore(Path.Combine(central, "cww.db"));
        using var edge = new SqliteCaseStore(_temp.File("box-a.db"));
        await edge.MigrateAsync();
        using var stop = new CancellationTokenSource();
        await using var consumer = new CentralConsumer(endpoint, "central-1", "central", new CaseStoreSink(centralStore), NullLogger.Instance);
        await using var publisher = new EdgePublisher(endpoint, "box-a", edge, NullLogger.Instance);
        var consuming = consumer.RunAsync(stop.Token);
        var publishing = publisher.RunAsync(stop.Token);

        // Box A's own case, and a case of site B that box A made: manifest, topic and message all say site B.
        var at = Local(2026, 3, 1);
        var genuine = Case("site-a-cam1-1", at, folder: EvidencePackages.Write(_temp.File("box-a"), "site-a-cam1-1", at, signer: _boxA, site: "site-a", plate: "京A12345")) with { SiteId = "site-a" };
        var forged = Case("site-b-cam1-1", at, folder: EvidencePackages.Write(_temp.File("box-a"), "site-b-cam1-1", at, signer: _boxA, site: "site-b", plate: "京A12345")) with { SiteId = "site-b" };
        foreach (var record in new[] { genuine, forged })
        {
            Assert.True(await edge.AddAsync(record, Announcements.Candidate(record)));
        }

        publisher.Nudge();
        var deadline = DateTime.UtcNow + Patience;
        while ((await centralStore.ListAsync(100)).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the two cases did not reach the central store:\n{broker.Log()}");
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(consuming, publishing);

        await using (var desk = await ReviewDesk.OpenAsync(new CwwConfig { Paths = new PathsConfig { Data = central } }))
        {
            var refused = await Assert.ThrowsAsync<ReviewException>(() => desk.Service.ConfirmAsync(forged.CaseId, "王警官"));
            Assert.Contains($"signed with key {_boxA.KeyId}, which is not a key of site site-b", refused.Message, StringComparison.Ordinal);
            await desk.Service.ConfirmAsync(genuine.CaseId, "王警官");
            Assert.Equal(CaseStatus.Confirmed, (await desk.Store.GetAsync(genuine.CaseId))!.Status);
            Assert.Equal(CaseStatus.Candidate, (await desk.Store.GetAsync(forged.CaseId))!.Status);
        }

        var verifyForged = await CwwProcess.RunAsync(Patience, "evidence", "verify", forged.EvidenceFolder, "--data", central);
        var verifyGenuine = await CwwProcess.RunAsync(Patience, "evidence", "verify", genuine.EvidenceFolder, "--data", central);
        Assert.Equal(1, verifyForged.ExitCode);
        Assert.Contains("which is not a key of site site-b", verifyForged.Output, StringComparison.Ordinal);
        Assert.True(verifyGenuine.ExitCode == 0, verifyGenuine.All);
        Assert.Contains($"signed by site site-a's own key {_boxA.KeyId}", verifyGenuine.Output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Cli_SitesKeyAddRetire_RotatedKeyKeepsOldPackagesOnly_MadeUpKeyRefused_LegacyPackageMarked()
    {
        var box = _temp.File("box");
        var central = _temp.File("central");

        // On the box: its public key, made owner-only with the private key on first use; nothing private printed.
        var key = await Cww("sites", "key", "--data", box);
        var privateFile = EvidenceSigner.DefaultPath(box);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privateFile));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", key.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", key.Output, StringComparison.Ordinal);
        var publicFile = _temp.File("box-a.pem");
        await File.WriteAllTextAsync(publicFile, key.Output);
        using var old = EvidenceSigner.Load(privateFile);

        // At the central site: a private key is refused, the public one registered.
        var wrong = await CwwProcess.RunAsync(Patience, "sites", "add", "site-a", "--public-key", privateFile, "--data", central);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("this is a private key", wrong.Error, StringComparison.Ordinal);
        await Cww("sites", "add", "site-a", "--public-key", publicFile, "--data", central, "--by", "chief");

        // Rotation: a new key added, the old one retired at a moment; old packages verify, the old key's after it do not.
        var retiredAt = Local(2026, 6, 1);
        var freshFile = _temp.File("fresh.pem");
        await File.WriteAllTextAsync(freshFile, _boxB.PublicKeyPem);
        await Cww("sites", "add", "site-a", "--public-key", freshFile, "--data", central);
        await Cww("sites", "retire", "site-a", old.KeyId, "--at", retiredAt.ToString("O"), "--data", central);
        var list = await Cww("sites", "list", "--data", central);
        Assert.Contains($"site-a           {old.KeyId}", list.Output, StringComparison.Ordinal);
        Assert.Contains("2026-06-01 01:00:00Z", list.Output, StringComparison.Ordinal);

        var root = _temp.File("packages");
        var before = EvidencePackages.Write(root, "before", Local(2026, 5, 1), signer: old, site: "site-a");
        var after = EvidencePackages.Write(root, "after", Local(2026, 6, 2), signer: old, site: "site-a");
        var rotated = EvidencePackages.Write(root, "rotated", Local(2026, 6, 2), signer: _boxB, site: "site-a");
        using var madeUp = EvidenceSigner.CreateEphemeral();
        var made = EvidencePackages.Write(root, "made-up", Local(2026, 5, 1), signer: madeUp, site: "site-a");
        Assert.Contains("intact", (await Cww("evidence", "verify", before, "--data", central)).Output, StringComparison.Ordinal);
        Assert.Contains("intact", (await Cww("evidence", "verify", rotated, "--data", central)).Output, StringComparison.Ordinal);
        var late = await CwwProcess.RunAsync(Patience, "evidence", "verify", after, "--data", central);
        Assert.Equal(1, late.ExitCode);
        Assert.Contains($"key {old.KeyId}, retired at", late.Output, StringComparison.Ordinal);
        var fake = await CwwProcess.RunAsync(Patience, "evidence", "verify", made, "--data", central);
        Assert.Equal(1, fake.ExitCode);
        Assert.Contains($"signed with key {madeUp.KeyId}, which is not a key of site site-a", fake.Output, StringComparison.Ordinal);

        // A package of the shared-key days: verifies with the legacy key, and says so to the police.
        Directory.CreateDirectory(Path.Combine(central, "keys"));
        await File.WriteAllBytesAsync(EvidenceKey.LegacyPath(central), EvidencePackages.LegacyKey);
        var legacy = EvidencePackages.Write(root, "legacy", Local(2026, 3, 1), site: "site-a", legacy: true, plate: "京A12345");
        Assert.Contains("legacy shared-key signature", (await Cww("evidence", "verify", legacy, "--data", central)).Output, StringComparison.Ordinal);
        using (var store = new SqliteCaseStore(Path.Combine(central, "cww.db")))
        {
            Assert.True(await store.AddAsync(Case("legacy", Local(2026, 3, 1), folder: legacy) with { SiteId = "site-a" }));
        }

        var show = await Cww("review", "show", "legacy", "--data", central);
        Assert.Contains("verified  every file matches the signed manifest; legacy shared-key signature", show.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoliceConsole_LegacyAndForeignSignedPackages_TheCasePageSaysLegacyAndThatTheOtherDoesNotVerify()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await EvidencePackages.RegisterAsync(new StorageConfig(), server.Data, addedAt: DateTimeOffset.UtcNow);
        await EvidencePackages.RegisterAsync(new StorageConfig(), server.Data, _boxA, "site-a");
        Directory.CreateDirectory(Path.Combine(server.Data, "keys"));
        await File.WriteAllBytesAsync(EvidenceKey.LegacyPath(server.Data), EvidencePackages.LegacyKey);
        var at = Local(2026, 3, 1);
        (string, string, byte[])[] files = [("clip.mp4", "clip", [1, 2, 3]), ("candidate.json", "reasons", "{}"u8.ToArray())];
        using (var store = new SqliteCaseStore(Path.Combine(server.Data, "cww.db")))
        {
            Assert.True(await store.AddAsync(Case("legacy", at, folder: EvidencePackages.Write(server.Data, "legacy", at, files, legacy: true, plate: "京A12345"))));
            Assert.True(await store.AddAsync(Case("foreign", at, folder: EvidencePackages.Write(server.Data, "foreign", at, files, signer: _boxA, plate: "京A12345"))));
        }

        await server.StartAsync();
        using var police = await server.SignedInClientAsync("police");
        var page = await police.GetAsync(new Uri("/api/cases/legacy", UriKind.Relative));
        Assert.True(page.IsSuccessStatusCode, $"{page.StatusCode}: {server.Output}");

        using (var legacy = System.Text.Json.JsonDocument.Parse(await police.GetStringAsync(new Uri("/api/cases/legacy", UriKind.Relative))))
        {
            var evidence = legacy.RootElement.GetProperty("evidence");
            Assert.True(evidence.GetProperty("verified").GetBoolean(), evidence.ToString());
            Assert.True(evidence.GetProperty("legacy").GetBoolean());
            Assert.StartsWith("legacy shared-key signature", evidence.GetProperty("signedBy").GetString(), StringComparison.Ordinal);
        }

        using var foreign = System.Text.Json.JsonDocument.Parse(await police.GetStringAsync(new Uri("/api/cases/foreign", UriKind.Relative)));
        var problems = foreign.RootElement.GetProperty("evidence");
        Assert.False(problems.GetProperty("verified").GetBoolean());
        Assert.Contains($"signed with key {_boxA.KeyId}, which is not a key of site site-01", problems.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _boxA.Dispose();
        _boxB.Dispose();
        _temp.Dispose();
    }

    private static async Task<CwwProcess.Result> Cww(params string[] arguments)
    {
        var result = await CwwProcess.RunAsync(Patience, arguments);
        Assert.True(result.ExitCode == 0, $"cww {string.Join(' ', arguments)}: {result.All}");
        return result;
    }
}
