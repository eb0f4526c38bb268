using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using OpenCvSharp;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.Testing;

/// <summary>
/// The campaign office's test data in a console's data folder, made the way the police side makes it: the registry
/// imported, cases stored through the intake's match, decisions through <see cref="ReviewDesk.Service"/> (so the
/// notice is a real one), small signed evidence packages with real JPEG photos, the site key where the console reads it.
/// In the current year (site time): F1 confirmed three times (notice no. 3), F2 twice (one away), F3 once; F2 once the
/// year before. Cases the office must not open: a citizen's confirmed case, a fuzzy read, an official's unconfirmed one.
/// </summary>
internal static class OfficeConsoleData
{
    public const string Reviewer = "王警官";

    public const string SecondReviewer = "李警官";

    /// <summary>F3's department has a comma and F3's name a quote: the CSV must quote them.</summary>
    public static RegistrySnapshot Registry { get; } = Officials with
    {
        Officials = [.. Officials.Officials, new Official("F3", "丙\"测试\"", "区政府办公室, 督查室", "区委组织部", "")],
        Vehicles = [.. Officials.Vehicles, new RegisteredVehicle("F3", "京C00003", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2020, 1, 1), null)],
    };

    public static int Year { get; } = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Shanghai).Year;

    public const string FuzzyPlate = "京A1234S";

    /// <summary>The confirmed cases counted against officials, by official.</summary>
    public static IReadOnlyDictionary<string, string[]> Counted { get; } = new Dictionary<string, string[]>
    {
        ["F1"] = ["f1-jan", "f1-feb", "f1-mar"],
        ["F2"] = ["f2-jan", "f2-feb"],
        ["F3"] = ["f3-jan"],
    };

    /// <summary>Cases the office is refused: a citizen's (confirmed), a fuzzy read (suggestions only), an official's not yet confirmed, and no case at all.</summary>
    public static readonly string[] Refused = ["citizen", "fuzzy", "f1-pending", "no-such-case"];

    public static async Task SeedAsync(string data)
    {
        await EvidencePackages.RegisterAsync(new StorageConfig(), data);
        await using var desk = await ReviewDesk.OpenAsync(new CwwConfig { Paths = new PathsConfig { Data = data } });
        await desk.Registry.ReplaceAsync(Registry, new RegistrySource("officials.csv", new string('a', 64), "utf-8"), DateTimeOffset.UtcNow);

        (string Id, DateTimeOffset At, string Plate, bool Confirm)[] cases =
        [
            ("f1-jan", Local(Year, 1, 10), "京A12345", true),
            ("f1-feb", Local(Year, 2, 10), "京A12345", true),
            ("f1-mar", Local(Year, 3, 10, 8, 15, 30), "京A12345", true),
            ("f2-jan", Local(Year, 1, 11), "京B88888", true),
            ("f2-feb", Local(Year, 2, 11), "京B88888", true),
            ("f3-jan", Local(Year, 1, 12), "京C00003", true),
            ("f2-last-year", Local(Year - 1, 6, 1), "京B88888", true),
            ("citizen", Local(Year, 1, 13), CitizenPlate, true),
            ("fuzzy", Local(Year, 1, 14), FuzzyPlate, false),
            ("f1-pending", Local(Year, 4, 1), "京A12345", false),
        ];
        foreach (var (id, at, plate, _) in cases)
        {
            var folder = EvidencePackages.Write(data, id, at, Package(id, at), plate: plate);
            var record = Case(id, at, folder: folder) with { PlateRead = plate, Plate = null, MatchKind = Domain.Officials.MatchKind.None, OfficialId = null };
            Assert.True(await desk.Store.AddAsync(await desk.Intake.MatchAsync(record)));
        }

        foreach (var (id, _, _, _) in cases.Where(c => c.Confirm))
        {
            // A case that names an official counts once two reviewers confirm it.
            if ((await desk.Service.ConfirmAsync(id, Reviewer)).After.Status != Domain.Cases.CaseStatus.Confirmed)
            {
                await desk.Service.ConfirmAsync(id, SecondReviewer);
            }
        }

        var notice = Assert.Single(await desk.NoticesAsync());
        Assert.Equal(("F1", Year.ToString(System.Globalization.CultureInfo.InvariantCulture), 3, "f1-mar"), (notice.Notice.OfficialId, notice.Notice.Window, notice.Notice.Ordinal, notice.Notice.CaseId));
        Assert.Equal(Domain.Officials.MatchKind.Suggested, (await desk.Store.GetAsync("fuzzy"))!.MatchKind);
    }

    /// <summary>Where the photos' "vehicle" (the red block <see cref="Jpeg"/> draws) is, as the reasons give its box.</summary>
    public static readonly Box Vehicle = new(0.25f, 1 / 3f, 0.75f, 2 / 3f);

    /// <summary>A pedestrian's box in the photo on the line, left of the vehicle, over the caption.</summary>
    public static readonly Box Pedestrian = new(0.01f, 0.02f, 0.12f, 0.5f);

    /// <summary>
    /// Three photos and a plate close-up as real JPEGs (a browser shows them), the reasons with the vehicle's box at
    /// each moment and one pedestrian, and a clip standing in.
    /// </summary>
    private static (string Name, string Role, byte[] Bytes)[] Package(string caseId, DateTimeOffset at) =>
    [
        ("clip.mp4", "clip", System.Text.Encoding.UTF8.GetBytes(caseId + " clip")),
        ("photo1-before-line.jpg", "photo", Jpeg($"{caseId} photo 1/3", 640, 360)),
        ("photo2-on-line.jpg", "photo", Jpeg($"{caseId} photo 2/3", 640, 360)),
        ("photo3-leaving.jpg", "photo", Jpeg($"{caseId} photo 3/3", 640, 360)),
        ("plate.jpg", "plate close-up", Jpeg("plate", 220, 70)),
        ("candidate.json", "reasons", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new ViolationCandidate(
                "cam1", 7, "S1", "southbound", new YieldMoment(10, at.AddSeconds(-1), Vehicle), new YieldMoment(15, at, Vehicle), new YieldMoment(20, at.AddSeconds(1), Vehicle), 0.8, false,
                [new PedestrianReason(3, Pedestrian, ConflictKind.VehicleLane, 0, 0.4, 12)]),
            Evidence.EvidenceJson.Files)),
    ];

    /// <summary>A real JPEG of the given size: a green picture with a red block where <see cref="Vehicle"/> is, and the text.</summary>
    public static byte[] Jpeg(string text, int width, int height)
    {
        using var picture = new Mat(height, width, MatType.CV_8UC3, new Scalar(90, 110, 70));
        Cv2.Rectangle(picture, new Rect(width / 4, height / 3, width / 2, height / 3), new Scalar(40, 40, 160), -1);
        Cv2.PutText(picture, text, new Point(10, 30), HersheyFonts.HersheySimplex, 0.7, Scalar.White, 2);
        Cv2.PutText(picture, "A12345", new Point((width / 4) + 10, (height / 2) + 8), HersheyFonts.HersheySimplex, 0.6, Scalar.White, 2); // the vehicle's "plate"
        Cv2.ImEncode(".jpg", picture, out var bytes);
        return bytes;
    }
}
