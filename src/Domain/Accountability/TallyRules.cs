using System.Globalization;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.Domain.Accountability;

/// <summary>
/// How confirmed violations are counted (DOMAIN.md, accountability logic): per official, within a window (the calendar
/// year in the site's time zone, or the 365 days ending at a violation), two cases of the same plate within
/// <see cref="Dedup"/> counting once (the same vehicle seen by two cameras); and the campaign's policy on the count: at
/// <see cref="Threshold"/> (tally.threshold, 3 by default) and over an official is named in a notice, one fewer is
/// "one away". Pure: no clock, no database.
/// </summary>
public sealed record TallyRules(TallyWindow Window, TimeSpan Dedup, TimeZoneInfo Zone)
{
    /// <summary>Length of the rolling window: 365 × 24 h; an earlier violation counts when strictly less than this before.</summary>
    public static readonly TimeSpan Rolling = TimeSpan.FromDays(365);

    /// <summary>The flag of a count at or over the threshold.</summary>
    public const string NoticeFlag = "notice";

    /// <summary>The flag of a count one below the threshold.</summary>
    public const string OneAwayFlag = "one away";

    /// <summary>Confirmed violations in one window at which an official is named (the notice); 1 or more.</summary>
    public int Threshold
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = TallyConfig.DefaultThreshold;

    /// <summary>
    /// Different reviewers who must confirm a case naming an official before it counts (review.officialConfirmations,
    /// 2 by default through <see cref="From"/>; 1 in a record made by hand).
    /// </summary>
    public int OfficialConfirmations
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1;

    public static TallyRules From(CwwConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new TallyRules(config.Tally.Window, TimeSpan.FromSeconds(config.Tally.DedupSeconds), TimeZoneInfo.FindSystemTimeZoneById(config.Site.TimeZone))
        {
            Threshold = config.Tally.Threshold,
            OfficialConfirmations = config.Review.OfficialConfirmations,
        };
    }

    /// <summary>Whether <paramref name="count"/> counted violations in a window reach the threshold: a notice is due.</summary>
    public bool Reaches(int count) => count >= Threshold;

    /// <summary>Whether <paramref name="count"/> is one below the threshold.</summary>
    public bool OneAway(int count) => count == Threshold - 1;

    /// <summary>"notice" at the threshold and over, "one away" one below it, else empty.</summary>
    public string FlagOf(int count) => Reaches(count) ? NoticeFlag : OneAway(count) ? OneAwayFlag : "";

    /// <summary>The ordinals a count of <paramref name="count"/> has reached that each have a notice: the threshold to <paramref name="count"/>; none below it.</summary>
    public IEnumerable<int> NoticeOrdinals(int count) => Enumerable.Range(Threshold, Math.Max(0, count - Threshold + 1));

    /// <summary>The calendar year of <paramref name="at"/> in the site's time zone (31 Dec 23:59 local is still that year).</summary>
    public int YearOf(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).Year;

    /// <summary>
    /// The window a violation at <paramref name="at"/> is counted in, as notices name it: the year ("2026"), or for
    /// the rolling window "365d to" and the local date of the violation.
    /// </summary>
    public string Label(DateTimeOffset at) => Window == TallyWindow.Calendar
        ? YearOf(at).ToString(CultureInfo.InvariantCulture)
        : "365d to " + TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Whether a violation at <paramref name="other"/> counts in the window of one at <paramref name="at"/>.</summary>
    public bool InWindow(DateTimeOffset at, DateTimeOffset other) => Window == TallyWindow.Calendar
        ? YearOf(other) == YearOf(at)
        : other <= at && at - other < Rolling;

    /// <summary>
    /// The cases that count, oldest first: of several of the same plate closer than <see cref="Dedup"/> to the
    /// previous counted one, only the first. Cases without a plate each count.
    /// </summary>
    public IReadOnlyList<CaseRecord> Counted(IEnumerable<CaseRecord> confirmed)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        var counted = new List<CaseRecord>();
        var lastOfPlate = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var c in confirmed.OrderBy(c => c.EventAt).ThenBy(c => c.CaseId, StringComparer.Ordinal))
        {
            if (c.Plate is { } plate)
            {
                if (lastOfPlate.TryGetValue(plate, out var last) && c.EventAt - last < Dedup)
                {
                    continue;
                }

                lastOfPlate[plate] = c.EventAt;
            }

            counted.Add(c);
        }

        return counted;
    }

    /// <summary>The counted cases in the window of a violation at <paramref name="at"/>, oldest first.</summary>
    public IReadOnlyList<CaseRecord> CountedInWindow(IEnumerable<CaseRecord> confirmed, DateTimeOffset at) =>
        Counted(confirmed).Where(c => InWindow(at, c.EventAt)).ToList();

    /// <summary>The calendar year <paramref name="year"/> in the site's time zone: 1 Jan 00:00 to 31 Dec 24:00 local.</summary>
    public TallyPeriod Year(int year) => new(
        TallyWindow.Calendar,
        StartOfDay(new DateOnly(year, 1, 1)),
        StartOfDay(new DateOnly(year + 1, 1, 1)),
        year.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The 365 days (365 × 24 h) ending with the local day <paramref name="last"/>: from 364 days before it, 00:00,
    /// to its end. This is the rolling window as a violation in the last instant of that day counts it, so a
    /// violation exactly 365 × 24 h before the end is the first one in, and across a leap day the window starts a
    /// year and one day after the date a year before (leap day 2028: the 365 days to 1 Mar 2028 start on 3 Mar 2027).
    /// </summary>
    public TallyPeriod RollingTo(DateOnly last)
    {
        var until = StartOfDay(last.AddDays(1));
        return new TallyPeriod(TallyWindow.Rolling365, until - Rolling, until, "365d to " + last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>The period of <paramref name="window"/> that ends with, or holds, the local day <paramref name="day"/>.</summary>
    public TallyPeriod PeriodOf(TallyWindow window, DateOnly day) => window == TallyWindow.Calendar ? Year(day.Year) : RollingTo(day);

    /// <summary>The counted cases (de-duplicated over all of <paramref name="confirmed"/>) that fall in <paramref name="period"/>, oldest first.</summary>
    public IReadOnlyList<CaseRecord> CountedIn(IEnumerable<CaseRecord> confirmed, TallyPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return Counted(confirmed).Where(c => period.Holds(c.EventAt)).ToList();
    }

    /// <summary>Each official's counted cases in <paramref name="period"/>, officials with none left out; the tally <c>cww tally</c> prints.</summary>
    public IReadOnlyDictionary<string, int> PerOfficial(IEnumerable<CaseRecord> confirmed, TallyPeriod period) =>
        confirmed.Where(c => c.OfficialId is not null)
            .GroupBy(c => c.OfficialId!, StringComparer.Ordinal)
            .Select(g => (Official: g.Key, Count: CountedIn(g, period).Count))
            .Where(t => t.Count > 0)
            .ToDictionary(t => t.Official, t => t.Count, StringComparer.Ordinal);

    /// <summary>The local day as a site clock shows it at <paramref name="at"/>.</summary>
    public DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    private DateTimeOffset StartOfDay(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight));
    }
}

/// <summary>
/// What a tally counts: violations from <see cref="From"/> (inclusive) until <see cref="Until"/> (exclusive), named
/// by <see cref="Label"/> as notices name their window ("2026", or "365d to 2026-05-03").
/// </summary>
public sealed record TallyPeriod(TallyWindow Window, DateTimeOffset From, DateTimeOffset Until, string Label)
{
    public bool Holds(DateTimeOffset at) => From <= at && at < Until;
}
