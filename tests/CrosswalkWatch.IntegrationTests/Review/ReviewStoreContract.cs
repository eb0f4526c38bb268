using System.Text.Json;
using CrosswalkWatch.Domain.Accountability;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Storage.Review;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Review;

/// <summary>
/// Decisions, the audit log, tallies and the third-and-over notice, as every store must keep them: run against
/// SQLite and PostgreSQL. Restarts are a disposed and reopened store.
/// </summary>
public abstract class ReviewStoreContract : IDisposable
{
    private static readonly DateTimeOffset Decided = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    protected TempFolder Temp { get; } = new();

    /// <summary>A store over the same database each time it is called.</summary>
    protected abstract ICaseStore OpenStore();

    protected abstract IRegistryStore OpenRegistry();

    /// <summary>The console's store over the same database.</summary>
    protected abstract ConsoleStore OpenConsole();

    [Fact]
    public async Task Confirm_ThirdAndFourth_OneNoticeEachThenNoneAfterReplayOrRestart()
    {
        using (var store = await SeededAsync(Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)), Case("d", Local(2026, 6, 1))))
        {
            Assert.Empty((await ConfirmAsync(store, "a")).Notices);
            Assert.Empty((await ConfirmAsync(store, "b")).Notices);

            var third = await ConfirmAsync(store, "c");

            var notice = Assert.Single(third.Notices);
            Assert.Equal(("F1", "2026", 3, "c"), (notice.OfficialId, notice.Window, notice.Ordinal, notice.CaseId));
            Assert.Equal(4, Assert.Single((await ConfirmAsync(store, "d")).Notices).Ordinal);

            var replay = await ConfirmAsync(store, "c");
            Assert.False(replay.Changed);
            Assert.Empty(replay.Notices);
        }

        using var reopened = OpenStore();
        await reopened.MigrateAsync();
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            Assert.Empty((await ConfirmAsync(reopened, id)).Notices);
        }

        Assert.Equal([3, 4], (await reopened.NoticesAsync()).Select(n => n.Ordinal));
        Assert.Equal(2, await CountAsync(reopened, Topics.OfficeNotices));
    }

    [Fact]
    public async Task Confirm_ThresholdTwo_NoticeAtTheSecondAndTheThirdNotAtTheFirst()
    {
        var two = Calendar with { Threshold = 2 };
        using var store = await SeededAsync(Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)));

        Assert.Empty((await store.DecideAsync(new ReviewDecision("a", ReviewAction.Confirm, "王警官", Decided), two, OfficeAnnouncements.Of)).Notices);
        var second = Assert.Single((await store.DecideAsync(new ReviewDecision("b", ReviewAction.Confirm, "王警官", Decided), two, OfficeAnnouncements.Of)).Notices);
        var third = Assert.Single((await store.DecideAsync(new ReviewDecision("c", ReviewAction.Confirm, "王警官", Decided), two, OfficeAnnouncements.Of)).Notices);

        Assert.Equal(("F1", "2026", 2, "b"), (second.OfficialId, second.Window, second.Ordinal, second.CaseId));
        Assert.Equal(3, third.Ordinal);
        Assert.Equal([2, 3], (await store.NoticesAsync()).Select(n => n.Ordinal));
        Assert.Equal(2, await CountAsync(store, Topics.OfficeNotices));
    }

    [Fact]
    public async Task Reject_AfterTheNotice_CountGoesDownTheNoticeIsWithdrawnOnceAndReconfirmingIssuesItAgain()
    {
        using var store = await SeededAsync(Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)), Case("d", Local(2026, 6, 1)));
        foreach (var id in new[] { "a", "b", "c" })
        {
            await ConfirmAsync(store, id);
        }

        var rejected = await store.DecideAsync(new ReviewDecision("c", ReviewAction.Reject, "李警官", Decided, "vehicle-stopped", "stopped at the line"), Calendar, OfficeAnnouncements.Of);
        Assert.Equal(2, Calendar.CountedInWindow(await store.ConfirmedAsync(), Local(2026, 5, 1)).Count);
        Assert.Equal(2, LastTally(await PendingAsync(store)).GetProperty("count").GetInt32());
        var withdrawn = Assert.Single(rejected.Withdrawn);
        Assert.Equal((3, 1), (withdrawn.Ordinal, withdrawn.Issue));
        Assert.Contains("the count fell to 2: case c rejected by 李警官", withdrawn.WithdrawnReason, StringComparison.Ordinal);
        var kept = Assert.Single(await store.NoticesAsync(), n => n.WithdrawnAt is not null);
        Assert.Equal(("notice.countFell", withdrawn.WithdrawnReason), (kept.WithdrawnWhy?.Key, kept.WithdrawnWhy?.English)); // the phrase is kept beside the English

        var again = Assert.Single((await ConfirmAsync(store, "c")).Notices);
        Assert.Equal((3, 2, "c"), (again.Ordinal, again.Issue, again.CaseId));
        Assert.Empty((await ConfirmAsync(store, "c")).Notices);
        Assert.Equal(4, Assert.Single((await ConfirmAsync(store, "d")).Notices).Ordinal);
        Assert.True(rejected.Changed);
        Assert.Equal([3, 4], (await store.NoticesAsync()).Select(n => n.Ordinal));
        Assert.All(await store.NoticesAsync(), n => Assert.Null(n.WithdrawnAt));
        Assert.Equal(["notice/F1/2026/3", "notice-withdrawn/F1/2026/3/1", "notice/F1/2026/3/2", "notice/F1/2026/4"], (await PendingAsync(store)).Where(m => m.Topic == Topics.OfficeNotices).Select(m => m.Id));
    }

    [Fact]
    public async Task Acknowledge_NoticeWithdrawnAndIssuedAgain_TheNewIssueIsUnacknowledgedUntilTheOfficeAcknowledgesIt()
    {
        using var store = await SeededAsync(Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)));
        await Decide(store, Calendar, "a", "b", "c");
        using var console = OpenConsole();
        await console.MigrateAsync();
        Assert.True(await console.AcknowledgeAsync("F1", "2026", 3, "office", Decided));
        Assert.Equal(1, Assert.Single(await console.NoticeAcksAsync()).Issue);

        await store.DecideAsync(new ReviewDecision("c", ReviewAction.Reject, "李警官", Decided, "vehicle-stopped", "stopped at the line"), Calendar, OfficeAnnouncements.Of);
        var again = Assert.Single((await ConfirmAsync(store, "c")).Notices);
        Assert.Equal(2, again.Issue);

        // The office acknowledged issue 1; issue 2 is a new notice to it and waits for its own acknowledgement.
        Assert.DoesNotContain(await console.NoticeAcksAsync(), a => a.Issue == 2);
        Assert.True(await console.AcknowledgeAsync("F1", "2026", 3, "office2", Decided.AddMinutes(5)));
        Assert.False(await console.AcknowledgeAsync("F1", "2026", 3, "office", Decided.AddMinutes(6)));
        Assert.Equal([(1, "office"), (2, "office2")], (await console.NoticeAcksAsync()).Select(a => (a.Issue, a.AckedBy)).Order());
    }

    [Fact]
    public async Task Confirm_TwoReviewersRequired_OneReviewerAloneNeverCountsAnOfficialsCase()
    {
        var two = Calendar with { OfficialConfirmations = 2 };
        using var store = await SeededAsync(
            Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)), Case("citizen", Local(2026, 5, 2), plate: CitizenPlate, officialId: null));

        foreach (var id in new[] { "a", "b", "c" })
        {
            var first = await store.DecideAsync(new ReviewDecision(id, ReviewAction.Confirm, "王警官", Decided), two, OfficeAnnouncements.Of);
            Assert.Equal((CaseStatus.Candidate, 1), (first.After.Status, first.After.Confirmations.Count));
            Assert.Empty(first.Notices);
            var again = await Assert.ThrowsAsync<ReviewException>(() => store.DecideAsync(new ReviewDecision(id, ReviewAction.Confirm, "王警官", Decided.AddMinutes(1)), two, OfficeAnnouncements.Of));
            Assert.Contains("王警官 has already confirmed it; a case that names an official needs 2 different reviewers", again.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await store.ConfirmedAsync());
        Assert.Empty(await store.NoticesAsync());
        Assert.Equal(0, await CountAsync(store, Topics.OfficeTallies));
        var citizen = await store.DecideAsync(new ReviewDecision("citizen", ReviewAction.Confirm, "王警官", Decided), two, OfficeAnnouncements.Of);
        Assert.Equal(CaseStatus.Confirmed, citizen.After.Status); // a case that names nobody needs one reviewer

        await store.DecideAsync(new ReviewDecision("a", ReviewAction.Confirm, "李警官", Decided), two, OfficeAnnouncements.Of);
        await store.DecideAsync(new ReviewDecision("b", ReviewAction.Confirm, "李警官", Decided), two, OfficeAnnouncements.Of);
        var third = await store.DecideAsync(new ReviewDecision("c", ReviewAction.Confirm, "李警官", Decided), two, OfficeAnnouncements.Of);

        Assert.Equal(3, Assert.Single(third.Notices).Ordinal);
        Assert.Equal(["王警官", "李警官"], (await store.GetAsync("c"))!.Confirmations.Select(c => c.Actor));
        Assert.Equal(["confirm", "confirm"], (await store.AuditAsync("c")).Select(a => a.Action));
    }

    [Fact]
    public async Task Correct_ACitizensConfirmedCaseIntoAnOfficials_NeedsBothConfirmationsAnew()
    {
        // The attack: one reviewer confirms a citizen's case (one confirmation is enough for nobody), then corrects
        // its plate to an official's: the case must not count until a second reviewer confirms the new plate.
        var two = Calendar with { OfficialConfirmations = 2 };
        using var store = await SeededAsync(Case("x", Local(2026, 3, 1), plate: CitizenPlate, officialId: null));
        await store.DecideAsync(new ReviewDecision("x", ReviewAction.Confirm, "王警官", Decided), two, OfficeAnnouncements.Of);

        var corrected = await store.DecideAsync(new ReviewDecision("x", ReviewAction.Correct, "王警官", Decided, Match: new PlateMatch("京A12345", MatchKind.Exact, "F1", null)), two, OfficeAnnouncements.Of);
        var once = await store.DecideAsync(new ReviewDecision("x", ReviewAction.Confirm, "王警官", Decided), two, OfficeAnnouncements.Of);

        Assert.Equal((CaseStatus.Candidate, 0), (corrected.After.Status, corrected.After.Confirmations.Count));
        Assert.Equal(CaseStatus.Candidate, once.After.Status);
        Assert.Empty(await store.CountingAsync(Shanghai));
        Assert.Equal(CaseStatus.Confirmed, (await store.DecideAsync(new ReviewDecision("x", ReviewAction.Confirm, "李警官", Decided), two, OfficeAnnouncements.Of)).After.Status);
        Assert.Single(await store.CountingAsync(Shanghai));
    }

    [Fact]
    public async Task Reopen_CountedCaseOnObjection_StopsCountingAndWithdrawsTheNoticeWithOneMessage()
    {
        using var store = await SeededAsync(Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)));
        await Decide(store, Calendar, "a", "b", "c");

        var reopened = await store.DecideAsync(new ReviewDecision("b", ReviewAction.Reopen, "office:张主任", Decided, Note: "甲测试 says the car was lent to a relative"), Calendar, OfficeAnnouncements.Of);
        await Assert.ThrowsAsync<ReviewException>(() => store.DecideAsync(new ReviewDecision("b", ReviewAction.Reopen, "office:张主任", Decided, Note: "again"), Calendar, OfficeAnnouncements.Of));
        await Assert.ThrowsAsync<ReviewException>(() => store.DecideAsync(new ReviewDecision("a", ReviewAction.Reopen, "office:张主任", Decided, Note: " "), Calendar, OfficeAnnouncements.Of));

        Assert.Equal((CaseStatus.Candidate, "甲测试 says the car was lent to a relative"), (reopened.After.Status, reopened.After.ReopenReason));
        Assert.Equal(["a", "c"], (await store.CountingAsync(Shanghai)).Select(c => c.CaseId));
        Assert.Equal(3, Assert.Single(reopened.Withdrawn).Ordinal);
        var messages = (await PendingAsync(store)).Where(m => m.Topic == Topics.OfficeNotices).ToList();
        var withdrawal = Json(Assert.Single(messages, m => m.Id == "notice-withdrawn/F1/2026/3/1").Payload);
        Assert.Equal("cww.notice.withdrawn", withdrawal.GetProperty("schema").GetString());
        Assert.Equal(2, withdrawal.GetProperty("body").GetProperty("count").GetInt32());
        Assert.Contains("case b reopened by office:张主任: 甲测试 says the car was lent", withdrawal.GetProperty("body").GetProperty("reason").GetString(), StringComparison.Ordinal);

        using var restarted = OpenStore();
        await restarted.MigrateAsync();
        var notice = Assert.Single(await restarted.NoticesAsync());
        Assert.NotNull(notice.WithdrawnAt);
        Assert.Equal(["reopen"], (await restarted.AuditAsync("b")).Select(a => a.Action).Where(a => a == "reopen"));
    }

    [Fact]
    public async Task RegistryRecheck_VehicleRemovedAsWronglyListed_StopsCountingAndWithdrawsTheNoticeOnce()
    {
        using var store = await SeededAsync(Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)));
        await Decide(store, Calendar, "a", "b", "c");
        Assert.Single(await store.NoticesAsync());

        using (var registry = OpenRegistry())
        {
            await registry.ReplaceAsync(Officials with { Vehicles = [.. Officials.Vehicles.Where(v => v.OfficialId != "F1")] }, new RegistrySource("officials.csv", new string('b', 64), "utf-8"), Decided);
        }

        Assert.Empty(await store.CountingAsync(Shanghai));
        Assert.Equal(3, (await store.ConfirmedAsync()).Count); // the decisions stand; they no longer count
        var withdrawn = Assert.Single(await store.RecheckRegistryAsync(Calendar, "registry import", OfficeAnnouncements.Of));
        Assert.Contains("the count fell to 0", withdrawn.WithdrawnReason, StringComparison.Ordinal);
        Assert.Empty(await store.RecheckRegistryAsync(Calendar, "registry import", OfficeAnnouncements.Of));
        Assert.Single((await PendingAsync(store)), m => m.Id.StartsWith("notice-withdrawn/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Confirm_ThirdAndFourthAtOnceFromTwoProcesses_BothNoticesOnce()
    {
        using var store = await SeededAsync(Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)), Case("d", Local(2026, 6, 1)));
        await ConfirmAsync(store, "a");
        await ConfirmAsync(store, "b");
        using var other = OpenStore();

        var both = await Task.WhenAll(Task.Run(() => ConfirmAsync(store, "c")), Task.Run(() => ConfirmAsync(other, "d")));

        Assert.Equal([3, 4], both.SelectMany(o => o.Notices).Select(n => n.Ordinal).Order());
        Assert.Equal([3, 4], (await store.NoticesAsync()).Select(n => n.Ordinal).Order());
    }

    [Fact]
    public async Task Confirm_SameVehicleTwoCamerasWithinDedup_CountsOnce()
    {
        var at = Local(2026, 5, 1);
        using var store = await SeededAsync(Case("a", Local(2026, 3, 1)), Case("north", at, camera: "north"), Case("east", at.AddSeconds(8), camera: "east"), Case("c", Local(2026, 7, 1)));

        await ConfirmAsync(store, "a");
        await ConfirmAsync(store, "north");
        var twin = await ConfirmAsync(store, "east");

        Assert.Empty(twin.Notices);
        Assert.Equal(2, await CountAsync(store, Topics.OfficeTallies)); // a and north changed the count; east did not
        Assert.Equal(3, Assert.Single((await ConfirmAsync(store, "c")).Notices).Ordinal);
    }

    [Fact]
    public async Task Confirm_LastSecondOfYearThenNewYear_SeparateWindows()
    {
        using var store = await SeededAsync(
            Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("eve", Local(2026, 12, 31, 23, 59, 59)), Case("new", Local(2027, 1, 1, 0, 0, 0)));
        await ConfirmAsync(store, "a");
        await ConfirmAsync(store, "b");

        Assert.Empty((await ConfirmAsync(store, "new")).Notices);
        Assert.Equal("2026", Assert.Single((await ConfirmAsync(store, "eve")).Notices).Window);
    }

    [Fact]
    public async Task Confirm_RollingWindow_365DaysExactlyIsOutsideAndARunAYearLaterNotifiesAgain()
    {
        var first = Local(2027, 3, 1, 12);
        using var store = await SeededAsync(
            Case("a", first), Case("b", first.AddDays(100)), Case("c", first.AddDays(365)), Case("d", first.AddDays(366)),
            Case("x", first.AddDays(800)), Case("y", first.AddDays(801)), Case("z", first.AddDays(802)));
        await Decide(store, Rolling, "a", "b", "c");
        Assert.Empty(await store.NoticesAsync());

        var reached = await store.DecideAsync(new ReviewDecision("d", ReviewAction.Confirm, "王警官", Decided), Rolling, OfficeAnnouncements.Of);
        Assert.Equal(3, Assert.Single(reached.Notices).Ordinal);

        await Decide(store, Rolling, "x", "y", "z");
        Assert.Equal(2, (await store.NoticesAsync()).Count(n => n.Ordinal == 3));
    }

    [Fact]
    public async Task Tally_RollingAndCalendarEdgesThroughTheStore_CountTheCasesTheWindowsHold()
    {
        // Cases at the edges of the 365 days to 3 May 2026 and of the leap year 2028, all confirmed. The ones a
        // millisecond outside are F2's (another plate), so the same-plate de-duplication cannot be what leaves them out.
        var end = Local(2026, 5, 4, 0); // the end of 3 May 2026, local
        using var store = await SeededAsync(
            Case("in-first", end.AddDays(-365)),
            Case("out-before", end.AddDays(-365).AddMilliseconds(-1), plate: "京B88888", officialId: "F2"),
            Case("out-366", end.AddDays(-366)),
            Case("in-last", end.AddMilliseconds(-1)),
            Case("out-after", end, plate: "京B88888", officialId: "F2"),
            Case("f2", Local(2026, 1, 10), plate: "京B88888", officialId: "F2"),
            Case("year-before-leap", Local(2027, 3, 2, 12)),
            Case("eve-2027", Local(2027, 12, 31, 23, 59, 59).AddMilliseconds(999)),
            Case("leap-day", Local(2028, 2, 29, 12)),
            Case("eve-2028", Local(2028, 12, 31, 23, 59, 59).AddMilliseconds(999)));
        await Decide(store, Rolling, "in-first", "out-before", "out-366", "in-last", "out-after", "f2", "year-before-leap", "eve-2027", "leap-day", "eve-2028");
        var confirmed = await store.ConfirmedAsync();

        var rolling = Rolling.RollingTo(new DateOnly(2026, 5, 3));
        Assert.Equal(["f2", "in-first", "in-last"], Rolling.CountedIn(confirmed, rolling).Select(c => c.CaseId).Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, int> { ["F1"] = 2, ["F2"] = 1 }, Rolling.PerOfficial(confirmed, rolling));

        // Across 29 Feb 2028 the 365 days to 1 Mar 2028 start on 3 Mar 2027: the date a year before is outside.
        Assert.Equal(["eve-2027", "leap-day"], Rolling.CountedIn(confirmed, Rolling.RollingTo(new DateOnly(2028, 3, 1))).Select(c => c.CaseId));
        Assert.Equal(["year-before-leap", "eve-2027", "leap-day"], Rolling.CountedIn(confirmed, Rolling.RollingTo(new DateOnly(2028, 2, 29))).Select(c => c.CaseId));
        Assert.Equal(["leap-day", "eve-2028"], Calendar.CountedIn(confirmed, Calendar.Year(2028)).Select(c => c.CaseId));
        Assert.Equal(new Dictionary<string, int> { ["F1"] = 2 }, Calendar.PerOfficial(confirmed, Calendar.Year(2027)));
    }

    [Fact]
    public async Task Decisions_EachAnAuditRowWithBeforeAndAfter_AndTheLogRefusesChanges()
    {
        using var store = await SeededAsync(Case("a", Local(2026, 3, 1)));
        await ConfirmAsync(store, "a");
        await store.DecideAsync(new ReviewDecision("a", ReviewAction.Reject, "李警官", Decided.AddMinutes(1), "emergency-vehicle", "ambulance"), Calendar);
        await store.DecideAsync(new ReviewDecision("a", ReviewAction.Correct, "李警官", Decided.AddMinutes(2), Match: new PlateMatch("京B88888", MatchKind.Exact, "F2", null)), Calendar);

        var audit = await store.AuditAsync("a");

        Assert.Equal(["confirm", "reject", "correct"], audit.Select(a => a.Action));
        Assert.Equal(["王警官", "李警官", "李警官"], audit.Select(a => a.Actor));
        Assert.Equal("candidate", Json(audit[0].BeforeJson).GetProperty("status").GetString());
        Assert.Equal("confirmed", Json(audit[0].AfterJson).GetProperty("status").GetString());
        Assert.Equal("emergency-vehicle", Json(audit[1].AfterJson).GetProperty("rejectReason").GetString());
        Assert.Equal(("京A12345", "京B88888"), (Json(audit[2].BeforeJson).GetProperty("plate").GetString(), Json(audit[2].AfterJson).GetProperty("plate").GetString()));
        Assert.Equal(Decided.AddMinutes(2), audit[2].At);
        var corrected = await store.GetAsync("a");
        Assert.Equal((CaseStatus.Candidate, "F2"), (corrected!.Status, corrected.OfficialId));

        await Assert.ThrowsAsync<StorageException>(() => ExecuteAsync(store, "UPDATE audit_log SET actor = 'someone else'"));
        await Assert.ThrowsAsync<StorageException>(() => ExecuteAsync(store, "DELETE FROM audit_log"));
        Assert.Equal(3, (await store.AuditAsync()).Count);
    }

    [Fact]
    public async Task Reject_UnknownReasonOrMissingCase_RefusedAndNothingWritten()
    {
        using var store = await SeededAsync(Case("a", Local(2026, 3, 1)));

        await Assert.ThrowsAsync<ReviewException>(() => store.DecideAsync(new ReviewDecision("a", ReviewAction.Reject, "王警官", Decided, "looked-fine"), Calendar));
        await Assert.ThrowsAsync<ReviewException>(() => ConfirmAsync(store, "nope"));

        Assert.Empty(await store.AuditAsync());
        Assert.Equal(CaseStatus.Candidate, (await store.GetAsync("a"))!.Status);
    }

    [Fact]
    public async Task OfficeMessages_NeverCarryAPlateThatMatchesNoOfficial()
    {
        using var store = await SeededAsync(
            Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)),
            Case("citizen", Local(2026, 5, 1, 10), plate: CitizenPlate, officialId: null));
        foreach (var id in new[] { "citizen", "a", "b", "c" })
        {
            await ConfirmAsync(store, id);
        }

        var office = (await PendingAsync(store)).Where(m => m.Topic.StartsWith("cww/v1/office/", StringComparison.Ordinal)).ToList();

        Assert.Equal(4, office.Count); // three tallies, one notice
        Assert.All(office, m => Assert.DoesNotContain(CitizenPlate, Strings(Json(m.Payload)), StringComparison.Ordinal));
        Assert.All(office, m => Assert.DoesNotContain("citizen", Strings(Json(m.Payload)), StringComparison.Ordinal));
        Assert.Contains("京A12345", Strings(Json(office[0].Payload)), StringComparison.Ordinal);
        var notice = Json(Assert.Single(office, m => m.Topic == Topics.OfficeNotices).Payload);
        Assert.Equal("cww.notice", notice.GetProperty("schema").GetString());
        var body = notice.GetProperty("body");
        Assert.Equal(("F1", "甲测试", "市交通运输局", "市委组织部"), (body.GetProperty("official").GetProperty("id").GetString(), body.GetProperty("official").GetProperty("name").GetString(), body.GetProperty("official").GetProperty("department").GetString(), body.GetProperty("official").GetProperty("authority").GetString()));
        Assert.Equal(["a", "b", "c"], body.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("caseId").GetString()));
    }

    [Fact]
    public async Task UnmatchedBefore_OnlyOldUnmatchedUnconfirmedAndNotSuggested()
    {
        var old = Local(2026, 1, 1);
        using var store = await SeededAsync(
            Case("official", old), Case("citizen", old, plate: CitizenPlate, officialId: null), Case("confirmed-citizen", old, plate: "沪C54322", officialId: null),
            Case("new-citizen", Local(2026, 6, 1), plate: "沪C54323", officialId: null),
            Case("suggested", old, plate: "京A1234S", officialId: null) with { MatchKind = MatchKind.Suggested });
        await ConfirmAsync(store, "confirmed-citizen");

        var due = await store.UnmatchedBeforeAsync(Local(2026, 3, 1));
        Assert.Equal(["citizen"], due.Select(c => c.CaseId));

        await store.MarkEvidenceDeletedAsync("citizen", "retention", Decided);
        Assert.Empty(await store.UnmatchedBeforeAsync(Local(2026, 3, 1)));
        Assert.Equal("evidence-deleted", Assert.Single(await store.AuditAsync("citizen")).Action);
        Assert.Equal(Decided, (await store.GetAsync("citizen"))!.EvidenceDeletedAt);
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private static Task<DecisionOutcome> ConfirmAsync(ICaseStore store, string id) =>
        store.DecideAsync(new ReviewDecision(id, ReviewAction.Confirm, "王警官", Decided), Calendar, OfficeAnnouncements.Of);

    protected static async Task Decide(ICaseStore store, TallyRules rules, params string[] ids)
    {
        foreach (var id in ids)
        {
            await store.DecideAsync(new ReviewDecision(id, ReviewAction.Confirm, "王警官", Decided), rules, OfficeAnnouncements.Of);
        }
    }

    private async Task<ICaseStore> SeededAsync(params CaseRecord[] cases)
    {
        var store = OpenStore();
        await store.MigrateAsync();
        using (var registry = OpenRegistry())
        {
            await registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), Decided);
        }

        foreach (var c in cases)
        {
            Assert.True(await store.AddAsync(c));
        }

        return store;
    }

    private static async Task<IReadOnlyList<Domain.Outbox.OutboxMessage>> PendingAsync(ICaseStore store) => await store.PendingAsync(1000);

    private static async Task<int> CountAsync(ICaseStore store, string topic) => (await PendingAsync(store)).Count(m => m.Topic == topic);

    private static JsonElement LastTally(IReadOnlyList<Domain.Outbox.OutboxMessage> messages) =>
        Json(messages.Last(m => m.Topic == Topics.OfficeTallies).Payload).GetProperty("body");

    /// <summary>Every string value of a JSON document, unescaped, one per line (a \u-escaped plate is still found).</summary>
    private static string Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()! + "\n",
        JsonValueKind.Object => string.Concat(element.EnumerateObject().Select(p => Strings(p.Value))),
        JsonValueKind.Array => string.Concat(element.EnumerateArray().Select(Strings)),
        _ => "",
    };

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    /// <summary>Runs a raw statement on the store's database, as a person with database access would.</summary>
    protected abstract Task ExecuteAsync(ICaseStore store, string sql);
}

