using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Officials;

namespace CrosswalkWatch.UnitTests.Cases;

/// <summary>The case's review moves: what each does, and the moves it refuses.</summary>
public class CaseRecordTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 8, 30, 0, TimeSpan.FromHours(8));

    /// <summary>Why a confirmation needs a note: the vehicle does not match the registry.</summary>
    private static readonly CrosswalkWatch.Domain.Phrase Mismatch =
        CrosswalkWatch.Domain.Phrase.Of("vehicle.mismatch", "vehicle does not match the registry: registry says white car, evidence shows red truck");

    private static CaseRecord Case(string? plate = "京A12345", string? official = "F001") => new(
        "case-1", "site", "cam1", At, "lane 1", "northbound", 7, CaseStatus.Candidate, "/evidence/case-1", "{}", "sig", At)
    {
        PlateRead = plate,
        Plate = plate,
        MatchKind = official is null ? MatchKind.None : MatchKind.Exact,
        OfficialId = official,
    };

    [Fact]
    public void Confirm_MatchedCase_CountsAgainstItsOfficial()
    {
        var confirmed = Case().Confirm("police1", At.AddHours(1));

        Assert.Equal(CaseStatus.Confirmed, confirmed.Status);
        Assert.Equal("police1", confirmed.DecidedBy);
        Assert.True(confirmed.Counts);
        Assert.False(Case().Counts);
        Assert.False(Case(official: null).Confirm("police1", At).Counts);
    }

    [Fact]
    public void Reject_WithAListedReason_IsRejectedWithItsNote_AndAnUnlistedReasonIsRefused()
    {
        var rejected = Case().Reject("police1", At, "vehicle-stopped", "  ");

        Assert.Equal(CaseStatus.Rejected, rejected.Status);
        Assert.Equal("vehicle-stopped", rejected.RejectReason);
        Assert.Null(rejected.RejectNote);
        Assert.False(rejected.Counts);
        var refused = Assert.Throws<ReviewException>(() => Case().Reject("police1", At, "looked fine to me", null));
        Assert.Contains("not one of", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ReviewException>(() => Case().Reject("police1", At, null, null));
    }

    [Fact]
    public void Correct_ANewPlateOnAConfirmedCase_WaitsForAConfirmationAgain()
    {
        var confirmed = Case().Confirm("police1", At);

        var corrected = confirmed.Correct("police2", At.AddMinutes(5), new PlateMatch("京A12346", MatchKind.Exact, "F002", null));

        Assert.Equal(CaseStatus.Candidate, corrected.Status);
        Assert.Equal("京A12346", corrected.Plate);
        Assert.Equal("F002", corrected.OfficialId);
        Assert.False(corrected.Counts);
    }

    [Fact]
    public void Correct_TheSamePlateChangesNothing_AndNoPlateIsRefused()
    {
        var confirmed = Case().Confirm("police1", At);

        Assert.Same(confirmed, confirmed.Correct("police2", At, new PlateMatch("京A12345", MatchKind.Exact, "F001", null)));
        Assert.Throws<ReviewException>(() => confirmed.Correct("police2", At, null));
    }

    [Fact]
    public void Decide_TakesEachAction_ToItsMove()
    {
        var rejected = Case().Decide(new ReviewDecision("case-1", ReviewAction.Reject, "police1", At, RejectReason: "duplicate"));
        var confirmed = rejected.Decide(new ReviewDecision("case-1", ReviewAction.Confirm, "police2", At));

        Assert.Equal(CaseStatus.Rejected, rejected.Status);
        Assert.Equal(CaseStatus.Confirmed, confirmed.Status);
        Assert.Null(confirmed.RejectReason);
    }

    [Theory]
    [InlineData(CaseStatus.Candidate, "candidate")]
    [InlineData(CaseStatus.Confirmed, "confirmed")]
    [InlineData(CaseStatus.Rejected, "rejected")]
    public void Statuses_HaveTheirStoredNames_BothWays(CaseStatus status, string name)
    {
        Assert.Equal(name, CaseStatuses.Name(status));
        Assert.Equal(status, CaseStatuses.Parse(name));
        Assert.False(CaseStatuses.TryParse("Confirmed", out _));
        Assert.Throws<FormatException>(() => CaseStatuses.Parse("maybe"));
    }

    [Fact]
    public void Confirm_TwoConfirmationsRequired_TheSameReviewerTwiceIsRefusedAndTwoDifferentOnesConfirm()
    {
        var once = Case().Confirm("police1", At, officialConfirmations: 2);

        Assert.Equal((CaseStatus.Candidate, false), (once.Status, once.Counts));
        Assert.Throws<ReviewException>(() => once.Confirm("police1", At.AddMinutes(1), officialConfirmations: 2));
        var twice = once.Confirm("police2", At.AddMinutes(2), officialConfirmations: 2);
        Assert.Equal((CaseStatus.Confirmed, true), (twice.Status, twice.Counts));
        Assert.Equal(["police1", "police2"], twice.Confirmations.Select(c => c.Actor));
        Assert.Equal(CaseStatus.Confirmed, Case(official: null).Confirm("police1", At, officialConfirmations: 2).Status);
    }

    [Fact]
    public void Confirm_AfterARejection_EarlierConfirmationsAreVoid()
    {
        var rejected = Case().Confirm("police1", At, 2).Reject("police2", At, "vehicle-stopped", null);

        var after = rejected.Confirm("police3", At, 2);

        Assert.Equal((CaseStatus.Candidate, 1), (after.Status, after.Confirmations.Count));
    }

    [Fact]
    public void Confirm_NoteRequiredButMissing_Refused()
    {
        var refused = Assert.Throws<ReviewException>(() => Case().Confirm("police1", At, 2, "  ", Mismatch));

        Assert.Contains("needs a note", refused.Message, StringComparison.Ordinal);
        Assert.Equal("lent to a relative", Case().Confirm("police1", At, 2, " lent to a relative ", Mismatch).Confirmations[0].Note);
    }

    [Fact]
    public void Reopen_ConfirmedCase_WaitsForItsConfirmationsAgain_AndOnlyAConfirmedCaseWithAReason()
    {
        var confirmed = Case().Confirm("police1", At).Confirm("police2", At);

        var reopened = confirmed.Reopen("office:z", At, "objection");

        Assert.Equal((CaseStatus.Candidate, 0, "objection"), (reopened.Status, reopened.Confirmations.Count, reopened.ReopenReason));
        Assert.Throws<ReviewException>(() => Case().Reopen("office:z", At, "objection"));
        Assert.Throws<ReviewException>(() => confirmed.Reopen("office:z", At, ""));
    }

    [Fact]
    public void Confirm_VehicleDoesNotMatchTheRegistry_CountsOnlyWithTwoReviewersEachWithANote()
    {

        var first = Case().Confirm("police1", At, officialConfirmations: 1, "the driver is the official, seen in the clip", Mismatch);
        var second = first.Confirm("police2", At, officialConfirmations: 1, "agreed: same person, the car was resprayed", Mismatch);

        Assert.Equal(CaseStatus.Candidate, first.Status);
        Assert.Equal(CaseStatus.Confirmed, second.Status);
        Assert.Throws<ReviewException>(() => first.Confirm("police2", At, 1, null, Mismatch));
    }
}
