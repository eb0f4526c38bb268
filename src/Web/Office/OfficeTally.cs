using System.Globalization;
using System.Text;
using CrosswalkWatch.Domain.Accountability;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Review;
using CrosswalkWatch.Web.Texts;

namespace CrosswalkWatch.Web.Office;

/// <summary>One official's row of the office's tally, with the cases it counts (oldest first), which the office may open.</summary>
internal sealed record OfficialTally(TallyRow Row, IReadOnlyList<CaseRecord> Cases);

/// <summary>An official's department's totals in a year, with those one away and those at tally.threshold or more.</summary>
internal sealed record OfficeDepartmentTotal(string Department, int Officials, int Count, int OneAway, int AtThreshold);

/// <summary>
/// The campaign office's tally of a year: the counts are <see cref="ReviewDesk.TallyAsync"/>'s (the one place that
/// counts); beside each row, the counted cases it is made of, chosen by the desk's tally rules, so the office can open
/// them. Officials' data only: the confirmed cases read here are those with an official.
/// </summary>
internal static class OfficeTally
{
    public static async Task<IReadOnlyList<OfficialTally>> OfPeriodAsync(ReviewDesk desk, TallyPeriod period, string? department, CancellationToken cancellationToken)
    {
        var report = await desk.TallyAsync(period, department, cancellationToken).ConfigureAwait(false);
        var confirmed = (await desk.Store.CountingAsync(desk.Zone, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.CaseId, StringComparer.Ordinal);
        return report.Officials.Select(r => new OfficialTally(r, r.CaseIds.Select(id => confirmed[id]).ToList())).ToList();
    }

    /// <summary>Per department: officials counted, violations, officials one away and at the threshold or more (as <paramref name="rules"/> say); most violations first.</summary>
    public static IReadOnlyList<OfficeDepartmentTotal> Departments(IEnumerable<OfficialTally> tallies, TallyRules rules) =>
        tallies.GroupBy(t => t.Row.Department, StringComparer.Ordinal)
            .Select(g => new OfficeDepartmentTotal(g.Key, g.Count(), g.Sum(t => t.Row.Count), g.Count(t => rules.OneAway(t.Row.Count)), g.Count(t => rules.Reaches(t.Row.Count))))
            .OrderByDescending(d => d.Count).ThenBy(d => d.Department, StringComparer.Ordinal)
            .ToList();

    /// <summary>The years the office can choose: every year with a confirmed case of an official, and <paramref name="current"/>; newest first.</summary>
    public static async Task<IReadOnlyList<int>> YearsAsync(ReviewDesk desk, int current, CancellationToken cancellationToken) =>
        (await desk.Store.ConfirmedAsync(cancellationToken).ConfigureAwait(false))
            .Select(c => desk.Rules.YearOf(c.EventAt)).Append(current).Distinct().OrderDescending().ToList();

    /// <summary>
    /// The tally as a spreadsheet opens it: UTF-8 with a byte order mark (Excel then reads Chinese names right),
    /// RFC 4180 quoting and CRLF line ends. A cell that a spreadsheet would take for a formula (=, +, -, @ first) gets a
    /// leading apostrophe, so a name in the registry can never run as one. The header, the windows and the flags are
    /// in <paramref name="language"/> (the request's on the console) of <paramref name="texts"/> (default: the program's).
    /// </summary>
    public static byte[] Csv(IReadOnlyList<OfficialTally> tallies, ConsoleTexts? texts = null, string language = "en")
    {
        ArgumentNullException.ThrowIfNull(tallies);
        texts ??= ConsoleTexts.Load();
        string T(string key, params (string Name, object? Value)[] values) => texts.Get(language, key, values);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        Matcher.Registry.Csv.WriteRecord(text, [
            T("office.csv.officialId"), T("office.csv.name"), T("office.csv.department"), T("office.csv.authority"),
            T("office.csv.window"), T("office.csv.count"), T("office.csv.flag"), T("office.csv.cases"),
        ]);
        foreach (var (row, cases) in tallies)
        {
            Matcher.Registry.Csv.WriteRecord(text, [
                Cell(row.OfficialId),
                Cell(row.Name),
                Cell(row.Department),
                Cell(row.Authority),
                row.Window.StartsWith(RollingLabel, StringComparison.Ordinal) ? T("office.window.rolling", ("day", row.Window[RollingLabel.Length..])) : T("office.window.calendar", ("year", row.Window)),
                row.Count.ToString(CultureInfo.InvariantCulture),
                row.Flag switch
                {
                    TallyRules.NoticeFlag => T("office.flag.notice"),
                    TallyRules.OneAwayFlag => T("office.flag.oneAway"),
                    _ => row.Flag,
                },
                Cell(string.Join(' ', cases.Select(c => c.CaseId))),
            ]);
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>The file name of a window's (and a department's) tally: tally-2026.csv, tally-365d-to-2026-05-03.csv.</summary>
    public static string FileName(string window, string? department) =>
        $"tally-{window.Replace(' ', '-')}{(department is null ? "" : "-" + department)}.csv";

    /// <summary>How a rolling window's label starts: "365d to 2026-05-03" (<see cref="TallyRules.Label"/>).</summary>
    private const string RollingLabel = "365d to ";

    private static string Cell(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>Every department of the registry, for the office's filter.</summary>
    public static async Task<IReadOnlyList<string>> AllDepartmentsAsync(ReviewDesk desk, CancellationToken cancellationToken) =>
        (await desk.OfficialsAsync(cancellationToken).ConfigureAwait(false)).Values.Select(o => o.Department)
            .Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The registry's name for an official, or the id alone when the registry no longer has them.</summary>
    public static object OfficialView(string id, Official? official) =>
        new { id, name = official?.Name ?? "", department = official?.Department ?? "", authority = official?.Authority ?? "" };
}
