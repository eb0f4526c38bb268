using System.Text.Json;
using System.Text.Json.Nodes;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Http;

namespace CrosswalkWatch.Web.Police;

/// <summary>
/// What the case page shows of a case: when (site time zone) and where, its status and last decision, the plate read
/// with per-character confidence, the official or the suggestions, the cloned-plate check (the vehicle in the
/// evidence against the registry's, <see cref="CaseVehicle"/>), the decision's reasons with the scene they were
/// judged on (with the pedestrian signal at each photo where the camera has one), whether the evidence package verifies with its site's key (or is marked as having a legacy shared-key
/// signature), the box's clock offset the package records (a warning when above its limit), its files, and the case's audit trail.
/// </summary>
internal static class CaseView
{
    /// <param name="context">The request, whose language the texts made here are in (the engine's phrases worded from engine.json).</param>
    public static async Task<object> DescribeAsync(HttpContext context, CaseRecord c, ReviewDesk desk, CwwConfig config, CancellationToken cancellationToken)
    {
        var officials = await desk.OfficialsAsync(cancellationToken).ConfigureAwait(false);
        var camera = config.Cameras.FirstOrDefault(k => k.Id == c.CameraId);
        var audit = await desk.Store.AuditAsync(c.CaseId, cancellationToken).ConfigureAwait(false);
        var deleted = c.EvidenceDeletedAt is { } at ? desk.Local(at) : null;
        var check = deleted is not null ? EvidenceCheck.Deleted(deleted)
            : await desk.Verification.VerifyForAsync(c, cancellationToken).ConfigureAwait(false);
        var problems = check.Faults.Select(p => context.T(p).Replace(c.EvidenceFolder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)).ToList();

        // The reasons and the plate are drawn from the package's signed candidate.json and plate.json when it verifies;
        // the case's stored copy (as the message brought it) only when it does not, and the page says so.
        var signed = deleted is null && problems.Count == 0;
        var package = deleted is null ? ReadJson(Path.Combine(c.EvidenceFolder, "candidate.json")) as JsonObject : null; // not an object: a changed file, shown as not verifying
        var reasons = signed ? package?.DeepClone() : Parse(c.CandidateJson, context);
        if (reasons is JsonObject withScene)
        {
            withScene.Remove("scene");
        }
        var vehicle = await desk.Intake.CheckVehicleAsync(c, signed, cancellationToken).ConfigureAwait(false);
        var measured = signed ? VehicleSection.Read(c.EvidenceFolder) : null;
        var manifest = signed ? EvidenceVerifier.ReadManifest(c.EvidenceFolder) : null; // vouched for by the signature
        var clock = manifest?.Clock;
        var cameraClock = manifest?.CameraClock;

        return new
        {
            c.CaseId,
            c.SiteId,
            c.CameraId,
            place = camera?.Place ?? "",
            direction = camera?.Direction ?? "",
            c.Lane,
            c.Approach,
            c.VehicleTrackId,
            c.EventAt,
            eventLocal = desk.Local(c.EventAt),
            timeZone = desk.Settings.Site.TimeZone,
            status = CaseStatuses.Name(c.Status),
            c.DecidedBy,
            decidedLocal = c.DecidedAt is { } d ? desk.Local(d) : null,
            c.RejectReason,
            c.RejectNote,
            c.ReopenReason,
            confirmations = new
            {
                needed = c.ConfirmationsNeeded(desk.Rules.OfficialConfirmations),
                list = c.Confirmations.Select(k => new { k.Actor, local = desk.Local(k.At), k.Plate, k.Note }),
            },
            plate = new
            {
                current = c.Plate,
                c.PlateRead,
                read = signed ? SignedReading(context, c, desk.Settings.Plates) : Reading(c.PlateReadJson, context),
                minCharConfidence = desk.Settings.Plates.MinCharConfidence,
            },
            match = new
            {
                kind = KindName(c.MatchKind),
                official = c.OfficialId is { } id ? OfficialOf(context, id, officials) : null,
                suggestions = Suggestions(context, c.MatchJson, PlateDoubt(c, signed, desk.Settings.Plates)),
            },
            vehicle = new
            {
                verdict = vehicle.Verdict.ToString().ToLowerInvariant(),
                headline = context.T(vehicle.Line),
                reasons = vehicle.Why.Select(context.T),
                registered = context.T(vehicle.RegisteredAs),
                seen = context.T(vehicle.SeenAs),
                measured = measured is null ? null : new
                {
                    measured.DetectedClass,
                    colour = measured.Colour is { } colour ? VehicleNames.Name(colour) : null,
                    measured.ColourConfidence,
                    measured.ColourBrightness,
                    shares = measured.Shares.Select(s => new { colour = VehicleNames.Name(s.Colour), s.Share }),
                    measured.MeasuredOn,
                },
            },
            reasons = WithTexts(reasons),
            reasonsFrom = signed ? "signed" : "unsigned copy",
            scene = package?["scene"]?.DeepClone(),
            stoppedSpeed = (camera?.Rule ?? config.Rule).StoppedSpeed,
            evidence = new
            {
                verified = problems.Count == 0,
                problems,
                signedBy = check.Signer is { } signer ? context.T(signer) : "",
                legacy = check.Legacy,
                deleted,
                clock = clock is null ? null : new
                {
                    offsetMs = Math.Round(clock.OffsetMs),
                    uncertaintyMs = Math.Round(clock.UncertaintyMs),
                    clock.Server,
                    measuredLocal = desk.Local(clock.MeasuredAt),
                    clock.MaxOffsetMs,
                    clock.Exceeded,
                },
                cameraClock = cameraClock is null ? null : new
                {
                    offsetMs = Math.Round(cameraClock.OffsetMs),
                    cameraClock.Reports,
                    measuredLocal = desk.Local(cameraClock.MeasuredAt),
                    cameraClock.MaxOffsetMs,
                    cameraClock.Exceeded,
                },
                files = deleted is not null ? [] : EvidenceFiles.ContentTypes.Keys
                    .Where(name => File.Exists(Path.Combine(c.EvidenceFolder, name)))
                    .Select(name => new { name, url = $"/api/cases/{Uri.EscapeDataString(c.CaseId)}/evidence/{name}" })
                    .ToList(),
            },
            audit = audit.Select(a => new { a.Id, at = desk.Local(a.At), a.Actor, a.Action, before = AuditStates.Of(context, a.Action, a.BeforeJson), after = AuditStates.Of(context, a.Action, a.AfterJson) }),
            rejectReasons = RejectReasons.All,
        };
    }

