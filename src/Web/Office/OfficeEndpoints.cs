using System.Globalization;
using CrosswalkWatch.Domain.Accountability;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Pages;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Office;

/// <summary>
/// The campaign office's pages and API: tallies per official, department and year (officials one away and at the
/// threshold, tally.threshold, or more flagged), the accountability notices with their acknowledgement (audited), a CSV export, and the cases counted
/// against officials. Nothing here reads a case of a vehicle that matches no official (<see cref="OfficeCases"/>).
/// </summary>
public static class OfficeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPage("/office", "office/tallies.html", "office.tallies.title", Roles.Office, "office/tallies.js");
        app.MapGet("/office/cases/{id}", async (HttpContext context, ReviewDesk desk, string id) =>
                await OfficeCases.OpenAsync(desk, id, context.RequestAborted).ConfigureAwait(false) is null
                    ? PageRenderer.Render(context, "office/refused.html", "office.refused.title", status: StatusCodes.Status403Forbidden, values: RefusalValues(context, id))
                    : PageRenderer.Render(context, "office/case.html", "office.case.title", "office/case.js", values: Values(id)))
            .RequireAuthorization(Roles.Office)
            .WithMetadata(new PageMetadata(Roles.Office));

        var api = app.MapGroup("/api").RequireAuthorization(Roles.Office);
        api.MapGet("/tally", async (HttpContext context, ReviewDesk desk, TimeProvider clock, string? year, string? window, string? at, string? department, CancellationToken ct) =>
        {
            if (Period(desk, year, window, at) is not { } period)
            {
                return BadPeriod(context, year, window, at);
            }

            var dept = string.IsNullOrWhiteSpace(department) ? null : department;
            var tallies = await OfficeTally.OfPeriodAsync(desk, period, dept, ct).ConfigureAwait(false);
            return Results.Json(new
            {
                year = period.Window == TallyWindow.Calendar ? int.Parse(period.Label, CultureInfo.InvariantCulture) : (int?)null,
                window = new { kind = period.Window == TallyWindow.Calendar ? "calendar" : "rolling365", label = period.Label, described = Described(context, desk, period), configured = desk.Settings.Tally.Window == TallyWindow.Calendar ? "calendar" : "rolling365" },
                department = dept,
                threshold = desk.Rules.Threshold,
                years = await OfficeTally.YearsAsync(desk, desk.Rules.YearOf(clock.GetUtcNow()), ct).ConfigureAwait(false),
                departments = await OfficeTally.AllDepartmentsAsync(desk, ct).ConfigureAwait(false),
                officials = tallies.Select(t => new
                {
                    id = t.Row.OfficialId,
                    name = t.Row.Name,
                    department = t.Row.Department,
                    authority = t.Row.Authority,
                    count = t.Row.Count,
                    flag = t.Row.Flag,
                    cases = t.Cases.Select(c => new { id = c.CaseId, local = desk.Local(c.EventAt), camera = c.CameraId }),
                }),
                totals = OfficeTally.Departments(tallies, desk.Rules),
            });
        });
        api.MapGet("/tally.csv", async (HttpContext context, ReviewDesk desk, ConsoleTexts texts, string? year, string? window, string? at, string? department, CancellationToken ct) =>
        {
            if (Period(desk, year, window, at) is not { } period)
            {
                return BadPeriod(context, year, window, at);
            }

            var dept = string.IsNullOrWhiteSpace(department) ? null : department;
            var tallies = await OfficeTally.OfPeriodAsync(desk, period, dept, ct).ConfigureAwait(false);
            return Results.File(OfficeTally.Csv(tallies, texts, TextsOf.Language(context)), "text/csv; charset=utf-8", OfficeTally.FileName(period.Label, dept));
        });

        api.MapGet("/notices", async (HttpContext context, ReviewDesk desk, ConsoleStore console, CancellationToken ct) =>
        {
            var acks = (await console.NoticeAcksAsync(ct).ConfigureAwait(false)).ToDictionary(a => (a.OfficialId, a.Window, a.Ordinal, a.Issue));
            var notices = await desk.NoticesAsync(ct).ConfigureAwait(false);
            return Results.Json(notices.Reverse().Select(n => NoticeView(context, desk, n.Notice, n.Official, acks.GetValueOrDefault((n.Notice.OfficialId, n.Notice.Window, n.Notice.Ordinal, n.Notice.Issue)))));
        });
        api.MapPost("/notices/ack", async (HttpContext context, ReviewDesk desk, ConsoleStore console, TimeProvider clock, NoticeKey body) =>
        {
            if (body is not { OfficialId.Length: > 0, Window.Length: > 0, Ordinal: { } ordinal })
            {
                return context.Error(StatusCodes.Status400BadRequest, "office.error.whichNotice");
            }

            var ct = context.RequestAborted;
            var first = await console.AcknowledgeAsync(body.OfficialId, body.Window, ordinal, CurrentUser.Name(context), clock.GetUtcNow(), ct).ConfigureAwait(false);
            var notice = (await desk.NoticesAsync(ct).ConfigureAwait(false)).Where(n => n.Notice.OfficialId == body.OfficialId && n.Notice.Window == body.Window && n.Notice.Ordinal == ordinal).ToList();
            var ack = notice.Count == 0 ? null : (await console.NoticeAcksAsync(ct).ConfigureAwait(false)).FirstOrDefault(a => a.OfficialId == body.OfficialId && a.Window == body.Window && a.Ordinal == ordinal && a.Issue == notice[0].Notice.Issue);
            if (notice.Count == 0 || ack is null)
            {
                return context.Error(StatusCodes.Status404NotFound, "office.error.noNotice", ("ordinal", ordinal), ("official", body.OfficialId), ("window", body.Window));
            }

            // Acknowledging again changes nothing: the first acknowledgement (who, when) stays, and says so.
            return Results.Json(new { notice = NoticeView(context, desk, notice[0].Notice, notice[0].Official, ack), already = !first });
        });

        api.MapGet("/office/cases/{id}", async (HttpContext context, ReviewDesk desk, string id, CancellationToken ct) =>
            await OfficeCases.OpenAsync(desk, id, ct).ConfigureAwait(false) is { } record
                ? Results.Json(await OfficeCases.ViewAsync(context, desk, record, ct).ConfigureAwait(false))
                : context.Error(StatusCodes.Status403Forbidden, OfficeCases.Refusal));
        api.MapPost("/office/cases/{id}/objection", async (HttpContext context, ReviewDesk desk, string id, ObjectionBody? body) =>
        {
            var ct = context.RequestAborted;
            if (await OfficeCases.OpenAsync(desk, id, ct).ConfigureAwait(false) is null)
            {
                return context.Error(StatusCodes.Status403Forbidden, OfficeCases.Refusal);
            }

            if (string.IsNullOrWhiteSpace(body?.Reason))
            {
                return context.Error(StatusCodes.Status400BadRequest, "office.error.objectionReason");
            }

            try
            {
                var outcome = await desk.Service.ReopenAsync(id, body.Reason.Trim(), "office:" + CurrentUser.Name(context), ct).ConfigureAwait(false);
                return Results.Json(new
                {
                    message = context.T("office.objection.reopened", ("id", id)),
                    withdrawn = outcome.Withdrawn.Select(n => new { n.Window, n.Ordinal, WithdrawnReason = WithdrawnReason(context, n) }),
                });
            }
            catch (ReviewException e)
            {
                return context.Error(StatusCodes.Status409Conflict, "office.error.objection", ("reason", context.T(e)));
            }
        });
        api.MapGet("/office/cases/{id}/photos/{name}", async (HttpContext context, ReviewDesk desk, string id, string name, CancellationToken ct) =>
            await OfficeCases.OpenAsync(desk, id, ct).ConfigureAwait(false) is not { } record ? context.Error(StatusCodes.Status403Forbidden, OfficeCases.Refusal)
            : OfficeCases.PhotoFile(record, name) is { } file ? Results.Bytes(OfficeCases.OfficePhoto(record, file), "image/jpeg")
            : context.Error(StatusCodes.Status404NotFound, "office.error.noPhoto", ("id", id), ("name", name), ("photos", string.Join(", ", OfficeCases.Photos))));
    }

    /// <summary>Why a notice was withdrawn, in the reader's language (its stored English recognised when it was withdrawn before phrases were kept).</summary>
    internal static string? WithdrawnReason(HttpContext context, NoticeRecord notice) =>
        notice.WithdrawnWhy is { } why ? context.T(why) : context.T(notice.WithdrawnReason, StoredEnglish.WithdrawnNotice);

    /// <summary>A notice as the office reads it: whose, which window and ordinal, the case that reached it, and its acknowledgement.</summary>
    private static object NoticeView(HttpContext context, ReviewDesk desk, NoticeRecord notice, Domain.Officials.Official? official, NoticeAck? ack) => new
    {
        official = OfficeTally.OfficialView(notice.OfficialId, official),
        window = notice.Window,
        ordinal = notice.Ordinal,
        caseId = notice.CaseId,
        reachedAt = desk.Local(notice.ReachedAt),
        year = desk.Rules.YearOf(notice.ReachedAt),
        createdAt = desk.Local(notice.CreatedAt),
        issue = notice.Issue,
        withdrawn = notice.WithdrawnAt is not null,
        withdrawnAt = notice.WithdrawnAt is { } withdrawn ? desk.Local(withdrawn) : null,
        withdrawnReason = WithdrawnReason(context, notice),
        acknowledged = ack is not null,
        ackedBy = ack?.AckedBy,
        ackedAt = ack is null ? null : desk.Local(ack.AckedAt),
    };

    /// <summary>
    /// The period asked for, chosen as <see cref="ReviewDesk.Period"/> chooses it (as <c>cww tally</c> does):
    /// <paramref name="window"/> calendar or rolling365, the calendar <paramref name="year"/>, the rolling window's last
    /// day <paramref name="at"/> (yyyy-MM-dd); null when one of them is not something the office can mean.
    /// </summary>
    private static TallyPeriod? Period(ReviewDesk desk, string? year, string? window, string? at)
    {
        TallyWindow? kind;
        switch (window)
        {
            case null or "":
                kind = null;
                break;
            case "calendar":
                kind = TallyWindow.Calendar;
                break;
            case "rolling365":
                kind = TallyWindow.Rolling365;
                break;
            default:
                return null;
        }

        int? y = null;
        if (!string.IsNullOrWhiteSpace(year))
        {
            if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 2000 or > 2100)
            {
                return null;
            }

            y = parsed;
        }

        DateOnly? last = null;
        if (!string.IsNullOrWhiteSpace(at))
        {
            if (!DateOnly.TryParseExact(at, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return null;
            }

            last = day;
        }

        return desk.Period(kind, y, last);
    }

    private static IResult BadPeriod(HttpContext context, string? year, string? window, string? at) =>
        context.Error(StatusCodes.Status400BadRequest, "office.error.period", ("year", year), ("window", window), ("at", at));

    /// <summary>
    /// The window in words, with its first and last local moments, as <see cref="ReviewDesk.Describe"/> words it, in the
    /// request's language: "calendar year 2026 (…)", "rolling 365 days to 2026-05-03 (…)".
    /// </summary>
    private static string Described(HttpContext context, ReviewDesk desk, TallyPeriod period)
    {
        var last = period.Until.AddMilliseconds(-1);
        (string, object?)[] bounds = [("from", desk.Local(period.From)), ("to", desk.Local(last)), ("zone", desk.Zone.Id)];
        return period.Window == TallyWindow.Calendar
            ? context.T("office.period.calendar", [("year", period.Label), .. bounds])
            : context.T("office.period.rolling", [("day", desk.Rules.DayOf(last).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), .. bounds]);
    }

    private static Dictionary<string, string> Values(string id) => new(StringComparer.Ordinal) { ["id"] = id };

    /// <summary>The refusal page's values: the case's id, and the refusal that names it.</summary>
    private static Dictionary<string, string> RefusalValues(HttpContext context, string id) =>
        new(StringComparer.Ordinal) { ["id"] = id, ["refusal"] = context.T("office.refused.cannotOpen", ("id", id)) };

    /// <summary>An official's objection to a counted case.</summary>
    public sealed record ObjectionBody(string? Reason);

    /// <summary>Which notice to acknowledge, as /api/notices names it.</summary>
    public sealed record NoticeKey(string? OfficialId, string? Window, int? Ordinal);
}
