using CrosswalkWatch.Domain.Accountability;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.UnitTests.Review;

/// <summary>Windows at their edges and de-duplication, on the pure counting rules.</summary>
public sealed class TallyRulesTests
{
    [Fact]
    public void Counted_Empty_IsEmpty()
    {
        Assert.Empty(Calendar.Counted([]));
        Assert.Empty(Rolling.CountedInWindow([], Local(2026, 1, 1)));
    }

    [Fact]
    public void Calendar_LastSecondOfTheYearLocal_CountsInThatYearThoughUtcIsStillTheSameDay()
    {
        var lastSecond = Local(2026, 12, 31, 23, 59, 59);
        var firstInstant = Local(2027, 1, 1, 0, 0, 0);

        Assert.Equal(2026, Calendar.YearOf(lastSecond));
        Assert.Equal(2027, Calendar.YearOf(firstInstant));
        Assert.Equal(2026, firstInstant.UtcDateTime.Year); // 16:00 UTC on 31 Dec: the local date decides
        Assert.Equal("2027", Calendar.Label(firstInstant));
        Assert.False(Calendar.InWindow(firstInstant, lastSecond));
        Assert.Equal(["last"], Calendar.CountedIn([Case("last", lastSecond), Case("first", firstInstant)], Calendar.Year(2026)).Select(c => c.CaseId));
    }

    [Fact]
    public void Calendar_LeapDay_CountsInItsYear()
    {
        var leapDay = Local(2028, 2, 29, 12);

        Assert.Equal(2028, Calendar.YearOf(leapDay));
        Assert.Single(Calendar.CountedIn([Case("leap", leapDay)], Calendar.Year(2028)));
    }

    [Theory]
    [InlineData(364, true)]
    [InlineData(365, false)]
    public void Rolling_365DaysExactlyBefore_IsOutsideTheWindow(int daysBefore, bool counts)
    {
        var at = Local(2027, 3, 1, 9);

        Assert.Equal(counts, Rolling.InWindow(at, at.AddDays(-daysBefore)));
    }

    [Fact]
    public void Rolling_AcrossALeapDay_Is365DaysNotAYear()
    {
        var at = Local(2029, 2, 28, 12);

        // 29 Feb 2028 12:00 is exactly 365 days before 28 Feb 2029 12:00: outside; one millisecond later: inside.
        Assert.False(Rolling.InWindow(at, Local(2028, 2, 29, 12)));
        Assert.True(Rolling.InWindow(at, Local(2028, 2, 29, 12).AddMilliseconds(1)));
        Assert.False(Rolling.InWindow(at, at.AddSeconds(1)));
    }

