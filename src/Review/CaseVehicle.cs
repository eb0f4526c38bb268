using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.Review;

/// <summary>
/// The cloned-plate check of one case (<see cref="VehicleCheck"/>): the vehicle in its evidence package against the
/// registry row of its plate on the event's local date. The package's <c>vehicle.json</c> is read only when the
/// package verified as this case's (<see cref="EvidenceVerifier.VerifyForAsync"/>, the caller's check); otherwise the check is
/// <see cref="VehicleVerdict.Unknown"/> with that reason (confirmation is refused on such a package anyway).
/// </summary>
public static class CaseVehicle
{
    /// <summary>Checks <paramref name="record"/>'s vehicle against <paramref name="registry"/> (as it is now).</summary>
    /// <param name="record">The case; its current plate (the read, or the reviewer's correction) picks the registry row.</param>
    /// <param name="registry">The registry, e.g. <c>await desk.Registry.LoadAsync()</c>.</param>
    /// <param name="zone">The site's time zone (the registry's validity is by local date).</param>
    /// <param name="verified">Whether the package verified as this case's (its vehicle.json is read only then).</param>
    public static VehicleCheckResult Check(CaseRecord record, RegistrySnapshot registry, TimeZoneInfo zone, bool verified)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(zone);
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(record.EventAt, zone).DateTime);
        if (!verified || record.EvidenceDeletedAt is not null)
        {
            return VehicleCheck.Compare(registry, record.Plate, date, null) with
            {
                Verdict = VehicleVerdict.Unknown,
                Why = [Domain.Phrase.Of("vehicle.evidenceNotRead", "the evidence does not verify (or is deleted), so its vehicle is not read")],
            };
        }

        var evidence = VehicleSection.Read(record.EvidenceFolder);
        return VehicleCheck.Compare(registry, record.Plate, date, evidence);
    }
}
