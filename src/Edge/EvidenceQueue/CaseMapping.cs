using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.Edge.EvidenceQueue;

/// <summary>A decided candidate and its complete evidence package, as the case the store keeps.</summary>
public static class CaseMapping
{
    /// <summary>
    /// The stored case of a candidate whose package is complete and in place, with the plate voted on its looks at the
    /// vehicle (text, per-character confidence, and why it is in doubt under <paramref name="plates"/>, if it is).
    /// </summary>
    public static CaseRecord ToCase(ViolationCandidate candidate, EvidencePackage package, PlateSettings? plates = null)
    {
        var record = new CaseRecord(
            package.CaseId,
            package.Manifest.SiteId,
            candidate.CameraId,
            candidate.OnLine.At,
            candidate.Lane,
            candidate.Approach,
            candidate.VehicleTrackId,
            CaseStatus.Candidate,
            package.Folder,
            JsonSerializer.Serialize(candidate, EvidenceJson.Compact),
            package.Manifest.Signature,
            DateTimeOffset.UtcNow);
        if (package.Plate is not { } voted)
        {
            return record;
        }

        var read = PlateReading.Of(voted, PlateCertainty.Doubt(voted, plates ?? new PlateSettings()));
        return record with { PlateRead = voted.Text, PlateReadJson = JsonSerializer.Serialize(read, EvidenceJson.Compact) };
    }
}
