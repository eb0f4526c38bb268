using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Messaging.Payloads;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Review;

/// <summary>A case's plate matched when it is stored: the central consumer's sink, from a candidate message carrying the plate read.</summary>
public sealed class CaseIntakeTests
{
    [Fact]
    public async Task Sink_CandidateWithPlateRead_StoredWithItsExactOfficialOrSuggestionsOrNobody()
    {
        using var temp = new TempFolder();
        using var store = new SqliteCaseStore(temp.File("cww.db"));
        using var registry = new SqliteRegistryStore(temp.File("cww.db"));
        await store.MigrateAsync();
        await registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        var sink = new CaseStoreSink(store, new CaseIntake(registry, Shanghai));

        foreach (var (id, read) in new[] { ("exact", "京A·12345"), ("fuzzy", "京A1234S"), ("citizen", CitizenPlate), ("unread", (string?)null) })
        {
            var message = Announcements.ToMessage(Case(id, Local(2026, 3, 1)) with { PlateRead = read, PlateReadJson = read is null ? null : "{\"chars\":[]}" });
            var payload = MessageCodec.Encode(CandidateMessage.Schema, CandidateMessage.Version, id, message);
            Assert.True(MessageCodec.TryDecode<CandidateMessage>(payload, CandidateMessage.Schema, CandidateMessage.Version, out var envelope, out var error), error);
            Assert.True(await sink.StoreAsync(envelope.Body, CancellationToken.None));
        }

        var exact = (await store.GetAsync("exact"))!;
        Assert.Equal(("京A12345", MatchKind.Exact, "F1", "{\"chars\":[]}"), (exact.Plate, exact.MatchKind, exact.OfficialId, exact.PlateReadJson));
        var fuzzy = (await store.GetAsync("fuzzy"))!;
        Assert.Equal((MatchKind.Suggested, (string?)null), (fuzzy.MatchKind, fuzzy.OfficialId));
        Assert.Contains("\"plate\":\"京A12345\"", fuzzy.MatchJson, StringComparison.Ordinal);
        Assert.Equal((MatchKind.None, (string?)null, CitizenPlate), ((await store.GetAsync("citizen"))!.MatchKind, (await store.GetAsync("citizen"))!.OfficialId, (await store.GetAsync("citizen"))!.Plate));
        var unread = (await store.GetAsync("unread"))!;
        Assert.Equal(((string?)null, MatchKind.None, CaseStatus.Candidate), (unread.Plate, unread.MatchKind, unread.Status));
    }

    [Fact]
    public async Task Intake_PlateReadInDoubt_NamesNoOfficialButOffersTheExactOneFirst()
    {
        using var temp = new TempFolder();
        using var registry = new SqliteRegistryStore(temp.File("cww.db"));
        await registry.MigrateAsync();
        await registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        var intake = new CaseIntake(registry, Shanghai);
        var doubtful = "{\"text\":\"京A12345\",\"doubt\":\"the photos disagree: 2 of 3 valid reads say 京A12345\"}";

        var sure = await intake.MatchAsync(Case("sure", Local(2026, 3, 1)) with { PlateRead = "京A12345", PlateReadJson = "{\"text\":\"京A12345\",\"doubt\":null}" });
        var inDoubt = await intake.MatchAsync(Case("doubt", Local(2026, 3, 1)) with { PlateRead = "京A12345", PlateReadJson = doubtful });

        Assert.Equal((MatchKind.Exact, "F1"), (sure.MatchKind, sure.OfficialId));
        Assert.Equal((MatchKind.Suggested, (string?)null), (inDoubt.MatchKind, inDoubt.OfficialId));
        Assert.StartsWith("[{\"officialId\":\"F1\"", inDoubt.MatchJson, StringComparison.Ordinal);
        Assert.Contains("plate in doubt: the photos disagree", inDoubt.MatchJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Intake_ReadingWhoseBoxSaidNoDoubtButWhoseWeakestCharacterIsUnderThisSitesThreshold_NamesNoOfficial()
    {
        // A box with looser settings, or a message that dropped the doubt: the central site's settings decide again.
        using var temp = new TempFolder();
        using var registry = new SqliteRegistryStore(temp.File("cww.db"));
        await registry.MigrateAsync();
        await registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        var intake = new CaseIntake(registry, Shanghai, new PlateSettings { MinCharConfidence = 0.6 });
        static string Reading(float weakest) =>
            "{\"text\":\"京A12345\",\"valid\":true,\"colour\":\"Blue\",\"minConfidence\":" + weakest.ToString(System.Globalization.CultureInfo.InvariantCulture) +
            ",\"reads\":3,\"validReads\":3,\"agreeing\":3,\"doubt\":null,\"characters\":[{\"symbol\":\"京\",\"confidence\":" + weakest.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"votes\":3}]}";

        var weak = await intake.MatchAsync(Case("weak", Local(2026, 3, 1)) with { PlateRead = "京A12345", PlateReadJson = Reading(0.31f) });
        var strong = await intake.MatchAsync(Case("strong", Local(2026, 3, 1)) with { PlateRead = "京A12345", PlateReadJson = Reading(0.97f) });

        Assert.Equal((MatchKind.Suggested, (string?)null), (weak.MatchKind, weak.OfficialId));
        Assert.Contains("plate in doubt: character 1 '京' read with confidence 0.31 < 0.60", weak.MatchJson, StringComparison.Ordinal);
        Assert.Equal((MatchKind.Exact, "F1"), (strong.MatchKind, strong.OfficialId));
    }
}