public sealed class SqliteReviewStoreTests : ReviewStoreContract
{
    protected override ICaseStore OpenStore() => new SqliteCaseStore(Temp.File("cww.db"));

    protected override IRegistryStore OpenRegistry() => new SqliteRegistryStore(Temp.File("cww.db"));

    protected override ConsoleStore OpenConsole() => ConsoleStore.Open(new Domain.Config.StorageConfig { SqlitePath = "cww.db" }, Temp.Path);

    protected override async Task ExecuteAsync(ICaseStore store, string sql)
    {
        try
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Temp.File("cww.db")};Pooling=false");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new StorageException(e.Message, e);
        }
    }
}

[Collection(PostgresServer.Collection)]
public sealed class PostgresReviewStoreTests(PostgresServer server) : ReviewStoreContract
{
    private readonly string _database = server.CreateDatabase();

    protected override ICaseStore OpenStore() => new PostgresCaseStore(_database);

    protected override IRegistryStore OpenRegistry() => new PostgresRegistryStore(_database);

    protected override ConsoleStore OpenConsole() => ConsoleStore.Open(new Domain.Config.StorageConfig { Type = Domain.Config.StorageKind.Postgres, ConnectionString = _database }, Temp.Path);

    /// <summary>
    /// Forces the interleaving a lost notice needs: both decisions have counted (each without the other's case) before
    /// either writes its notice, held at the notices table. Decisions taking turns make the second count after the
    /// first commits, so the 3rd and the 4th both get their notice.
    /// </summary>
    [Fact]
    public async Task Confirm_TwoDecisionsHeldBeforeTheirNotices_TheSecondCountsTheFirstsCase()
    {
        using var store = OpenStore();
        using var other = OpenStore();
        await store.MigrateAsync();
        using (var registry = OpenRegistry())
        {
            await registry.ReplaceAsync(Officials, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);
        }

        foreach (var c in new[] { Case("a", Local(2026, 3, 1)), Case("b", Local(2026, 4, 1)), Case("c", Local(2026, 5, 1)), Case("d", Local(2026, 6, 1)) })
        {
            await store.AddAsync(c);
        }

        await Decide(store, Calendar, "a", "b");
        await using var holder = new Npgsql.NpgsqlConnection(_database);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockNotices = new Npgsql.NpgsqlCommand("LOCK TABLE notices IN EXCLUSIVE MODE", holder, hold))
        {
            await lockNotices.ExecuteNonQueryAsync();
        }

        var third = Task.Run(() => store.DecideAsync(new ReviewDecision("c", ReviewAction.Confirm, "王警官", DateTimeOffset.UtcNow), Calendar, OfficeAnnouncements.Of));
        var fourth = Task.Run(() => other.DecideAsync(new ReviewDecision("d", ReviewAction.Confirm, "李警官", DateTimeOffset.UtcNow), Calendar, OfficeAnnouncements.Of));
        await WaitForLockWaitersAsync(2, TimeSpan.FromSeconds(30));
        await hold.CommitAsync();

        var outcomes = await Task.WhenAll(third, fourth);

        Assert.Equal([3, 4], outcomes.SelectMany(o => o.Notices).Select(n => n.Ordinal).Order());
    }

    private async Task WaitForLockWaitersAsync(int count, TimeSpan timeout)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var waiting = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        var deadline = DateTime.UtcNow + timeout;
        while ((long)(await waiting.ExecuteScalarAsync())! < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"two decisions did not both wait on a lock within {timeout.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    protected override async Task ExecuteAsync(ICaseStore store, string sql)
    {
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Npgsql.PostgresException e)
        {
            throw new StorageException(e.Message, e);
        }
    }
}
