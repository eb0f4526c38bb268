using System.Globalization;
using System.Text;
using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Storage.Review;

namespace CrosswalkWatch.Review;

/// <summary>
/// One camera's cases of one day (by the event's date in the site's zone): how many it raised, what review made of
/// them, the plates read surely and the officials matched, and the hours it streamed. <see cref="Validity"/> is the
/// share confirmed among the decided — the validity rate police procurement asks of a camera.
/// </summary>
public sealed record CameraDay(string CameraId, DateOnly Day)
{
    public int Candidates { get; init; }

    public int Confirmed { get; init; }

    public int Rejected { get; init; }

    /// <summary>Rejections by reason (RejectReasons), most first.</summary>
    public IReadOnlyList<(string Reason, int Count)> RejectedBy { get; init; } = [];

    /// <summary>Cases still waiting for a decision.</summary>
    public int Waiting { get; init; }

    /// <summary>Cases whose plate a reviewer corrected (the plate differs from the box's read).</summary>
    public int Corrected { get; init; }

    /// <summary>Cases whose plate read is sure under the plate settings (no doubt: valid, agreeing, confident).</summary>
    public int PlatesSure { get; init; }

    /// <summary>Cases whose plate is an official's registered vehicle (exact match).</summary>
    public int OfficialMatches { get; init; }

    /// <summary>Hours the camera streamed that day as its box recorded them; null where nothing was recorded (no box kept this camera's time here).</summary>
    public double? HoursStreaming { get; init; }

    /// <summary>Confirmed ÷ (confirmed + rejected); null before any decision.</summary>
    public double? Validity => Confirmed + Rejected == 0 ? null : Confirmed / (double)(Confirmed + Rejected);
}

/// <summary>A camera whose validity over the week fell below <c>review.minValidity</c>: to re-tune, with why its cases were rejected.</summary>
public sealed record CameraFlag(string CameraId, double Validity, int Decided, IReadOnlyList<(string Reason, int Count)> TopReasons);

/// <summary>
/// Each camera's numbers (<c>cww stats</c>, the operators' Statistics page): per camera and day, from the cases in
/// the store and the hours streaming its box recorded (<see cref="StreamingStore"/>), and the cameras to re-tune.
/// </summary>
public static class CameraStats
{
    /// <summary>Fewer decided cases in a week than this flag nothing: too few to say a camera is off.</summary>
    public const int MinDecidedToFlag = 5;

    /// <summary>
    /// The days from <paramref name="from"/> up to (not including) <paramref name="until"/>, of <paramref name="camera"/>
    /// or every camera; with <paramref name="streaming"/>, their hours streaming too (and the days a camera streamed without a case).
    /// </summary>
    public static async Task<IReadOnlyList<CameraDay>> DaysAsync(
        IReviewStore store, DateTimeOffset from, DateTimeOffset until, string? camera, TimeZoneInfo zone, PlateSettings plates, StreamingStore? streaming = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var cases = await store.QueryAsync(new CaseQuery(Camera: camera, From: from, To: until, Limit: int.MaxValue), cancellationToken).ConfigureAwait(false);
        var streamed = streaming is null || until <= from
            ? []
            : await streaming.DaysAsync(DayOf(from, zone), DayOf(until.AddTicks(-1), zone), camera, cancellationToken).ConfigureAwait(false);
        return Of(cases, zone, plates, streamed);
    }

