using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.Review;

/// <summary>
/// The cloned-plate check of one case (<see cref="VehicleCheck"/>): the vehicle in its evidence package against the
/// registry row of its plate on the event's local date. The package's <c>vehicle.json</c> is read only when the
/// package verifies as this case's (<see cref="EvidenceVerifier.VerifyFor"/>); otherwise the check is
/// <see cref="VehicleVerdict.Unknown"/> with that reason (confirmation is refused on such a package anyway).
/// </summary>
public static class CaseVehicle
{
    /// <summary>Checks <paramref name="record"/>'s vehicle against <paramref name="registry"/> (as it is now).</summary>
    /// <param name="record">The case; its current plate (the read, or the reviewer's correction) picks the registry row.</param>
    /// <param name="registry">The registry, e.g. <c>await desk.Registry.LoadAsync()</c>.</param>
    /// <param name="zone">The site's time zone (the registry's validity is by local date).</param>
    /// <param name="key">The site key the package is verified with.</param>
    public static VehicleCheckResult Check(CaseRecord record, RegistrySnapshot registry, TimeZoneInfo zone, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(key);
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(record.EventAt, zone).DateTime);
        var verified = record.EvidenceDeletedAt is null && key.Length > 0 && EvidenceVerifier.VerifyFor(record, key).Count == 0;
        if (!verified)
        {
            return VehicleCheck.Compare(registry, record.Plate, date, null) with
            {
                Verdict = VehicleVerdict.Unknown,
                Reasons = ["the evidence does not verify (or is deleted), so its vehicle is not read"],
            };
        }

        var evidence = VehicleSection.Read(record.EvidenceFolder);
        return VehicleCheck.Compare(registry, record.Plate, date, evidence);
    }
}
