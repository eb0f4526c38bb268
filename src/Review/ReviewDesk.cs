using System.Globalization;
using CrosswalkWatch.Domain.Accountability;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Storage.Review;

namespace CrosswalkWatch.Review;

/// <summary>
/// What the police and office sides work with, opened once from the configuration: the case store, the registry,
/// the sites' keys the evidence is checked with, the tally rules and the review service. The command line opens one
/// per command, the web console one for its lifetime.
/// </summary>
public sealed class ReviewDesk : IAsyncDisposable
{
    private ReviewDesk(CwwConfig settings, ICaseStore store, IRegistryStore registry, SiteKeyStore siteKeys, StreamingStore streaming, byte[]? legacyKey)
    {
        Settings = settings;
        Store = store;
        Registry = registry;
        SiteKeys = siteKeys;
        Streaming = streaming;
        Keys = new StoredEvidenceKeys(siteKeys, legacyKey);
        Verification = new VerificationCache(Keys);
        Zone = TimeZoneInfo.FindSystemTimeZoneById(settings.Site.TimeZone);
        Rules = TallyRules.From(settings);
        Intake = new CaseIntake(registry, Zone, settings.Plates);
        Service = new ReviewService(store, Intake, Rules, Keys);
    }

    public CwwConfig Settings { get; }

    public ICaseStore Store { get; }

    public IRegistryStore Registry { get; }

    /// <summary>The sites' public keys (<c>cww sites</c>), in the same database.</summary>
    public SiteKeyStore SiteKeys { get; }

    /// <summary>Each camera's hours streaming per day as its box recorded them, in the same database.</summary>
    public StreamingStore Streaming { get; }

    /// <summary>What evidence is verified with: each site's registered keys, and the legacy shared key for format-1 packages when there is one.</summary>
    public IEvidenceKeys Keys { get; }

    /// <summary>Verification for pages (a package unchanged on disk is not hashed again); decisions verify in full.</summary>
    public VerificationCache Verification { get; }

    public TimeZoneInfo Zone { get; }

    public TallyRules Rules { get; }

    public CaseIntake Intake { get; }

    public ReviewService Service { get; }

    /// <summary>
    /// Opens the stores (migrating them) and reads the legacy shared key that verifies format-1 packages,
    /// <paramref name="legacyKeyFile"/> or DATA/keys/site.key when there is one.
    /// </summary>
    public static async Task<ReviewDesk> OpenAsync(CwwConfig settings, string? legacyKeyFile = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = Stores.OpenCases(settings.Storage, settings.Paths.Data);
        var registry = Stores.OpenRegistry(settings.Storage, settings.Paths.Data);
        var siteKeys = SiteKeyStore.Open(settings.Storage, settings.Paths.Data);
        var streaming = StreamingStore.Open(settings.Storage, settings.Paths.Data);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var legacy = EvidenceKey.Load(legacyKeyFile ?? EvidenceKey.LegacyPath(settings.Paths.Data));
            return new ReviewDesk(settings, store, registry, siteKeys, streaming, legacy);
        }
        catch
        {
            store.Dispose();
            registry.Dispose();
            siteKeys.Dispose();
            streaming.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Confirmed violations per official counted in <paramref name="period"/> (the calendar year or the rolling 365
    /// days, <see cref="TallyRules"/>; exact matches the registry as it is now still gives the official, see
    /// <see cref="IReviewStore.CountingAsync"/>), officials with none left out, most first, each with the cases counted; then
    /// per department. Flagged as <see cref="TallyRules.FlagOf"/> says: "notice" at the threshold and over, "one away" one below.
    /// </summary>
    public async Task<TallyReport> TallyAsync(TallyPeriod period, string? department = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var officials = await OfficialsAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await Store.CountingAsync(Zone, cancellationToken).ConfigureAwait(false))
            .Where(c => c.OfficialId is not null)
            .GroupBy(c => c.OfficialId!, StringComparer.Ordinal)
            .Select(g => (Official: officials.GetValueOrDefault(g.Key) ?? new Official(g.Key, "", "", "", ""), Cases: Rules.CountedIn(g, period)))
            .Where(r => r.Cases.Count > 0 && (department is null || r.Official.Department == department))
            .OrderByDescending(r => r.Cases.Count).ThenBy(r => r.Official.Id, StringComparer.Ordinal)
            .Select(r => new TallyRow(r.Official.Id, r.Official.Name, r.Official.Department, r.Official.Authority, period.Label, r.Cases.Count, Rules.FlagOf(r.Cases.Count), [.. r.Cases.Select(c => c.CaseId)]))
            .ToList();
        var departments = rows.GroupBy(r => r.Department).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DepartmentTotal(g.Key, g.Sum(r => r.Count), g.Count(), g.Count(r => Rules.Reaches(r.Count))))
            .ToList();
        return new TallyReport(period, Describe(period), rows, departments);
    }