    /// <summary>The cases counted per camera and local day, with the hours streamed (<paramref name="streamed"/>), ordered by camera then day.</summary>
    public static IReadOnlyList<CameraDay> Of(IEnumerable<CaseRecord> cases, TimeZoneInfo zone, PlateSettings plates, IEnumerable<StreamedDay>? streamed = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var hours = (streamed ?? []).GroupBy(s => (s.CameraId, s.Day)).ToDictionary(g => g.Key, g => g.Sum(s => s.Streamed.TotalHours));
        var byDay = cases.ToLookup(c => (c.CameraId, Day: DayOf(c.EventAt, zone)));
        return [.. byDay.Select(g => g.Key).Union(hours.Keys)
            .OrderBy(k => k.CameraId, StringComparer.Ordinal).ThenBy(k => k.Day)
            .Select(k => (Key: k, Cases: byDay[k]))
            .Select(d => new CameraDay(d.Key.CameraId, d.Key.Day)
            {
                HoursStreaming = hours.TryGetValue(d.Key, out var h) ? h : null,
                Candidates = d.Cases.Count(),
                Confirmed = d.Cases.Count(c => c.Status == CaseStatus.Confirmed),
                Rejected = d.Cases.Count(c => c.Status == CaseStatus.Rejected),
                RejectedBy = Reasons(d.Cases),
                Waiting = d.Cases.Count(c => c.Status == CaseStatus.Candidate),
                Corrected = d.Cases.Count(c => c.Plate is not null && c.PlateRead is not null && c.Plate != c.PlateRead),
                PlatesSure = d.Cases.Count(c => Sure(c, plates)),
                OfficialMatches = d.Cases.Count(c => c.MatchKind == MatchKind.Exact && c.OfficialId is not null),
            })];
    }

    /// <summary>The cameras whose share confirmed over <paramref name="week"/> is below <paramref name="minimum"/> (with at least <see cref="MinDecidedToFlag"/> decided).</summary>
    public static IReadOnlyList<CameraFlag> Flagged(IReadOnlyList<CameraDay> week, double minimum)
    {
        ArgumentNullException.ThrowIfNull(week);
        return [.. week.GroupBy(d => d.CameraId)
            .Select(g => (Camera: g.Key, Confirmed: g.Sum(d => d.Confirmed), Rejected: g.Sum(d => d.Rejected), Days: g))
            .Where(c => c.Confirmed + c.Rejected >= MinDecidedToFlag && c.Confirmed / (double)(c.Confirmed + c.Rejected) < minimum)
            .Select(c => new CameraFlag(
                c.Camera,
                c.Confirmed / (double)(c.Confirmed + c.Rejected),
                c.Confirmed + c.Rejected,
                [.. c.Days.SelectMany(d => d.RejectedBy).GroupBy(r => r.Reason).Select(r => (r.Key, r.Sum(x => x.Count)))
                    .OrderByDescending(r => r.Item2).ThenBy(r => r.Key, StringComparer.Ordinal).Take(3)]))];
    }

    /// <summary>The days as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese headers).</summary>
    public static string Csv(IReadOnlyList<CameraDay> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        var csv = new StringBuilder("\uFEFF摄像机,日期,抓拍,确认,驳回,驳回原因,待审核,号牌更正,号牌确信,公职人员车辆,有效率,在线时长(小时)\n");
        foreach (var d in days)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{d.CameraId},{d.Day:yyyy-MM-dd},{d.Candidates},{d.Confirmed},{d.Rejected},")
                .Append(string.Join(' ', d.RejectedBy.Select(r => $"{r.Reason}:{r.Count}")))
                .Append(CultureInfo.InvariantCulture, $",{d.Waiting},{d.Corrected},{d.PlatesSure},{d.OfficialMatches},{(d.Validity is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "")},{(d.HoursStreaming is { } h ? h.ToString("0.00", CultureInfo.InvariantCulture) : "")}\n");
        }

        return csv.ToString();
    }

    private static DateOnly DayOf(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    private static List<(string, int)> Reasons(IEnumerable<CaseRecord> cases) =>
        [.. cases.Where(c => c.Status == CaseStatus.Rejected).GroupBy(c => c.RejectReason ?? "other")
            .Select(r => (r.Key, r.Count())).OrderByDescending(r => r.Item2).ThenBy(r => r.Key, StringComparer.Ordinal)];

    /// <summary>The stored read decided again under today's plate settings: no doubt.</summary>
    private static bool Sure(CaseRecord c, PlateSettings plates)
    {
        if (c.PlateReadJson is not { Length: > 0 } json)
        {
            return false;
        }

        try
        {
            return JsonSerializer.Deserialize<PlateReading>(json, Evidence.EvidenceJson.Compact) is { } reading && PlateCertainty.Doubt(reading, plates) is null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
