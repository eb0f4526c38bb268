using System.Globalization;
using System.Text;
using CrosswalkWatch.Review;
using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Pages;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Operators;

/// <summary>
/// The operators' Statistics page: each camera's numbers per day (<see cref="CameraStats"/>, as <c>cww stats</c>
/// counts them) as charts, the cameras to re-tune, and the same days as CSV.
/// </summary>
public static class OperatorStats
{
    /// <summary>The period shown when none is asked for: the 30 days to today.</summary>
    public const int DefaultDays = 30;

    /// <summary>The longest period one request may ask for.</summary>
    public const int MaxDays = 366;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPage("/operator/stats", "operator/stats.html", "operator.stats.title", Roles.Operator, "operator/stats.js");

        app.MapGet("/api/stats", async (HttpContext context, ConsoleSetup setup, string? from, string? to, string? camera, CancellationToken cancellationToken) =>
        {
            if (Period(setup, from, to) is not { } period)
            {
                return BadPeriod(context, from, to);
            }

            var desk = setup.Desk;
            var cameraId = string.IsNullOrWhiteSpace(camera) ? null : camera;
            var days = await DaysAsync(desk, period.First, period.Last, cameraId, cancellationToken).ConfigureAwait(false);
            // The week ending on the last day shown, as cww stats flags it.
            var week = period.Last.DayNumber - period.First.DayNumber == 6 ? days : await DaysAsync(desk, period.Last.AddDays(-6), period.Last, cameraId, cancellationToken).ConfigureAwait(false);
            return Results.Json(
                new
                {
                    from = Day(period.First),
                    to = Day(period.Last),
                    zone = desk.Zone.Id,
                    minValidity = setup.Config.Review.MinValidity,
                    minDecided = CameraStats.MinDecidedToFlag,
                    cameras = setup.Config.Cameras.Select(c => c.Id).Union(days.Select(d => d.CameraId)).Order(StringComparer.Ordinal),
                    days = days.Select(d => new
                    {
                        camera = d.CameraId,
                        day = Day(d.Day),
                        d.Candidates,
                        d.Confirmed,
                        d.Rejected,
                        rejectedBy = d.RejectedBy.Select(r => new { reason = r.Reason, count = r.Count }),
                        d.Waiting,
                        d.Corrected,
                        d.PlatesSure,
                        d.OfficialMatches,
                        validity = d.Validity is { } v ? Math.Round(v, 3) : (double?)null,
                        hoursStreaming = d.HoursStreaming is { } h ? Math.Round(h, 2) : (double?)null,
                    }),
                    flags = CameraStats.Flagged(week, setup.Config.Review.MinValidity).Select(f => new
                    {
                        camera = f.CameraId,
                        validity = Math.Round(f.Validity, 3),
                        decided = f.Decided,
                        topReasons = f.TopReasons.Select(r => new { reason = r.Reason, count = r.Count }),
                    }),
                },
                OperatorEndpoints.Json);
        }).RequireAuthorization(Roles.Operator);

        // The same days as cww stats --csv writes them (Chinese headers, UTF-8 with a byte-order mark).
        app.MapGet("/api/stats.csv", async (HttpContext context, ConsoleSetup setup, string? from, string? to, string? camera, CancellationToken cancellationToken) =>
        {
            if (Period(setup, from, to) is not { } period)
            {
                return BadPeriod(context, from, to);
            }

            var cameraId = string.IsNullOrWhiteSpace(camera) ? null : camera;
            var days = await DaysAsync(setup.Desk, period.First, period.Last, cameraId, cancellationToken).ConfigureAwait(false);
            var name = $"camera-stats-{Day(period.First)}-to-{Day(period.Last)}{(cameraId is null ? "" : "-" + cameraId)}.csv";
            return Results.File(Encoding.UTF8.GetBytes(CameraStats.Csv(days)), "text/csv; charset=utf-8", name);
        }).RequireAuthorization(Roles.Operator);
    }

    /// <summary>The days asked for (yyyy-MM-dd, both included; by default the <see cref="DefaultDays"/> to today), or null when malformed, reversed or too long.</summary>
    internal static (DateOnly First, DateOnly Last)? Period(ConsoleSetup setup, string? from, string? to)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(setup.Clock.GetUtcNow(), setup.Desk.Zone).DateTime);
        if (!TryDay(to, today, out var last) || !TryDay(from, last.AddDays(1 - DefaultDays), out var first) || last < first || last.DayNumber - first.DayNumber >= MaxDays)
        {
            return null;
        }

        return (first, last);
    }

    private static Task<IReadOnlyList<CameraDay>> DaysAsync(ReviewDesk desk, DateOnly first, DateOnly last, string? camera, CancellationToken cancellationToken) =>
        CameraStats.DaysAsync(desk.Store, desk.StartOf(first), desk.StartOf(last.AddDays(1)), camera, desk.Zone, desk.Settings.Plates, desk.Streaming, cancellationToken);

    private static bool TryDay(string? text, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return string.IsNullOrWhiteSpace(text) || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IResult BadPeriod(HttpContext context, string? from, string? to) =>
        context.Error(StatusCodes.Status400BadRequest, "operator.stats.error.period", ("from", from), ("to", to), ("max", MaxDays));
}
