using CrosswalkWatch.Decision.Tracking;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;
using static CrosswalkWatch.Testing.TrackingScript;

namespace CrosswalkWatch.UnitTests.Tracking;

/// <summary>The vehicle kind a track reports: what most of its detections' labels named, for the evidence's detected class.</summary>
public sealed class TrackKindTests
{
    public static TheoryData<VehicleKind?[], VehicleKind?> Votes => new()
    {
        // each frame's detected kind, the kind the last frame reports
        { [VehicleKind.Car, VehicleKind.Car, VehicleKind.Car], VehicleKind.Car },
        { [VehicleKind.Car, VehicleKind.Truck, VehicleKind.Car, VehicleKind.Truck, VehicleKind.Truck], VehicleKind.Truck },
        { [VehicleKind.Truck, VehicleKind.Car], VehicleKind.Truck }, // a tie keeps the earlier one
        { [null, VehicleKind.Bus, null, null], VehicleKind.Bus },    // frames that name no kind do not vote
        { [null, null, null], null },
    };

    [Theory]
    [MemberData(nameof(Votes))]
    public void Update_VehicleDetectionsNamingKinds_ReportsTheMajority(VehicleKind?[] kinds, VehicleKind? expected)
    {
        var tracker = new ByteTracker(Camera);

        var output = Run(tracker, kinds.Select((kind, i) => Frame(i * 0.2, Vehicle(0.3 + (0.01 * i), 0.5) with { Kind = kind })));

        Assert.Equal(expected, Assert.Single(output[^1].Tracks).Kind);
    }
}
