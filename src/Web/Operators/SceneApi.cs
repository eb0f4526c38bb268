using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
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
        api.MapGet("/{id}/scene", (string id, ConsoleSetup setup) => WithScene(setup, id, (camera, file) => Results.Json(
            new { camera = camera.Id, file = file.Path, file.Version, scene = file.Scene },
            OperatorEndpoints.Json)));

        api.MapPut("/{id}/scene", async (string id, HttpContext context, ConsoleSetup setup, ConsoleStore store, SceneBody body) =>
        {
            if (OperatorEndpoints.Find(setup, id) is not { Scene: { } path } camera)
            {
                return NoScene(setup, id);
            }

            SceneDefinition wanted;
            try
            {
                wanted = body.Scene.Deserialize<SceneDefinition>(OperatorEndpoints.Json) ?? throw new JsonException("no scene given");
            }
            catch (JsonException e)
            {
                return WebConsole.Error(StatusCodes.Status400BadRequest, $"the scene is not in the form the page sends (crosswalk, approaches with direction, stopLine and lanes): {e.Message}");
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
            return Result(saved, () => new { file = path, saved.Version, saved.Backup, scene = saved.Scene });
        });

        api.MapGet("/{id}/rule", (string id, ConsoleSetup setup) => WithScene(setup, id, (camera, file) => Results.Json(
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
                return NoScene(setup, id);
            }

            var (_, wanted, refusal) = Thresholds(camera, path, body.Values, "the thresholds were not saved");
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
            return Result(saved, () => new { file = path, saved.Version, saved.Backup, fields = RuleSettings.Fields(camera.Rule, saved.Scene!) });
        });

        api.MapGet("/{id}/clips", async (string id, ConsoleSetup setup, ReviewDesk desk, CancellationToken cancellationToken) =>
        {
            if (OperatorEndpoints.Find(setup, id) is not { } camera)
            {
                return OperatorEndpoints.NotFound(id);
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
                return NoScene(setup, id);
            }

            if (setup.Replay is not { } replay)
            {
                return WebConsole.Error(StatusCodes.Status503ServiceUnavailable, "this console cannot replay clips: it was started without the detector (start it with `cww serve`)");
            }

            var record = body.CaseId is { Length: > 0 } caseId ? await desk.Store.GetAsync(caseId, cancellationToken).ConfigureAwait(false) : null;
            if (record is null || !string.Equals(record.CameraId, camera.Id, StringComparison.OrdinalIgnoreCase))
            {
                return WebConsole.Error(StatusCodes.Status404NotFound, $"camera {camera.Id} has no stored case '{body.CaseId}': pick one of its clips");
            }

            var clip = Path.Combine(record.EvidenceFolder, ClipName);
            if (!File.Exists(clip))
            {
                return WebConsole.Error(StatusCodes.Status404NotFound, $"the evidence clip of case {record.CaseId} is not on this machine ({clip}); retention may have deleted it");
            }

            var (scene, parsed, refused) = Thresholds(camera, path, body.Values, "the clip was not replayed");
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
                return WebConsole.Error(StatusCodes.Status429TooManyRequests, $"a clip replay is running and {ReplayTurns.Waiting} more are waiting; try again in {(int)ReplayTurns.RetryAfter.TotalSeconds} s");
            }

            IReadOnlyList<ReplayRun> runs;
            try
            {
                runs = await replay.RunAsync(new ReplayRequest(camera, clip, scene, same ? [current] : [current, changed]), cancellationToken).ConfigureAwait(false);
            }
            catch (ReplayException e)
            {
                return WebConsole.Error(StatusCodes.Status503ServiceUnavailable, "the clip could not be replayed: " + e.Message);
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
                    summary = Summary(before, after, keys),
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
    private static string Summary(ReplayRun before, ReplayRun after, IReadOnlyList<string> keys)
    {
        static string Count(int n) => n switch { 0 => "no candidate", 1 => "1 candidate", _ => n.ToString(CultureInfo.InvariantCulture) + " candidates" };
        static bool In(ReplayRun run, ReplayCandidate c) => run.Candidates.Any(o => o.VehicleTrackId == c.VehicleTrackId && o.Lane == c.Lane);
        static string Vehicles(IEnumerable<ReplayCandidate> list) => string.Join(", ", list.Select(c => $"vehicle #{c.VehicleTrackId} in lane {c.Lane}"));
        if (keys.Count == 0)
        {
            return $"No threshold was changed: with the current thresholds the clip gives {Count(before.Candidates.Count)}.";
        }

        var dropped = before.Candidates.Where(c => !In(after, c)).ToList();
        var added = after.Candidates.Where(c => !In(before, c)).ToList();
        var text = $"Current thresholds: {Count(before.Candidates.Count)}; with {string.Join(", ", keys)} changed: {Count(after.Candidates.Count)}.";
        if (dropped.Count == 0 && added.Count == 0)
        {
            return text + " The decision would not change.";
        }

        return text
            + (dropped.Count > 0 ? $" No longer a candidate: {Vehicles(dropped)}." : "")
            + (added.Count > 0 ? $" New candidate: {Vehicles(added)}." : "");
    }

    /// <summary>The camera's scene file now and the thresholds the page's values make of it; or why not (the file does not load, the loader refuses the values).</summary>
    private static (SceneDefinition? Scene, YieldRuleSettings? Rule, IResult? Refusal) Thresholds(CameraConfig camera, string path, Dictionary<string, JsonElement>? values, string refused)
    {
        var file = SceneFiles.Read(path);
        if (file.Scene is null)
        {
            return (null, null, Broken(file));
        }

        var (rule, errors) = RuleSettings.Parse(file.Scene, camera.Rule, values, path);
        return rule is null ? (null, null, Refused(refused, errors)) : (file.Scene, rule, null);
    }

    private static IResult WithScene(ConsoleSetup setup, string id, Func<CameraConfig, SceneFile, IResult> answer)
    {
        if (OperatorEndpoints.Find(setup, id) is not { Scene: { } path } camera)
        {
            return NoScene(setup, id);
        }

        var file = SceneFiles.Read(path);
        return file.Scene is null ? Broken(file) : answer(camera, file);
    }

    private static IResult NoScene(ConsoleSetup setup, string id) => OperatorEndpoints.Find(setup, id) is null
        ? OperatorEndpoints.NotFound(id)
        : WebConsole.Error(StatusCodes.Status404NotFound, $"camera {id} has no scene file: add `scene: FILE.yaml` to it in the configuration (cww scene draw helps to make one), then restart the console");

    private static IResult Broken(SceneFile file) => Results.Json(
        new { error = $"{Path.GetFileName(file.Path)} does not load; fix it by hand: " + string.Join("; ", file.Errors.Select(SceneFiles.Describe)), errors = file.Errors.Select(SceneFiles.Describe) },
        OperatorEndpoints.Json,
        statusCode: StatusCodes.Status409Conflict);

    private static IResult Refused(string what, IReadOnlyList<ConfigError> errors) => Results.Json(
        new { error = $"{what}: " + string.Join("; ", errors.Select(SceneFiles.Describe)), errors = errors.Select(e => new { e.Key, e.Message }) },
        OperatorEndpoints.Json,
        statusCode: StatusCodes.Status400BadRequest);

    private static IResult Result(SceneSave saved, Func<object> body) => saved.Status switch
    {
        200 => Results.Json(body(), OperatorEndpoints.Json),
        400 => Refused("not saved", saved.Errors ?? []),
        _ => WebConsole.Error(saved.Status, saved.Message ?? "not saved"),
    };

    public sealed record SceneBody(string? Version, JsonElement Scene);

    public sealed record RuleBody(string? Version, Dictionary<string, JsonElement>? Values);

    public sealed record ReplayBody(string? CaseId, Dictionary<string, JsonElement>? Values);
}
