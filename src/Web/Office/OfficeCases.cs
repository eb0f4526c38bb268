using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Media.Imaging;
using CrosswalkWatch.Review;
using CrosswalkWatch.Web.Police;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Http;

namespace CrosswalkWatch.Web.Office;

/// <summary>
/// Which cases the campaign office may open, and what it sees of them. It opens a case only when the case counts
/// against an official: a police reviewer confirmed it, and its plate is exactly an official's vehicle on the event's
/// date. Anything else (a vehicle that matches no official, one with fuzzy suggestions only, a case not confirmed, an
/// id that is no case at all) is refused with the same words, which say nothing of the case: not its plate, not
/// whether it exists. Photos are served by case id and a fixed file name, under the same rule, with everything but
/// the accused vehicle under a mosaic.
/// </summary>
internal static class OfficeCases
{
    /// <summary>The key of the refusal, the same for every case the office may not open.</summary>
    public const string Refusal = "office.error.refused";

    /// <summary>The evidence photos the office sees, by their fixed file names in the package.</summary>
    public static readonly IReadOnlyList<string> Photos = [.. EvidencePhotos.Names, "vehicle.jpg", "plate.jpg"];

    /// <summary>
    /// What one of <see cref="Photos"/> shows, in the evidence's own words (burned into the scene photos): the scene
    /// photos as the evidence captions them (a turning vehicle's, <paramref name="movement"/>, before and entering the
    /// crosswalk instead of at a stop line), the vehicle crop, the plate close-up. The page words it in the reader's
    /// language (<see cref="CaptionKey"/>; in English, these words).
    /// </summary>
    public static string Caption(string name, TurnMovement? movement) => name switch
    {
        "vehicle.jpg" => "the vehicle",
        "plate.jpg" => "plate close-up",
        _ => EvidencePhotos.Caption(name, movement),
    };

