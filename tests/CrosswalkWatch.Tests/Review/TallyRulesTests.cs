using CrosswalkWatch.Storage;
using static CrosswalkWatch.Tests.Review.ReviewCases;

namespace CrosswalkWatch.Tests.Review;

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
        Assert.Equal(["last"], Calendar.CountedInYear([Case("last", lastSecond), Case("first", firstInstant)], 2026).Select(c => c.CaseId));
    }

    [Fact]
    public void Calendar_LeapDay_CountsInItsYear()
    {
        var leapDay = Local(2028, 2, 29, 12);

        Assert.Equal(2028, Calendar.YearOf(leapDay));
        Assert.Single(Calendar.CountedInYear([Case("leap", leapDay)], 2028));
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

    [Fact]
    public void Counted_DedupAcrossNewYear_CountsTheFirstInItsYear()
    {
        var cases = new[] { Case("dec", Local(2026, 12, 31, 23, 59, 50)), Case("jan", Local(2027, 1, 1, 0, 0, 5), camera: "cam2") };

        Assert.Single(Calendar.CountedInYear(cases, 2026));
        Assert.Empty(Calendar.CountedInYear(cases, 2027));
    }
}
