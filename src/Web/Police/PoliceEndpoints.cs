using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage.Review;
using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Pages;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Police;

/// <summary>
/// The police reviewer's pages and API: the review queue (oldest first, by camera, day and status), a case with its
/// evidence, and the decisions — confirm, reject with a reason, correct the plate — made through
/// <see cref="ReviewService"/> with the signed-in reviewer as the actor (each with its audit row).
/// </summary>
public static class PoliceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPage("/review", "police/queue.html", "police.queue.title", Roles.Police, "police/queue.js");
        app.MapPage("/review/{id}", "police/case.html", "police.case.title", Roles.Police, "police/case.js");

        var api = app.MapGroup("/api/cases").RequireAuthorization(Roles.Police);
        api.MapGet("/", QueueAsync);
        api.MapGet("/export", ExportAsync);
        api.MapGet("/{id}", async (HttpContext context, string id, ReviewDesk desk, ConsoleSetup setup, CancellationToken ct) =>
            await desk.Store.GetAsync(id, ct).ConfigureAwait(false) is { } record
                ? Results.Json(await CaseView.DescribeAsync(context, record, desk, setup.Config, ct).ConfigureAwait(false))
                : NoCase(context, id));
        api.MapGet("/{id}/evidence/{file}", EvidenceAsync);
        api.MapPost("/{id}/confirm", (HttpContext context, string id, ReviewDesk desk, NoteBody? body) =>
            DecideAsync(context, id, desk, (service, actor, ct) => service.ConfirmAsync(id, actor, Blank(body?.Note), ct)));
        api.MapPost("/{id}/reopen", (HttpContext context, string id, ReviewDesk desk, NoteBody? body) =>
            Blank(body?.Note) is not { } reason
                ? Task.FromResult(context.Error(StatusCodes.Status400BadRequest, "police.error.reopenReason"))
                : DecideAsync(context, id, desk, (service, actor, ct) => service.ReopenAsync(id, reason, actor, ct)));
        api.MapPost("/{id}/reject", (HttpContext context, string id, ReviewDesk desk, RejectBody? body) =>
            body?.Reason is not { } reason || !RejectReasons.All.Contains(reason, StringComparer.Ordinal)
                ? Task.FromResult(context.Error(StatusCodes.Status400BadRequest, "police.error.rejectReason", ("reasons", string.Join(", ", RejectReasons.All))))
                : body.Note?.Trim() is { Length: > TextLimits.Note } tooLong
                ? Task.FromResult(context.Error(StatusCodes.Status400BadRequest, "police.error.noteTooLong", ("max", TextLimits.Note), ("length", tooLong.Length)))
                : DecideAsync(context, id, desk, (service, actor, ct) => service.RejectAsync(id, reason, body.Note?.Trim(), actor, ct)));
        api.MapPost("/{id}/correct", (HttpContext context, string id, ReviewDesk desk, CorrectBody? body) =>
            !PlateGrammar.TryParse(body?.Plate?.Trim() ?? "", out _, out var error)
                ? Task.FromResult(context.Error(StatusCodes.Status400BadRequest, "police.error.notAPlate", ("plate", body?.Plate), ("reason", context.T(error))))
                : DecideAsync(context, id, desk, (service, actor, ct) => service.CorrectAsync(id, body!.Plate!.Trim(), actor, ct)));
    }

    /// <summary>
    /// The confirmed cases of two local days (both included), of a camera when given, as <c>cww export</c> writes them:
    /// a zip of their verified packages, records (code 1357) and summary; how many were exported and left out (a
    /// package that no longer verifies) in the X-Cww-Exported and X-Cww-Left-Out headers.
    /// </summary>
    private static async Task<IResult> ExportAsync(HttpContext context, ReviewDesk desk, string? from, string? to, string? camera, CancellationToken ct)
    {
        if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var first)
            || !DateOnly.TryParseExact(to, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var last)
            || last < first)
        {
            return context.Error(StatusCodes.Status400BadRequest, "police.error.exportDays");
        }

        var file = Path.Combine(Path.GetTempPath(), $"cww-export-{Guid.NewGuid():N}.zip");
        var written = await CaseExport.WriteAsync(desk.Store, desk.Keys, desk.StartOf(first), desk.StartOf(last.AddDays(1)), Blank(camera), desk.Zone, file, ct).ConfigureAwait(false);
        context.Response.Headers["X-Cww-Exported"] = written.Exported.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["X-Cww-Left-Out"] = string.Join(", ", written.Refused.Select(r => r.CaseId));
        var zip = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return Results.File(zip, "application/zip", $"confirmed-{first:yyyy-MM-dd}-{last:yyyy-MM-dd}.zip");
    }

    /// <summary>
    /// The queue: cases oldest first with the status asked for (default candidate, "all" for every one), on a camera
    /// and between two local days (yyyy-MM-dd, both included); the counts per status under the same camera and days. A
    /// turning vehicle's case names its movement as the case page does (<see cref="CaseView.MovementText(string?)"/>), and
    /// gives its turn and name for the page to say it in its language.
    /// </summary>
    private static async Task<IResult> QueueAsync(HttpContext context, ReviewDesk desk, ConsoleSetup setup, string? status, string? camera, string? from, string? to, CancellationToken ct)
    {
        status = string.IsNullOrWhiteSpace(status) ? CaseStatuses.Name(CaseStatus.Candidate) : status.Trim();
        if (status != "all" && !CaseStatuses.TryParse(status, out _))
        {
            return context.Error(StatusCodes.Status400BadRequest, "police.error.status", ("status", status));
        }

        camera = string.IsNullOrWhiteSpace(camera) ? null : camera.Trim();
        CaseQuery query;
        try
        {
            query = new CaseQuery(null, camera, desk.Day(Blank(from), 0), desk.Day(Blank(to), 1), Limit: 5000);
        }
        catch (ReviewException e)
        {
            return context.Error(StatusCodes.Status400BadRequest, "police.error.dateFilter", ("reason", context.T(e)));
        }

        var all = await desk.Store.QueryAsync(query, ct).ConfigureAwait(false);
        var officials = await desk.OfficialsAsync(ct).ConfigureAwait(false);
        var listed = all.Where(c => status == "all" || CaseStatuses.Name(c.Status) == status).ToList();
        return Results.Json(new
        {
            status,
            camera,
            from = Blank(from),
            to = Blank(to),
            timeZone = desk.Settings.Site.TimeZone,
            counts = new
            {
                candidate = all.Count(c => c.Status == CaseStatus.Candidate),
                confirmed = all.Count(c => c.Status == CaseStatus.Confirmed),
                rejected = all.Count(c => c.Status == CaseStatus.Rejected),
                all = all.Count,
            },
            truncated = all.Count >= query.Limit,
            cameras = setup.Config.Cameras.Select(c => c.Id).Concat(all.Select(c => c.CameraId)).Append(camera).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
            cases = listed.Select(c => new
            {
                c.CaseId,
                c.EventAt,
                eventLocal = desk.Local(c.EventAt),
                c.CameraId,
                c.Lane,
                c.Approach,
                movementText = CaseView.MovementText(c.CandidateJson),
                movement = CaseView.Movement(c.CandidateJson) is { } m ? new { turn = m.Turn.ToString().ToLowerInvariant(), m.Name } : null,
                status = CaseStatuses.Name(c.Status),
                c.Plate,
                matchKind = CaseView.KindName(c.MatchKind),
                official = c.OfficialId is { } id ? CaseView.OfficialOf(context, id, officials) : null,
                suggestions = CaseView.SuggestionCount(c.MatchJson),
                c.DecidedBy,
                c.RejectReason,
            }),
        });
    }

    /// <summary>
    /// One evidence file of a case, by the case id and a name from the fixed list of a package's files: the folder
    /// comes from the stored case, never from the request. The clip is served with range requests so a browser can seek.
    /// </summary>
    private static async Task<IResult> EvidenceAsync(HttpContext context, string id, string file, ReviewDesk desk, CancellationToken ct)
    {
        if (!EvidenceFiles.ContentTypes.TryGetValue(file, out var contentType))
        {
            return context.Error(StatusCodes.Status404NotFound, "police.error.notAnEvidenceFile", ("file", file), ("files", string.Join(", ", EvidenceFiles.ContentTypes.Keys)));
        }

        if (await desk.Store.GetAsync(id, ct).ConfigureAwait(false) is not { } record)
        {
            return NoCase(context, id);
        }

        if (record.EvidenceDeletedAt is { } deleted)
        {
            return context.Error(StatusCodes.Status410Gone, "police.error.evidenceDeleted", ("id", id), ("date", desk.Local(deleted)[..10]));
        }

        var path = Path.Combine(record.EvidenceFolder, file);
        return File.Exists(path)
            ? Results.File(path, contentType, enableRangeProcessing: true)
            : context.Error(StatusCodes.Status404NotFound, "police.error.evidenceMissing", ("id", id), ("file", file));
    }

    /// <summary>
    /// Makes a decision as the signed-in reviewer. A refused one says why: 404 no such case, 409 when the case's
    /// state forbids it (its evidence does not verify or was deleted, no site key).
    /// </summary>
    private static async Task<IResult> DecideAsync(HttpContext context, string id, ReviewDesk desk, Func<ReviewService, string, CancellationToken, Task<DecisionOutcome>> decide)
    {
        var ct = context.RequestAborted;
        if (await desk.Store.GetAsync(id, ct).ConfigureAwait(false) is null)
        {
            return NoCase(context, id);
        }

        DecisionOutcome outcome;
        try
        {
            outcome = await decide(desk.Service, CurrentUser.Name(context), ct).ConfigureAwait(false);
        }
        catch (ReviewException e)
        {
            return context.Error(StatusCodes.Status409Conflict, "police.error.refused", ("reason", context.T(e)));
        }

        var c = outcome.After;
        var officials = await desk.OfficialsAsync(ct).ConfigureAwait(false);
        var needed = c.ConfirmationsNeeded(desk.Rules.OfficialConfirmations);
        return Results.Json(new
        {
            outcome.Changed,
            message = !outcome.Changed
                ? c.DecidedBy is null
                    ? context.T("police.outcome.unchanged", ("id", c.CaseId), ("status", StatusText(context, c.Status)))
                    : context.T("police.outcome.unchangedBy", ("id", c.CaseId), ("status", StatusText(context, c.Status)), ("actor", c.DecidedBy))
                : c.Plate != outcome.Before.Plate ? context.T("police.outcome.plate", ("id", c.CaseId), ("before", outcome.Before.Plate ?? context.T("police.outcome.noPlate")), ("after", c.Plate))
                : c.Status == CaseStatus.Candidate && c.Confirmations.Count > 0 ? context.T("police.outcome.confirmation", ("id", c.CaseId), ("count", c.Confirmations.Count), ("needed", needed), ("actor", c.DecidedBy))
                : context.T("police.outcome.status", ("id", c.CaseId), ("before", StatusText(context, outcome.Before.Status)), ("after", StatusText(context, c.Status))),
            confirmations = c.Confirmations.Count,
            confirmationsNeeded = needed,
            withdrawn = outcome.Withdrawn.Select(n => new { n.OfficialId, n.Window, n.Ordinal, WithdrawnReason = Office.OfficeEndpoints.WithdrawnReason(context, n) }),
            c.CaseId,
            status = CaseStatuses.Name(c.Status),
            c.Plate,
            matchKind = CaseView.KindName(c.MatchKind),
            official = c.OfficialId is { } o ? CaseView.OfficialOf(context, o, officials) : null,
            outcome.AuditId,
            notices = outcome.Notices.Select(n => new { n.OfficialId, n.Window, n.Ordinal }),
        });
    }

    private static IResult NoCase(HttpContext context, string id) => context.Error(StatusCodes.Status404NotFound, "police.error.noCase", ("id", id));

    /// <summary>A case's status in the request's language (the API's <c>status</c> fields keep the status's name).</summary>
    private static string StatusText(HttpContext context, CaseStatus status) => context.T(status switch
    {
        CaseStatus.Confirmed => "police.status.confirmed",
        CaseStatus.Rejected => "police.status.rejected",
        _ => "police.status.candidate",
    });

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public sealed record RejectBody(string? Reason, string? Note);

    public sealed record CorrectBody(string? Plate);

    /// <summary>A confirmation's note, or a reopening's reason.</summary>
    public sealed record NoteBody(string? Note);
}

/// <summary>The files of an evidence package the console serves, by their fixed names (see EvidenceBuilder).</summary>
internal static class EvidenceFiles
{
    public const string Clip = "clip.mp4";

    public static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Clip] = "video/mp4",
        [Media.Clips.ClipRendition.FileName] = "video/mp4",
        ["photo1-before-line.jpg"] = "image/jpeg",
        ["photo2-on-line.jpg"] = "image/jpeg",
        ["photo3-leaving.jpg"] = "image/jpeg",
        ["vehicle.jpg"] = "image/jpeg",
        ["plate.jpg"] = "image/jpeg",
        ["plate.json"] = "application/json",
        ["vehicle.json"] = "application/json",
        ["candidate.json"] = "application/json",
        ["manifest.json"] = "application/json",
    };
}
