using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Review;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.UnitTests.Review;

/// <summary>Each camera's numbers: days in the site's zone, what review made of the cases, plates sure and corrected, and the cameras to re-tune.</summary>
public sealed class CameraStatsTests
{
    private static readonly PlateSettings Plates = new();

    [Fact]
    public void Of_CasesOfTwoCamerasAroundMidnight_CountedPerCameraAndLocalDay()
    {
        CaseRecord[] cases =
        [
            Case("a", Local(2026, 12, 1, 23, 59), status: CaseStatus.Confirmed, sure: true),          // 1 Dec in Shanghai (15:59 UTC)
            Case("b", Local(2026, 12, 2, 0, 1), status: CaseStatus.Rejected, reason: "vehicle-stopped"), // 2 Dec
            Case("c", Local(2026, 12, 2, 9), status: CaseStatus.Rejected, reason: "vehicle-stopped"),
            Case("d", Local(2026, 12, 2, 10), status: CaseStatus.Rejected, reason: "duplicate"),
            Case("e", Local(2026, 12, 2, 11), status: CaseStatus.Confirmed, corrected: true, sure: true),
            Case("f", Local(2026, 12, 2, 12)),
            Case("g", Local(2026, 12, 2, 12), camera: "cam2", official: false),
        ];

        var days = CameraStats.Of(cases, Shanghai, Plates);

        Assert.Equal([("cam1", new DateOnly(2026, 12, 1)), ("cam1", new DateOnly(2026, 12, 2)), ("cam2", new DateOnly(2026, 12, 2))], days.Select(d => (d.CameraId, d.Day)));
        var second = days[1];
        Assert.Equal((5, 1, 3, 1, 1, 1, 5), (second.Candidates, second.Confirmed, second.Rejected, second.Waiting, second.Corrected, second.PlatesSure, second.OfficialMatches));
        Assert.Equal([("vehicle-stopped", 2), ("duplicate", 1)], second.RejectedBy);
        Assert.Equal(0.25, second.Validity);
        Assert.Null(days[2].Validity); // nothing decided yet
        Assert.Equal(0, days[2].OfficialMatches);
    }

    [Fact]
    public void Flagged_ValidityBelowTheMinimumWithEnoughDecided_NamesTheCameraAndItsTopReasons()
    {
        var week = CameraStats.Of(
        [
            .. Enumerable.Range(0, 4).Select(i => Case($"r{i}", Local(2026, 12, 1, 9 + i), status: CaseStatus.Rejected, reason: i < 3 ? "vehicle-stopped" : "not-a-violation")),
            Case("c1", Local(2026, 12, 2, 9), status: CaseStatus.Confirmed),
            // cam2: as bad a share, but too few decided to say so.
            Case("x1", Local(2026, 12, 2, 9), camera: "cam2", status: CaseStatus.Rejected, reason: "other"),
        ], Shanghai, Plates);

        var flag = Assert.Single(CameraStats.Flagged(week, 0.7));

        Assert.Equal(("cam1", 0.2, 5), (flag.CameraId, flag.Validity, flag.Decided));
        Assert.Equal([("vehicle-stopped", 3), ("not-a-violation", 1)], flag.TopReasons);
        Assert.Empty(CameraStats.Flagged(week, 0.2)); // at the minimum is not below it
    }

    [Fact]
    public void Csv_ChineseHeadersWithAByteOrderMark_OneRowPerCameraDay()
    {
        var csv = CameraStats.Csv(CameraStats.Of([Case("a", Local(2026, 12, 1, 9), status: CaseStatus.Rejected, reason: "duplicate")], Shanghai, Plates));

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\uFEFF摄像机,日期,抓拍,确认,驳回,驳回原因,待审核,号牌更正,号牌确信,公职人员车辆,有效率,在线时长(小时)", lines[0]);
        Assert.Equal("cam1,2026-12-01,1,0,1,duplicate:1,0,0,0,1,0.000,", lines[1]);
    }

    [Fact]
    public void Of_HoursStreamed_GoWithTheirCameraDay_AndADayStreamedWithoutCasesIsThere()
    {
        StreamedDay[] streamed =
        [
            new("cam1", new DateOnly(2026, 12, 1), TimeSpan.FromMinutes(90)),
            new("cam1", new DateOnly(2026, 12, 1), TimeSpan.FromMinutes(30)), // another box's record of the same camera and day
            new("cam2", new DateOnly(2026, 12, 2), TimeSpan.FromHours(24)),
        ];

        var days = CameraStats.Of([Case("a", Local(2026, 12, 1, 9)), Case("b", Local(2026, 12, 2, 9))], Shanghai, Plates, streamed);

        Assert.Equal(
            [("cam1", new DateOnly(2026, 12, 1), 1, (double?)2.0), ("cam1", new DateOnly(2026, 12, 2), 1, null), ("cam2", new DateOnly(2026, 12, 2), 0, 24.0)],
            days.Select(d => (d.CameraId, d.Day, d.Candidates, d.HoursStreaming)));
        Assert.Null(days[2].Validity);
        var csv = CameraStats.Csv(days).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["cam1,2026-12-01,1,0,0,,1,0,0,1,,2.00", "cam1,2026-12-02,1,0,0,,1,0,0,1,,", "cam2,2026-12-02,0,0,0,,0,0,0,0,,24.00"], csv[1..]);
    }

    private static CaseRecord Case(string id, DateTimeOffset at, string camera = "cam1", CaseStatus status = CaseStatus.Candidate, string? reason = null, bool corrected = false, bool sure = false, bool official = true)
    {
        var read = corrected ? "京A12845" : "京A12345";
        return CrosswalkWatch.Testing.ReviewCases.Case(id, at, officialId: official ? "F1" : null, camera: camera) with
        {
            Status = status,
            RejectReason = reason,
            PlateRead = read,
            PlateReadJson = JsonSerializer.Serialize(
                new PlateReading(read, true, "Blue", sure ? 0.95f : 0.3f, 3, 3, 3, null, [.. read.Select(c => new PlateReadingCharacter(c.ToString(), sure ? 0.95f : 0.3f, 3))]),
                CrosswalkWatch.Evidence.EvidenceJson.Compact),
        };
    }
}