    /// <summary>The key of the text of <see cref="Caption"/>, as the page shows it beside the photo in the reader's language.</summary>
    public static string CaptionKey(string name, TurnMovement? movement) => name switch
    {
        EvidencePhotos.BeforeLine => movement?.Turn switch
        {
            null => "office.photo.beforeLine",
            TurnDirection.Left => "office.photo.beforeCrosswalkLeft",
            TurnDirection.Right => "office.photo.beforeCrosswalkRight",
            _ => throw new ArgumentOutOfRangeException(nameof(movement), movement, null),
        },
        EvidencePhotos.OnLine => movement is null ? "office.photo.onLine" : "office.photo.entering",
        EvidencePhotos.Leaving => "office.photo.leaving",
        "vehicle.jpg" => "office.photo.vehicle",
        "plate.jpg" => "office.photo.plate",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"not a photo the office sees (one of {string.Join(", ", Photos)})"),
    };

    public static bool IsCounted(CaseRecord? record) =>
        record is { Counts: true, MatchKind: MatchKind.Exact };

    /// <summary>
    /// The case when the office may open it: it counts (confirmed by enough reviewers, an exact match the registry as
    /// it is now still gives the official); null for any other case and for no case at all.
    /// </summary>
    public static async Task<CaseRecord?> OpenAsync(ReviewDesk desk, string caseId, CancellationToken cancellationToken)
    {
        var record = await desk.Store.GetAsync(caseId, cancellationToken).ConfigureAwait(false);
        return IsCounted(record) && (await desk.Store.CountingAsync(desk.Zone, cancellationToken).ConfigureAwait(false)).Any(c => c.CaseId == caseId) ? record : null;
    }

    /// <summary>The file of a photo of a case the office may open, or null (no such photo name, or not in the package).</summary>
    public static string? PhotoFile(CaseRecord record, string name) =>
        Photos.Contains(name) && Path.Combine(record.EvidenceFolder, name) is var path && File.Exists(path) ? path : null;

    /// <summary>
    /// The photo as the office sees it (<see cref="Redaction"/>): the three scene photos with everything but the
    /// accused vehicle under a mosaic, and the pedestrians' heads where their boxes are known (the photo on the line);
    /// the vehicle crop and the plate close-up, which show only the accused vehicle, as they are. A photo whose
    /// vehicle box cannot be read from the package's candidate.json is covered whole.
    /// </summary>
    public static byte[] OfficePhoto(CaseRecord record, string file)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = File.ReadAllBytes(file);
        var name = Path.GetFileName(file);
        if (name is "vehicle.jpg" or "plate.jpg")
        {
            return bytes;
        }

        ViolationCandidate? candidate = null;
        try
        {
            candidate = JsonSerializer.Deserialize<ViolationCandidate>(File.ReadAllText(Path.Combine(record.EvidenceFolder, "candidate.json")), EvidenceJson.Compact);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            // No boxes to keep: the whole photo is covered.
        }

        var moment = name switch
        {
            EvidencePhotos.BeforeLine => candidate?.BeforeLine,
            EvidencePhotos.OnLine => candidate?.OnLine,
            EvidencePhotos.Leaving => candidate?.Leaving,
            _ => null,
        };
        var pedestrians = name == EvidencePhotos.OnLine && candidate?.Pedestrians is { } reasons ? reasons.Select(p => p.Box) : [];
        return Redaction.Redact(bytes, moment?.VehicleBox, pedestrians);
    }

    /// <summary>
    /// What the office sees of a counted case: the official, when and where, the photos (captioned for a turning vehicle
    /// by the movement its stored reasons name, as the case page reads it), whether the evidence is intact, the notices it
    /// reached; words in the language of <paramref name="context"/>'s request.
    /// </summary>
    public static async Task<object> ViewAsync(HttpContext context, ReviewDesk desk, CaseRecord record, CancellationToken cancellationToken)
    {
        var officials = await desk.OfficialsAsync(cancellationToken).ConfigureAwait(false);
        var camera = desk.Settings.Cameras.FirstOrDefault(c => c.Id == record.CameraId);
        var notices = (await desk.NoticesAsync(cancellationToken).ConfigureAwait(false)).Where(n => n.Notice.CaseId == record.CaseId);
        var check = await desk.Verification.VerifyForAsync(record, cancellationToken).ConfigureAwait(false);
        var problems = check.Faults;
        var url = "/api/office/cases/" + Uri.EscapeDataString(record.CaseId) + "/photos/";
        var movement = CaseView.Movement(record.CandidateJson);
        return new
        {
            id = record.CaseId,
            official = OfficeTally.OfficialView(record.OfficialId!, officials.GetValueOrDefault(record.OfficialId!)),
            plate = record.Plate,
            eventAt = record.EventAt,
            local = desk.Local(record.EventAt),
            year = desk.Rules.YearOf(record.EventAt),
            site = record.SiteId == desk.Settings.Site.Id ? desk.Settings.Site.Name : record.SiteId,
            camera = record.CameraId,
            place = camera?.Place ?? "",
            direction = camera is { Direction.Length: > 0 } ? camera.Direction : record.Approach,
            lane = record.Lane,
            confirmedBy = desk.Settings.Review.OfficeSeesReviewers ? string.Join(", ", record.Confirmations.Select(c => c.Actor)) : null,
            confirmations = record.Confirmations.Count,
            confirmedAt = record.DecidedAt is { } decided ? desk.Local(decided) : null,
            evidence = problems.Count > 0
                ? context.T("office.case.evidenceBroken", ("problems", string.Join(context.T("engine.separator"), problems.Select(p => context.T(p).Replace(record.EvidenceFolder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)))))
                : context.T(check.Legacy ? "office.case.evidenceIntactLegacy" : "office.case.evidenceIntact"),
            evidenceIntact = problems.Count == 0,
            evidenceLegacy = check.Legacy,
            photos = Photos.Where(name => File.Exists(Path.Combine(record.EvidenceFolder, name)))
                .Select(name => new { name, caption = context.T(CaptionKey(name, movement)), url = url + name }),
            notices = notices.Select(n => new { n.Notice.Window, n.Notice.Ordinal }),
        };
    }
}
