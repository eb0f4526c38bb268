using System.Globalization;
using CrosswalkWatch.Core.Config;

namespace CrosswalkWatch.Storage.Review;

/// <summary>
/// How confirmed violations are counted (DOMAIN.md, accountability logic): per official, within a window (the calendar
/// year in the site's time zone, or the 365 days ending at a violation), two cases of the same plate within
/// <see cref="Dedup"/> counting once (the same vehicle seen by two cameras). Pure: no clock, no database.
/// </summary>
public sealed record TallyRules(TallyWindow Window, TimeSpan Dedup, TimeZoneInfo Zone)
{
    /// <summary>Length of the rolling window: 365 × 24 h; an earlier violation counts when strictly less than this before.</summary>
    public static readonly TimeSpan Rolling = TimeSpan.FromDays(365);

    public static TallyRules From(CwwConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new TallyRules(config.Tally.Window, TimeSpan.FromSeconds(config.Tally.DedupSeconds), TimeZoneInfo.FindSystemTimeZoneById(config.Site.TimeZone));
    }

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

    /// <summary>The counted cases of calendar year <paramref name="year"/> (site time zone), whatever the window setting.</summary>
    public IReadOnlyList<CaseRecord> CountedInYear(IEnumerable<CaseRecord> confirmed, int year) =>
        Counted(confirmed).Where(c => YearOf(c.EventAt) == year).ToList();
}
