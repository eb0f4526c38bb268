using System.Text.Json;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.UnitTests.Evidence;

/// <summary>candidate.json as packages written before the pedestrian's place was an enum hold it: still read.</summary>
public class CandidateJsonTests
{
    /// <summary>A package's candidate.json as written before (indented, apostrophe escaped, the scene alongside).</summary>
    private const string OldCandidateJson = """
        {
          "cameraId": "cam1",
          "vehicleTrackId": 42,
          "lane": "S1",
          "approach": "southbound",
          "beforeLine": { "sequence": 25, "at": "2026-11-28T01:30:05+00:00", "vehicleBox": { "x1": 0.05, "y1": 0.5, "x2": 0.3, "y2": 0.72 } },
          "onLine": { "sequence": 30, "at": "2026-11-28T01:30:06+00:00", "vehicleBox": { "x1": 0.1, "y1": 0.52, "x2": 0.36, "y2": 0.76 } },
          "leaving": { "sequence": 35, "at": "2026-11-28T01:30:07+00:00", "vehicleBox": { "x1": 0.15, "y1": 0.55, "x2": 0.45, "y2": 0.85 } },
          "vehicleSpeed": 1.6,
          "stoppedBeforeLine": false,
          "pedestrians": [
            { "trackId": 1, "box": { "x1": 0.55, "y1": 0.55, "x2": 0.58, "y2": 0.7 }, "where": "vehicle\u0027s lane", "lanesFromVehicleLane": 0, "speed": 0.8, "framesInConflict": 5 },
            { "trackId": 2, "box": { "x1": 0.65, "y1": 0.55, "x2": 0.68, "y2": 0.7 }, "where": "lane beside", "lanesFromVehicleLane": 0.4, "speed": 0.7, "framesInConflict": 4 },
            { "trackId": 3, "box": { "x1": 0.75, "y1": 0.55, "x2": 0.78, "y2": 0.7 }, "where": "near half", "lanesFromVehicleLane": 1.4, "speed": 0.6, "framesInConflict": 3 },
            { "trackId": 4, "box": { "x1": 0.45, "y1": 0.55, "x2": 0.48, "y2": 0.7 }, "where": "beside the lane", "lanesFromVehicleLane": 0.6, "speed": 0.5, "framesInConflict": 6 },
            { "trackId": 5, "box": { "x1": 0.47, "y1": 0.55, "x2": 0.5, "y2": 0.7 }, "where": "at the centre line", "lanesFromVehicleLane": 0.2, "speed": 0, "framesInConflict": 7 }
          ],
          "scene": { "crosswalk": [[0.2, 0.55], [0.8, 0.55], [0.8, 0.65], [0.2, 0.65]] }
        }
        """;

    [Fact]
    public void Deserialize_OldCandidateJsonWithTheFiveTexts_GivesTheKinds()
    {
        var candidate = JsonSerializer.Deserialize<ViolationCandidate>(OldCandidateJson, EvidenceJson.Files);

        Assert.NotNull(candidate);
        Assert.Equal(
            [ConflictKind.VehicleLane, ConflictKind.AdjacentLane, ConflictKind.NearHalf, ConflictKind.LaneMargin, ConflictKind.CentreLine],
            candidate.Pedestrians.Select(p => p.Where));
        Assert.Equal([1, 2, 3, 4, 5], candidate.Pedestrians.Select(p => p.TrackId));
    }

    [Fact]
    public void Serialize_OldCandidateJsonReadBack_WritesTheSameTexts()
    {
        var candidate = JsonSerializer.Deserialize<ViolationCandidate>(OldCandidateJson, EvidenceJson.Files)!;

        using var old = JsonDocument.Parse(OldCandidateJson);
        using var again = JsonDocument.Parse(JsonSerializer.Serialize(candidate, EvidenceJson.Compact));

        Assert.Equal(
            old.RootElement.GetProperty("pedestrians").EnumerateArray().Select(p => p.GetProperty("where").GetString()),
            again.RootElement.GetProperty("pedestrians").EnumerateArray().Select(p => p.GetProperty("where").GetString()));
    }
}
