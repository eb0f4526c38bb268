using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.CameraView;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Operators;

/// <summary>
/// A camera's scene file through the API: its geometry to draw and drag (<c>/scene</c>), its yield-rule thresholds
/// (<c>/rule</c>), the stored clips of its cases (<c>/clips</c>) and a replay of one with changed thresholds
/// (<c>/replay</c>). Saves go through <see cref="SceneFiles"/>: checked by the scene loader, the old file kept,
/// audited as <c>scene:CAMERA</c> or <c>rule:CAMERA</c>.
/// </summary>
internal static class SceneApi
{
    /// <summary>The evidence package's clip, as the evidence builder names it.</summary>
    private const string ClipName = "clip.mp4";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/{id}/scene", (HttpContext context, string id, ConsoleSetup setup) => WithScene(context, setup, id, (camera, file) => Results.Json(
            new { camera = camera.Id, file = file.Path, file.Version, scene = file.Scene },
            OperatorEndpoints.Json)));

        api.MapPut("/{id}/scene", async (string id, HttpContext context, ConsoleSetup setup, ConsoleStore store, SceneBody body) =>
        {
            if (OperatorEndpoints.Find(setup, id) is not { Scene: { } path } camera)
            {
                return NoScene(context, setup, id);
            }

            SceneDefinition wanted;
            try
            {
                wanted = body.Scene.Deserialize<SceneDefinition>(OperatorEndpoints.Json) ?? throw new JsonException(context.T("operator.error.sceneNone"));
            }
            catch (JsonException e)
            {
                return context.Error(StatusCodes.Status400BadRequest, "operator.error.sceneForm", ("reason", e.Message));
            }

            var saved = await new SceneFiles(store, setup.Clock).SaveAsync(
                path,
                body.Version,
                current => wanted.WithRule(current.Rule), // the thresholds in the file stay as they are
                CurrentUser.Name(context),
                "scene:" + camera.Id,
                "scene-changed",
                scene => JsonSerializer.SerializeToElement(scene, OperatorEndpoints.Json),
                context.RequestAborted).ConfigureAwait(false);
            return Result(context, saved, () => new { file = path, saved.Version, saved.Backup, scene = saved.Scene });
        });

        // The view check's pictures: the reference taken when the scene was last saved, and the live view the box last
        // compared with it while it found a fault (DATA/view, written by the edge box on this machine).
        api.MapGet("/{id}/view/{which}.jpg", (HttpContext context, string id, string which, ConsoleSetup setup) =>
        {
            if (OperatorEndpoints.Find(setup, id) is not { } camera)
            {
                return OperatorEndpoints.NotFound(context, id);
            }

            var path = which switch
            {
                "reference" => ViewReferenceFile.PicturePath(setup.Config.Paths.Data, camera.Id),
                "live" => ViewReferenceFile.LivePath(setup.Config.Paths.Data, camera.Id),
                _ => null,
            };
            return path is not null && File.Exists(path)
                ? Results.File(File.ReadAllBytes(path), "image/jpeg")
                : context.Error(StatusCodes.Status404NotFound, "operator.error.noViewPicture", ("camera", camera.Id));
        });

        // The estimated move of a knocked camera applied to its scene in one step: the shift the page showed must still
        // be the box's last estimate; the scene is saved and audited like any other change, and the box, seeing its
        // scene saved, takes a new reference picture at its next check.
        api.MapPost("/{id}/scene/shift", async (string id, HttpContext context, ConsoleSetup setup, ConsoleStore store, ICameraHealthSource health, ShiftBody body) =>
        {
            if (OperatorEndpoints.Find(setup, id) is not { Scene: { } path } camera)
            {
                return NoScene(context, setup, id);
            }

            var report = health.Read(setup.Clock.GetUtcNow());
            var now = report.Cameras.FirstOrDefault(h => string.Equals(h.CameraId, camera.Id, StringComparison.OrdinalIgnoreCase));
            if (report.Stale || now?.ViewShift is not { } estimate || body.Shift is not { } shown
                || Math.Abs(estimate.X - shown.X) > 0.002 || Math.Abs(estimate.Y - shown.Y) > 0.002 || Math.Abs(estimate.Degrees - shown.Degrees) > 0.1)
            {
                return context.Error(StatusCodes.Status409Conflict, "operator.error.shiftChanged", ("camera", camera.Id));
            }

            if (ViewReferenceFile.ReadInfo(setup.Config.Paths.Data, camera.Id) is not { FrameWidth: > 0, FrameHeight: > 0 } reference)
            {
                return context.Error(StatusCodes.Status409Conflict, "operator.error.noViewPicture", ("camera", camera.Id));
            }

            var saved = await new SceneFiles(store, setup.Clock).SaveAsync(
                path,
                body.Version,
                current => SceneShift.Apply(current, estimate, reference.FrameWidth, reference.FrameHeight),
                CurrentUser.Name(context),
                "scene:" + camera.Id,
                "scene-shifted",
                scene => new { shift = estimate, scene = JsonSerializer.SerializeToElement(scene, OperatorEndpoints.Json) },
                context.RequestAborted).ConfigureAwait(false);
            return Result(context, saved, () => new { file = path, saved.Version, saved.Backup, scene = saved.Scene });
        });

        api.MapGet("/{id}/rule", (HttpContext context, string id, ConsoleSetup setup) => WithScene(context, setup, id, (camera, file) => Results.Json(
            new
            {
                camera = camera.Id,
                file = file.Path,
                file.Version,
                fields = RuleSettings.Fields(camera.Rule, file.Scene!),
                plates = setup.Config.Plates,
            },
            OperatorEndpoints.Json)));

        api.MapPut("/{id}/rule", async (string id, HttpContext context, ConsoleSetup setup, ConsoleStore store, RuleBody body) =>
        {
            if (OperatorEndpoints.Find(setup, id) is not { Scene: { } path } camera)
            {
                return NoScene(context, setup, id);
            }

            var (_, wanted, refusal) = Thresholds(context, camera, path, body.Values, "operator.error.refused.rule");
            if (refusal is not null)
            {
                return refusal;
            }

            // Only what differs from the configuration is kept in the scene file: setting a value back to the configuration's removes it.
            var saved = await new SceneFiles(store, setup.Clock).SaveAsync(
                path,
                body.Version,
                current => current.WithRule(YieldRuleOverride.Between(camera.Rule, wanted!)),
                CurrentUser.Name(context),
                "rule:" + camera.Id,
                "rule-changed",
                scene => new { overrides = scene.Rule is { } rule ? RuleSettings.View(rule.Values, rule.Keys) : [], effective = RuleSettings.View(scene.RuleFor(camera.Rule)) },
                context.RequestAborted).ConfigureAwait(false);
            return Result(context, saved, () => new { file = path, saved.Version, saved.Backup, fields = RuleSettings.Fields(camera.Rule, saved.Scene!) });
        });

        api.MapGet("/{id}/clips", async (HttpContext context, string id, ConsoleSetup setup, ReviewDesk desk, CancellationToken cancellationToken) =>
        {
            if (OperatorEndpoints.Find(setup, id) is not { } camera)
            {
                return OperatorEndpoints.NotFound(context, id);
            }

            var cases = await desk.Store.QueryAsync(new CaseQuery(Camera: camera.Id, Limit: 10_000), cancellationToken).ConfigureAwait(false);
            return Results.Json(
                cases.Where(c => File.Exists(Path.Combine(c.EvidenceFolder, ClipName))).Reverse().Take(200)
                    .Select(c => new { c.CaseId, c.EventAt, local = desk.Local(c.EventAt), status = CaseStatuses.Name(c.Status), c.Lane, c.Approach, c.VehicleTrackId }),
                OperatorEndpoints.Json);
        });

        api.MapPost("/{id}/replay", async (HttpContext context, string id, ConsoleSetup setup, ReviewDesk desk, ReplayTurns turns, ReplayBody body, CancellationToken cancellationToken) =>
        {
            if (OperatorEndpoints.Find(setup, id) is not { Scene: { } path } camera)
            {
                return NoScene(context, setup, id);
            }

            if (setup.Replay is not { } replay)
            {
                return context.Error(StatusCodes.Status503ServiceUnavailable, "operator.error.noReplay");
            }

            var record = body.CaseId is { Length: > 0 } caseId ? await desk.Store.GetAsync(caseId, cancellationToken).ConfigureAwait(false) : null;
            if (record is null || !string.Equals(record.CameraId, camera.Id, StringComparison.OrdinalIgnoreCase))
            {
                return context.Error(StatusCodes.Status404NotFound, "operator.error.noCase", ("camera", camera.Id), ("case", body.CaseId));
            }

            var clip = Path.Combine(record.EvidenceFolder, ClipName);
            if (!File.Exists(clip))
            {
                return context.Error(StatusCodes.Status404NotFound, "operator.error.noClip", ("case", record.CaseId), ("clip", clip));
            }

            var (scene, parsed, refused) = Thresholds(context, camera, path, body.Values, "operator.error.refused.replay");
            if (refused is not null)
            {
                return refused;
            }

            var changed = parsed!;
            var current = scene!.RuleFor(camera.Rule);
            var same = current == changed;
            // One replay at a time, a short queue, 429 beyond it (ReplayTurns).
            using var turn = await turns.TurnAsync(cancellationToken).ConfigureAwait(false);
            if (!turn.IsAcquired)
            {
                context.Response.Headers.RetryAfter = ((int)ReplayTurns.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return context.Error(StatusCodes.Status429TooManyRequests, "operator.error.replayBusy", ("waiting", ReplayTurns.Waiting), ("seconds", (int)ReplayTurns.RetryAfter.TotalSeconds));
            }

            IReadOnlyList<ReplayRun> runs;
            try
            {
                runs = await replay.RunAsync(new ReplayRequest(camera, clip, scene, same ? [current] : [current, changed]), cancellationToken).ConfigureAwait(false);
            }
            catch (ReplayException e)
            {
                return context.Error(StatusCodes.Status503ServiceUnavailable, "operator.error.replayFailed", ("reason", e.Message));
            }

            var before = runs[0];
            var after = same ? runs[0] : runs[1];
            var keys = YieldRuleOverride.Between(current, changed)?.Keys ?? [];
            return Results.Json(
                new
                {
                    clip = new { record.CaseId, record.EventAt, local = desk.Local(record.EventAt), record.Lane, record.VehicleTrackId },
                    changedKeys = keys,
                    current = new { settings = RuleSettings.View(current, keys), run = before },
                    changed = new { settings = RuleSettings.View(changed, keys), run = after },
                    vehicles = Compare(before, after),
                    summary = Summary(context, before, after, keys),
                },
                OperatorEndpoints.Json);
        });
    }

    /// <summary>Each vehicle that is a candidate in either run: in which, and in which lane.</summary>
    private static IEnumerable<object> Compare(ReplayRun before, ReplayRun after) =>
        before.Candidates.Concat(after.Candidates)
            .Select(c => (c.VehicleTrackId, c.Lane))
            .Distinct()
            .OrderBy(v => v.VehicleTrackId)
            .Select(v => new
            {
                vehicleTrackId = v.VehicleTrackId,
                lane = v.Lane,
                current = before.Candidates.Any(c => c.VehicleTrackId == v.VehicleTrackId && c.Lane == v.Lane),
                changed = after.Candidates.Any(c => c.VehicleTrackId == v.VehicleTrackId && c.Lane == v.Lane),
            });

    /// <summary>The decision's change in a sentence or two: how many candidates each run gives, and which vehicles come or go.</summary>
    private static string Summary(HttpContext context, ReplayRun before, ReplayRun after, IReadOnlyList<string> keys)
    {
        string Count(int n) => n switch
        {
            0 => context.T("operator.replay.count.none"),
            1 => context.T("operator.replay.count.one"),
            _ => context.T("operator.replay.count.many", ("n", n)),
        };
        string Vehicles(IEnumerable<ReplayCandidate> list) =>
            string.Join(context.T("operator.list.separator"), list.Select(c => context.T("operator.replay.vehicleInLane", ("vehicle", c.VehicleTrackId), ("lane", c.Lane))));
        static bool In(ReplayRun run, ReplayCandidate c) => run.Candidates.Any(o => o.VehicleTrackId == c.VehicleTrackId && o.Lane == c.Lane);
        if (keys.Count == 0)
        {
            return context.T("operator.replay.summary.noChange", ("count", Count(before.Candidates.Count)));
        }

        var dropped = before.Candidates.Where(c => !In(after, c)).ToList();
        var added = after.Candidates.Where(c => !In(before, c)).ToList();
        var key = (dropped.Count > 0, added.Count > 0) switch
        {
            (false, false) => "operator.replay.summary.same",
            (true, false) => "operator.replay.summary.dropped",
            (false, true) => "operator.replay.summary.added",
            (true, true) => "operator.replay.summary.droppedAndAdded",
        };
        return context.T(
            key,
            ("before", Count(before.Candidates.Count)),
            ("changed", string.Join(context.T("operator.list.separator"), keys)),
            ("after", Count(after.Candidates.Count)),
            ("dropped", Vehicles(dropped)),
            ("added", Vehicles(added)));
    }

    /// <summary>The camera's scene file now and the thresholds the page's values make of it; or why not (the file does not load, the loader refuses the values).</summary>
    /// <param name="refused">The key of the refusal's text, whose {errors} the loader's errors fill.</param>
    private static (SceneDefinition? Scene, YieldRuleSettings? Rule, IResult? Refusal) Thresholds(HttpContext context, CameraConfig camera, string path, Dictionary<string, JsonElement>? values, string refused)
    {
        var file = SceneFiles.Read(path);
        if (file.Scene is null)
        {
            return (null, null, Broken(context, file));
        }

        var (rule, errors) = RuleSettings.Parse(file.Scene, camera.Rule, values, path);
        return rule is null ? (null, null, Refused(context, refused, errors)) : (file.Scene, rule, null);
    }

    private static IResult WithScene(HttpContext context, ConsoleSetup setup, string id, Func<CameraConfig, SceneFile, IResult> answer)
    {
        if (OperatorEndpoints.Find(setup, id) is not { Scene: { } path } camera)
        {
            return NoScene(context, setup, id);
        }

        var file = SceneFiles.Read(path);
        return file.Scene is null ? Broken(context, file) : answer(camera, file);
    }

    private static IResult NoScene(HttpContext context, ConsoleSetup setup, string id) => OperatorEndpoints.Find(setup, id) is null
        ? OperatorEndpoints.NotFound(context, id)
        : context.Error(StatusCodes.Status404NotFound, "operator.error.noScene", ("camera", id));

    /// <summary>The file on disk does not load (the loader's errors, or it cannot be read): 409, each problem listed.</summary>
    private static IResult Broken(HttpContext context, SceneFile file)
    {
        var problems = file.Problems(context).ToList();
        return Results.Json(
            new { error = context.T("operator.error.sceneBroken", ("file", Path.GetFileName(file.Path)), ("errors", string.Join("; ", problems))), errors = problems },
            OperatorEndpoints.Json,
            statusCode: StatusCodes.Status409Conflict);
    }

    /// <summary>The loader refused the change: 400 with the text <paramref name="key"/> (its {errors} the loader's) and each error with its key.</summary>
    private static IResult Refused(HttpContext context, string key, IReadOnlyList<ConfigError> errors) => Results.Json(
        new { error = context.T(key, ("errors", string.Join(context.T("engine.separator"), errors.Select(e => SceneFiles.Describe(context, e))))), errors = errors.Select(e => new { e.Key, Message = SceneFiles.Message(context, e) }) },
        OperatorEndpoints.Json,
        statusCode: StatusCodes.Status400BadRequest);

    private static IResult Result(HttpContext context, SceneSave saved, Func<object> body) => saved.Status switch
    {
        200 => Results.Json(body(), OperatorEndpoints.Json),
        400 => Refused(context, "operator.error.refused.scene", saved.Errors ?? []),
        _ => WebConsole.Error(saved.Status, saved.Message?.In(context) ?? context.T("operator.error.notSaved")),
    };

    public sealed record SceneBody(string? Version, JsonElement Scene);

    /// <summary>The scene's version the page read, and the shift it showed the operator.</summary>
    public sealed record ShiftBody(string? Version, Domain.Health.ViewShift? Shift);

    public sealed record RuleBody(string? Version, Dictionary<string, JsonElement>? Values);

    public sealed record ReplayBody(string? CaseId, Dictionary<string, JsonElement>? Values);
}
