using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using OpenCvSharp;

namespace CrosswalkWatch.Scenarios;

/// <summary>One scripted object of a clip: a cut-out whose bottom centre follows a path in time.</summary>
internal sealed class Actor
{
    public required int Id { get; init; }

    public required ObjectClass Class { get; init; }

    public required Cutout Cutout { get; init; }

    /// <summary>Bottom centre (0–1) at time t in seconds, or null when not in the picture.</summary>
    public required Func<double, Point2?> Path { get; init; }

    /// <summary>True while the object is hidden (occlusion): not drawn, not labelled.</summary>
    public Func<double, bool> Hidden { get; init; } = _ => false;

    /// <summary>Extra size factor over the perspective model (appearance varies per seed).</summary>
    public double Scale { get; init; } = 1;

    public bool Flip { get; init; }

    public string? Lane { get; init; }

    /// <summary>The turning movement a vehicle comes from (its passage starts on the crosswalk, not at a stop line); null going straight.</summary>
    public string? Movement { get; init; }

    public string? Plate { get; init; }

    public bool GreenPlate { get; init; }

    public Mat? PlateImage { get; set; }

    /// <summary>Whether the script makes this vehicle fail to yield.</summary>
    public bool Violates { get; init; }

    /// <summary>Pedestrians whose presence makes the violation.</summary>
    public IReadOnlyList<int> Against { get; init; } = [];

    /// <summary>What the object is there for beyond the script ("occluder"), or null.</summary>
    public string? Role { get; init; }
}

/// <summary>Speed profiles along a path: constant, approach–stop–wait–go with smooth braking, and a creep that never stops.</summary>
internal static class Motion
{
    /// <summary>
    /// At cruise speed v, braking evenly over <paramref name="brake"/> seconds to the creep speed, which it keeps for
    /// the last <paramref name="creeping"/> seconds before it is at <paramref name="at"/> at <paramref name="tc"/>, and after.
    /// </summary>
    public static double Creep(double t, double at, double tc, double v, double creep, double creeping, double brake)
    {
        var slow = tc - creeping; // from here on at creep speed
        if (t >= slow)
        {
            return at + (creep * (t - tc));
        }

        var atSlow = at - (creep * creeping);
        if (t >= slow - brake)
        {
            var r = slow - t;
            return atSlow - (creep * r) - ((v - creep) * r * r / (2 * brake));
        }

        return atSlow - (creep * brake) - ((v - creep) * brake / 2) - (v * (slow - brake - t));
    }

    /// <summary>Constant speed v, at s0 when t = t0.</summary>
    public static double Constant(double t, double s0, double t0, double v) => s0 + (v * (t - t0));

    /// <summary>
    /// Arrives at <paramref name="hold"/> at <paramref name="arrive"/> braking over <paramref name="brake"/> seconds,
    /// waits, leaves at <paramref name="go"/> accelerating over the same time, at cruise speed v otherwise.
    /// </summary>
    public static double StopAndGo(double t, double hold, double arrive, double go, double v, double brake)
    {
        if (t < arrive - brake)
        {
            return hold - (v * brake / 2) - (v * (arrive - brake - t));
        }

        if (t < arrive)
        {
            var r = arrive - t;
            return hold - (v * r * r / (2 * brake));
        }

        if (t < go)
        {
            return hold;
        }

        if (t < go + brake)
        {
            var r = t - go;
            return hold + (v * r * r / (2 * brake));
        }

        return hold + (v * brake / 2) + (v * (t - go - brake));
    }
}
