using System.Text.Json;
using System.Text.Json.Serialization;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Ingest.Sources;
using CrosswalkWatch.Media;
using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Pages;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Operators;

/// <summary>
/// The operator role's pages and API: the cameras with their health, one camera's live snapshot with its scene drawn
/// over it and dragged into place, its yield-rule thresholds, and a replay of a stored clip with changed thresholds.
/// Every change is written to the camera's scene file and recorded in the audit log.
/// </summary>
public static class OperatorEndpoints
{
    /// <summary>How long a snapshot may take before the camera counts as not answering.</summary>
    public static readonly TimeSpan SnapshotTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The snapshot's header saying when it was taken (Unix milliseconds): viewers within a few seconds share one.</summary>
    public const string SnapshotAtHeader = "X-Snapshot-At";

    /// <summary>The operators' API's JSON: camelCase, enums by name, nulls left out.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPage("/operator", "operator/cameras.html", "operator.cameras.title", Roles.Operator, "operator/cameras.js");
        app.MapPage("/operator/cameras/{id}", "operator/camera.html", "operator.camera.title", Roles.Operator, "operator/camera.js");
        app.MapPage("/operator/boxes", "operator/boxes.html", "operator.boxes.title", Roles.Operator, "operator/boxes.js");

        // Every edge box as the central site last heard it (cww central keeps it in the store this console reads).
        app.MapGet("/api/boxes", async (HttpContext context, ConsoleSetup setup, CancellationToken cancellationToken) =>
        {
            using var store = Storage.BoxStore.Open(setup.Config.Storage, setup.Config.Paths.Data);
            var now = setup.Clock.GetUtcNow();
            var boxes = Messaging.Central.BoxSummary.Of(await store.LatestAsync(cancellationToken).ConfigureAwait(false), now, TimeSpan.FromSeconds(setup.Config.Messaging.SilentSeconds));
            return Results.Json(
                new
                {
                    silentSeconds = setup.Config.Messaging.SilentSeconds,
                    boxes = boxes.Select(b => new
                    {
                        site = b.SiteId,
                        lastHeard = setup.Desk.Local(b.LastHeard),
                        secondsAgo = Math.Max(0, (int)(now - b.LastHeard).TotalSeconds),
                        b.Silent,
                        b.Streaming,
                        cameras = b.Cameras.Select(c => new { id = c.Camera, state = c.State.ToLowerInvariant() }),
                        b.Moved,
                        b.Blocked,
                        views = b.ViewFaults.Select(f => new { id = f.Camera, view = f.View, detail = f.Text is { } text ? context.T(text) : f.Detail }),
                        b.EvidenceState,
                        b.Backlog,
                        detector = b.Detector is { } load ? new { load.Cameras, achievedFps = Math.Round(load.AchievedFps, 1), configuredFps = Math.Round(load.ConfiguredFps, 1), load.Overloaded } : null,
                        freeMegabytes = b.FreeBytes / (1024 * 1024),
                        b.Version,
                        clock = b.ClockState is null ? null : new
                        {
                            state = b.ClockState,
                            offsetMs = b.ClockOffsetMs is { } offset ? Math.Round(offset) : (double?)null,
                            maxOffsetMs = b.ClockMaxOffsetMs,
                            error = b.ClockError,
                        },
                    }),
                },
                Json);
        }).RequireAuthorization(Roles.Operator);

        // The push of confirmed cases to the platform (push.url): delivered, waiting, and each dead letter with its reason.
        app.MapGet("/api/push", async (HttpContext context, ConsoleSetup setup, CancellationToken cancellationToken) =>
        {
            if (setup.Config.Push.Url.Length == 0)
            {
                return Results.Json(new { on = false }, Json);
            }

            var desk = setup.Desk;
            var summary = await desk.Store.PushSummaryAsync(cancellationToken).ConfigureAwait(false);
            var url = new Uri(setup.Config.Push.Url);
            return Results.Json(
                new
                {
                    on = true,
                    endpoint = $"{url.Scheme}://{url.Authority}{url.AbsolutePath}",
                    summary.Delivered,
                    summary.Waiting,
                    dead = summary.Dead.Select(d => new { d.CaseId, deadAt = desk.Local(d.DeadAt!.Value), d.Attempts, error = context.T(d.LastError, StoredEnglish.PushError) }),
                },
                Json);
        }).RequireAuthorization(Roles.Operator);