    [Theory]
    [InlineData("2026-05-03", "2025-05-04T00:00:00+08:00", "2026-05-04T00:00:00+08:00")]
    [InlineData("2028-03-01", "2027-03-03T00:00:00+08:00", "2028-03-02T00:00:00+08:00")] // across 29 Feb 2028: not "a year back"
    [InlineData("2029-02-28", "2028-03-01T00:00:00+08:00", "2029-03-01T00:00:00+08:00")]
    public void RollingTo_LastDay_Is365LocalDaysEndingWithIt(string last, string from, string until)
    {
        var period = Rolling.RollingTo(DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture)), (period.From, period.Until));
        Assert.Equal(TimeSpan.FromDays(365), period.Until - period.From);
        Assert.Equal("365d to " + last, period.Label);
    }

    [Theory]
    [InlineData(0, 0, true)] // the end's last millisecond
    [InlineData(0, -1, false)] // the next day
    [InlineData(365, 0, true)] // exactly 365 × 24 h before the end: the first instant in
    [InlineData(365, 1, false)] // one millisecond earlier
    [InlineData(366, 0, false)]
    public void RollingTo_ViolationDaysBeforeTheEnd_CountsOnlyWithin365Days(int daysBefore, int millisecondsEarlier, bool counts)
    {
        var period = Rolling.RollingTo(new DateOnly(2026, 5, 3));
        var at = daysBefore == 0 && millisecondsEarlier == 0
            ? period.Until.AddMilliseconds(-1)
            : period.Until.AddDays(-daysBefore).AddMilliseconds(-millisecondsEarlier);

        Assert.Equal(counts, period.Holds(at));
        Assert.Equal(counts ? 1 : 0, Rolling.CountedIn([Case("a", at)], period).Count);
    }

    [Fact]
    public void PerOfficial_EmptyOrNobodysCases_IsEmpty()
    {
        Assert.Empty(Rolling.PerOfficial([], Rolling.RollingTo(new DateOnly(2026, 5, 3))));
        Assert.Empty(Calendar.PerOfficial([Case("citizen", Local(2026, 5, 1), ReviewCases.CitizenPlate, officialId: null)], Calendar.Year(2026)));
    }

    [Fact]
    public void Year_Is1JanuaryTo31DecemberLocal()
    {
        var year = Calendar.Year(2028);

        Assert.Equal((Local(2028, 1, 1, 0), Local(2029, 1, 1, 0), "2028"), (year.From, year.Until, year.Label));
        Assert.Equal(TimeSpan.FromDays(366), year.Until - year.From);
    }

    [Fact]
    public void Counted_SamePlateTwoCamerasWithinDedup_CountsOnce()
    {
        var at = Local(2026, 5, 1);
        CaseRecord[] cases =
        [
            Case("north", at, camera: "north"),
            Case("east", at.AddSeconds(12), camera: "east"),
            Case("later", at.AddSeconds(31), camera: "east"),
            Case("other-plate", at.AddSeconds(5), plate: "京B88888", officialId: "F2"),
        ];

        Assert.Equal(["north", "other-plate", "later"], Calendar.Counted(cases).Select(c => c.CaseId));
    }

    [Theory]
    [InlineData(3, 0, false, false, "")]
    [InlineData(3, 1, false, false, "")]
    [InlineData(3, 2, false, true, "one away")]
    [InlineData(3, 3, true, false, "notice")]
    [InlineData(3, 4, true, false, "notice")]
    [InlineData(2, 0, false, false, "")]
    [InlineData(2, 1, false, true, "one away")]
    [InlineData(2, 2, true, false, "notice")]
    [InlineData(2, 3, true, false, "notice")]
    [InlineData(5, 4, false, true, "one away")]
    [InlineData(5, 5, true, false, "notice")]
    public void Policy_CountAgainstTheThreshold_ReachesOneAwayAndFlag(int threshold, int count, bool reaches, bool oneAway, string flag)
    {
        var rules = Calendar with { Threshold = threshold };

        Assert.Equal((reaches, oneAway, flag), (rules.Reaches(count), rules.OneAway(count), rules.FlagOf(count)));
    }

    [Theory]
    [InlineData(3, 0, new int[0])]
    [InlineData(3, 2, new int[0])]
    [InlineData(3, 3, new[] { 3 })]
    [InlineData(3, 5, new[] { 3, 4, 5 })]
    [InlineData(2, 1, new int[0])]
    [InlineData(2, 2, new[] { 2 })]
    [InlineData(2, 4, new[] { 2, 3, 4 })]
    public void NoticeOrdinals_Count_FromTheThresholdToTheCount(int threshold, int count, int[] ordinals)
    {
        Assert.Equal(ordinals, (Calendar with { Threshold = threshold }).NoticeOrdinals(count));
    }

    [Fact]
    public void Threshold_Default_IsTheCampaignsThree()
    {
        Assert.Equal(3, Calendar.Threshold);
        Assert.Equal(3, new TallyConfig().Threshold);
        Assert.Equal(5, TallyRules.From(new CwwConfig { Tally = new TallyConfig { Threshold = 5 } }).Threshold);
    }

    [Fact]
    public void Threshold_BelowOne_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar with { Threshold = 0 });
    }

    [Fact]
    public void Counted_DedupAcrossNewYear_CountsTheFirstInItsYear()
    {
        var cases = new[] { Case("dec", Local(2026, 12, 31, 23, 59, 50)), Case("jan", Local(2027, 1, 1, 0, 0, 5), camera: "cam2") };

        Assert.Single(Calendar.CountedIn(cases, Calendar.Year(2026)));
        Assert.Empty(Calendar.CountedIn(cases, Calendar.Year(2027)));
    }
}