    /// <summary>The calendar year's tally (site time zone).</summary>
    public Task<TallyReport> TallyAsync(int year, string? department = null, CancellationToken cancellationToken = default) =>
        TallyAsync(Rules.Year(year), department, cancellationToken);

    /// <summary>
    /// The period a tally counts: <paramref name="window"/>, or when none is named the calendar window if a
    /// <paramref name="year"/> is given, the rolling one if a <paramref name="last"/> day is, else <c>tally.window</c>;
    /// for the calendar the year (default this year), for the rolling window the 365 days to <paramref name="last"/> (default today).
    /// </summary>
    public TallyPeriod Period(TallyWindow? window = null, int? year = null, DateOnly? last = null)
    {
        var kind = window ?? (year is not null ? TallyWindow.Calendar : last is not null ? TallyWindow.Rolling365 : Settings.Tally.Window);
        var today = Rules.DayOf(DateTimeOffset.UtcNow);
        return kind == TallyWindow.Calendar ? Rules.Year(year ?? today.Year) : Rules.RollingTo(last ?? today);
    }

    /// <summary>The window in words, with its first and last local moments: "calendar year 2026 (…)", "rolling 365 days to 2026-05-03 (…)".</summary>
    public string Describe(TallyPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        var last = period.Until.AddMilliseconds(-1);
        return (period.Window == TallyWindow.Calendar ? $"calendar year {period.Label}" : "rolling 365 days to " + Rules.DayOf(last).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            + $" ({Local(period.From)} to {Local(last)}, {Zone.Id})";
    }

    /// <summary>Every accountability notice, oldest first, with its official as the registry has them (null: no longer there).</summary>
    public async Task<IReadOnlyList<(NoticeRecord Notice, Official? Official)>> NoticesAsync(CancellationToken cancellationToken = default)
    {
        var officials = await OfficialsAsync(cancellationToken).ConfigureAwait(false);
        var notices = await Store.NoticesAsync(cancellationToken).ConfigureAwait(false);
        return notices.Select(n => (n, officials.GetValueOrDefault(n.OfficialId))).ToList();
    }

    /// <summary>The officials of the registry by id.</summary>
    public async Task<Dictionary<string, Official>> OfficialsAsync(CancellationToken cancellationToken = default) =>
        (await Registry.LoadAsync(cancellationToken).ConfigureAwait(false)).Officials.ToDictionary(o => o.Id, StringComparer.Ordinal);

    /// <summary>The start of a local day given as yyyy-MM-dd (plus <paramref name="days"/>), or null.</summary>
    public DateTimeOffset? Day(string? text, int days) => DayOf(text) is { } day ? StartOf(day.AddDays(days)) : null;

    /// <summary>The day written as yyyy-MM-dd in <paramref name="text"/>, or null; refused when it is not one.</summary>
    public static DateOnly? DayOf(string? text) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new ReviewException(Domain.Phrase.Of("date.notADate", "'{text}' is not a date as yyyy-MM-dd", ("text", text)));

    /// <summary>The first moment of a local day in the site's time zone.</summary>
    public DateTimeOffset StartOf(DateOnly day) =>
        new(day.ToDateTime(TimeOnly.MinValue), Zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue)));

    /// <summary>A time as the site reads it: yyyy-MM-dd HH:mm:ss.fff in its time zone.</summary>
    public string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync()
    {
        Store.Dispose();
        Registry.Dispose();
        SiteKeys.Dispose();
        Streaming.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A tally: its period (and the period in words), per official, per department.</summary>
public sealed record TallyReport(TallyPeriod Period, string Described, IReadOnlyList<TallyRow> Officials, IReadOnlyList<DepartmentTotal> Departments);

/// <summary>One department's total in a tally; <see cref="AtThreshold"/>: its officials at tally.threshold or more.</summary>
public sealed record DepartmentTotal(string Department, int Violations, int Officials, int AtThreshold);

/// <summary>One official's count in a window (its label, e.g. "2026" or "365d to 2026-05-03"), as the office reads it, with the cases counted.</summary>
public sealed record TallyRow(string OfficialId, string Name, string Department, string Authority, string Window, int Count, string Flag, IReadOnlyList<string> CaseIds);