        var api = app.MapGroup("/api/cameras").RequireAuthorization(Roles.Operator);
        api.MapGet("/", (HttpContext context, ConsoleSetup setup, ICameraHealthSource health) =>
        {
            var report = health.Read(setup.Clock.GetUtcNow());
            return Results.Json(new { health = Source(context, report), cameras = setup.Config.Cameras.Select(c => View(context, c, report)) }, Json);
        });
        api.MapGet("/{id}", (HttpContext context, string id, ConsoleSetup setup, ICameraHealthSource health) =>
        {
            var report = health.Read(setup.Clock.GetUtcNow());
            return Find(setup, id) is { } camera
                ? Results.Json(new { health = Source(context, report), camera = View(context, camera, report) }, Json)
                : NotFound(context, id);
        });
        // At most one grab per camera every few seconds, shared by every viewer (SnapshotCache); X-Snapshot-At says
        // when the picture was taken (Unix milliseconds).
        api.MapGet("/{id}/snapshot.jpg", async (HttpContext context, string id, ConsoleSetup setup, SnapshotCache snapshots, CancellationToken cancellationToken) =>
        {
            if (Find(setup, id) is not { } camera)
            {
                return NotFound(context, id);
            }

            try
            {
                var (jpeg, takenAt) = await snapshots.GetAsync(
                    camera.Id,
                    () => Snapshot.GrabJpegAsync(Snapshot.UrlOf(camera), camera.Ingest, SnapshotTimeout),
                    cancellationToken).ConfigureAwait(false);
                context.Response.Headers[SnapshotAtHeader] = takenAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.File(jpeg, "image/jpeg");
            }
            catch (MediaException e)
            {
                return context.Error(StatusCodes.Status503ServiceUnavailable, "operator.error.noPicture", ("camera", camera.Id), ("reason", e.Message));
            }
        });

        SceneApi.Map(api);
    }

    internal static CameraConfig? Find(ConsoleSetup setup, string id) =>
        setup.Config.Cameras.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));

    internal static IResult NotFound(HttpContext context, string id) => context.Error(StatusCodes.Status404NotFound, "operator.error.noCamera", ("camera", id));

    /// <summary>Where the health comes from and what is wrong with it, in the reader's language.</summary>
    private static object Source(HttpContext context, CameraHealthReport report) =>
        new { source = report.SourceText?.In(context) ?? report.Source, report.WrittenAt, report.Stale, problem = report.ProblemText?.In(context) };

    /// <summary>A configured camera with its health (null when the edge box says nothing of it); URLs without passwords.</summary>
    private static object View(HttpContext context, CameraConfig camera, CameraHealthReport report) => new
    {
        camera.Id,
        camera.Place,
        camera.Direction,
        camera.Enabled,
        url = Snapshot.Redact(camera.Url),
        subUrl = camera.SubUrl is { } sub ? Snapshot.Redact(sub) : null,
        camera.Scene,
        sceneName = camera.Scene is { } scene ? Path.GetFileName(scene) : null,
        health = report.Cameras.FirstOrDefault(h => string.Equals(h.CameraId, camera.Id, StringComparison.OrdinalIgnoreCase)) is { } h ? Health(context, h, report.Stale) : null,
    };

    private static object Health(HttpContext context, CameraHealth h, bool stale) => new
    {
        h.State,
        stale,
        fps = Math.Round(h.Fps, 1),
        h.Frames,
        h.Drops,
        h.Reconnects,
        h.LastFrameAt,
        h.LastError,
        h.LastErrorAt,
        h.StateSince,
        h.SourceSize,
        h.Codec,
        h.FrameSize,
        h.Recording,
        // The signal, the detector's pace and what the view check found, in the reader's language.
        signal = Words(context, h.SignalPhrase, h.Signal),
        detection = Words(context, h.DetectionPhrase, h.Detection),
        view = h.View.ToString().ToLowerInvariant(),
        h.ViewSince,
        viewDetail = Words(context, h.ViewPhrase, h.ViewDetail),
        h.ViewShift,
        h.ViewReferenceAt,
    };

    /// <summary>A text of the health in the reader's language from its phrase (<see cref="Domain.Phrase.ToJson"/>), or its English from boxes that send no phrase.</summary>
    private static string? Words(HttpContext context, string? phrase, string? english) =>
        Domain.Phrase.FromJson(phrase) is { } said ? context.T(said) : english;
}