    public static string KindName(MatchKind kind) => kind.ToString().ToLowerInvariant();


    /// <summary>The official as the registry has them now; one no longer there keeps its id.</summary>
    public static object OfficialOf(HttpContext context, string id, IReadOnlyDictionary<string, Official> officials) =>
        officials.TryGetValue(id, out var o)
            ? new { id = o.Id, name = o.Name, department = o.Department, authority = o.Authority }
            : new { id, name = context.T("police.official.gone"), department = "", authority = "" };

    /// <summary>
    /// The stored suggestions with each doubt in the reader's language: a character the read and the registry differ in
    /// (<see cref="Doubt.Text"/>), or the read's exact match held back because the read is in doubt, with the doubt
    /// this console finds in the plate reading (<paramref name="plateDoubt"/>; when it finds none, the stored doubt,
    /// recognised where it is the plate check's own words).
    /// </summary>
    internal static JsonArray Suggestions(HttpContext context, string? matchJson, Domain.Phrase? plateDoubt)
    {
        if (Parse(matchJson, context) is not JsonArray suggestions)
        {
            return [];
        }

        foreach (var suggestion in suggestions.OfType<JsonObject>())
        {
            if (suggestion["doubts"] is JsonArray doubts)
            {
                suggestion["doubts"] = new JsonArray([.. doubts.Select(d => (JsonNode?)(d is JsonValue v && v.TryGetValue<string>(out var text) ? JsonValue.Create(Worded(text)) : d?.DeepClone()))]);
            }
        }

        return suggestions;

        string Worded(string text) =>
            Doubt.Parse(text) is { } doubt ? context.T(doubt.Text)
            : text.StartsWith(CaseIntake.PlateInDoubt, StringComparison.Ordinal)
                ? context.T("police.match.plateInDoubt", ("reason", plateDoubt is { } why ? context.T(why) : context.T(text[CaseIntake.PlateInDoubt.Length..], StoredEnglish.PlateDoubt)))
            : text;
    }

