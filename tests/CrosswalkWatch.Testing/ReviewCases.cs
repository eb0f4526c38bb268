using CrosswalkWatch.Domain.Accountability;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Storage.Review;

namespace CrosswalkWatch.Testing;

/// <summary>Cases, officials and rules as the review tests build them: no OCR, plate reads written directly.</summary>
internal static class ReviewCases
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static TallyRules Calendar { get; } = new(TallyWindow.Calendar, TimeSpan.FromSeconds(30), Shanghai);

    public static TallyRules Rolling { get; } = new(TallyWindow.Rolling365, TimeSpan.FromSeconds(30), Shanghai);

    /// <summary>F1 drives 京A12345; F2 drives 京B88888. The citizen's plate 沪C54321 is nobody's.</summary>
    public static RegistrySnapshot Officials { get; } = new(
        [new Official("F1", "甲测试", "市交通运输局", "市委组织部", ""), new Official("F2", "乙测试", "市城市管理局", "区委组织部", "")],
        [
            new RegisteredVehicle("F1", "京A12345", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2020, 1, 1), null),
            new RegisteredVehicle("F2", "京B88888", PlateColour.Blue, VehicleRelation.Official, new DateOnly(2020, 1, 1), null),
        ]);

    public const string CitizenPlate = "沪C54321";

    /// <summary>
    /// A case at <paramref name="at"/> whose plate matched <paramref name="officialId"/> exactly (or nobody, when null); its
    /// package is <paramref name="folder"/> (its manifest's signature kept), or a folder of its own that does not exist.
    /// </summary>
    public static CaseRecord Case(string id, DateTimeOffset at, string plate = "京A12345", string? officialId = "F1", string camera = "cam1", string? folder = null) =>
        new(id, "site-01", camera, at, "S1", "southbound", 7, CaseStatus.Candidate, folder ?? $"/nonexistent/{id}", "{}", (folder is null ? null : Evidence.EvidenceVerifier.ReadManifest(folder)?.Signature) ?? $"sig-{id}", at)
        {
            PlateRead = plate,
            Plate = plate,
            MatchKind = officialId is null ? MatchKind.None : MatchKind.Exact,
            OfficialId = officialId,
        };

    public static DateTimeOffset Local(int year, int month, int day, int hour = 9, int minute = 0, int second = 0) => new(year, month, day, hour, minute, second, Beijing);
}