    /// <summary>What this console's settings find doubtful in the case's plate reading (the signed one when the package verifies), or null.</summary>
    private static Domain.Phrase? PlateDoubt(CaseRecord c, bool signed, PlateSettings settings)
    {
        try
        {
            var reading = signed ? EvidenceVerifier.SignedPlate(c.EvidenceFolder)
                : c.PlateReadJson is { } json ? JsonSerializer.Deserialize<PlateReading>(json, EvidenceJson.Compact) : null;
            return reading is null ? null : PlateCertainty.DoubtOf(reading, settings);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    /// <summary>How many suggestions a case's match JSON holds.</summary>
    public static int SuggestionCount(string? matchJson) => Parse(matchJson) is JsonArray a ? a.Count : 0;

    /// <summary>
    /// The stored reasons with the phrases for the page: each pedestrian's <c>whereText</c> and <c>whereKind</c> (the
    /// kind's name, which the page words in its language), from the stored kind (old text or name,
    /// <see cref="ConflictKinds"/>), a turning vehicle's <c>movementText</c> (<see cref="TurnMovement.Text"/>),
    /// and where the camera has a pedestrian signal, each photo moment's <c>signalText</c> and each pedestrian's
    /// <c>startedOnText</c> (<see cref="SignalStates"/>). What is not understood gets none; the page shows it as stored.
    /// </summary>
    internal static JsonNode? WithTexts(JsonNode? reasons)
    {
        if (reasons is JsonObject turning && MovementText(turning) is { } movementText)
        {
            turning["movementText"] = movementText;
        }

        if (reasons is JsonObject candidate && candidate["pedestrians"] is JsonArray pedestrians)
        {
            foreach (var pedestrian in pedestrians)
            {
                if (pedestrian is JsonObject p && p["where"] is JsonValue where && where.TryGetValue<string>(out var text) && ConflictKinds.TryParse(text, out var kind))
                {
                    p["whereText"] = kind.Text();
                    p["whereKind"] = JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
                }

                if (pedestrian is JsonObject q && q["startedOnSignal"] is JsonValue started && Read<SignalState?>(started) is { } state)
                {
                    q["startedOnText"] = $"started crossing on {state.English()} ({state.Chinese()})";
                }
            }
        }

        if (reasons is JsonObject moments)
        {
            foreach (var name in (string[])["beforeLine", "onLine", "leaving"])
            {
                if (moments[name] is JsonObject moment && moment["signal"] is JsonObject signal && Read<SignalReading>(signal) is { } reading)
                {
                    moment["signalText"] = reading.Text();
                }
            }
        }

        return reasons;
    }

    /// <summary>
    /// How a case's vehicle came to the crosswalk, read from its stored reasons (<see cref="CaseRecord.CandidateJson"/>)
    /// as the case page reads them: the movement's <see cref="TurnMovement.Text"/> for a turning vehicle, for the queue's
    /// row; null for one through its stop line and for reasons that do not name a movement this console understands.
    /// </summary>
    public static string? MovementText(string? candidateJson) => MovementText(Parse(candidateJson));

    /// <summary>The turning movement a case's stored reasons name, read as <see cref="MovementText(string?)"/> reads it (for the office's photo captions); null when they name none it understands.</summary>
    public static TurnMovement? Movement(string? candidateJson) => Movement(Parse(candidateJson));

    private static string? MovementText(JsonNode? reasons) =>
        reasons is JsonObject candidate && Movement(candidate) is { } named && candidate["approach"] is JsonValue approach && approach.TryGetValue<string>(out var into)
            ? named.Text(into)
            : null;

    private static TurnMovement? Movement(JsonNode? reasons)
    {
        if (reasons is not JsonObject candidate || candidate["movement"] is not JsonObject movement || movement["turn"] is not JsonValue)
        {
            return null;
        }

        try
        {
            return movement.Deserialize<TurnMovement>(EvidenceJson.Compact) is { Name.Length: > 0 } named && Enum.IsDefined(named.Turn) ? named : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A value of the stored reasons as evidence JSON writes it; null when it is not one.</summary>
    private static T? Read<T>(JsonNode node)
    {
        try
        {
            return node.Deserialize<T>(EvidenceJson.Compact);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>
    /// The plate reading of the verified package's signed plate.json, with the doubt this console's settings find in it
    /// (none when the package voted no plate).
    /// </summary>
    private static JsonNode? SignedReading(HttpContext context, CaseRecord c, PlateSettings settings)
    {
        var read = EvidenceVerifier.SignedPlate(c.EvidenceFolder);
        return read is null ? null : JsonSerializer.SerializeToNode(read with { Doubt = PlateCertainty.DoubtOf(read, settings) is { } doubt ? context.T(doubt) : null }, EvidenceJson.Compact);
    }

    /// <summary>The case's plate reading (as the record <see cref="PlateReading"/> reads it), or what was stored when it cannot be read as one.</summary>
    private static JsonNode? Reading(string? json, HttpContext context)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.SerializeToNode(JsonSerializer.Deserialize<PlateReading>(json, EvidenceJson.Compact), EvidenceJson.Compact);
        }
        catch (JsonException)
        {
            return Unreadable(json, context);
        }
    }

    /// <summary>Stored JSON as a node; what cannot be parsed is, for the page (<paramref name="context"/> given), a text saying so, else null.</summary>
    private static JsonNode? Parse(string? json, HttpContext? context = null)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return Unreadable(json, context);
        }
    }

    private static JsonValue? Unreadable(string json, HttpContext? context) =>
        context is null ? null : JsonValue.Create(context.T("police.unreadable", ("json", json)));

    private static JsonNode? ReadJson(string path)
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllText(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
