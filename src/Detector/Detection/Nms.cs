using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>Greedy class-aware non-maximum suppression, in place; then a motor vehicle's parts are dropped.</summary>
internal static class Nms
{
    /// <summary>
    /// A motor-vehicle box with this share of its area inside a bigger motor-vehicle box, and its foot not below that
    /// box's foot, is a part of that vehicle (its lit front at night, a cab), not another vehicle.
    /// </summary>
    internal const float PartShare = 0.85f;

    /// <summary>
    /// Sorts <paramref name="candidates"/> by score, highest first, and moves the boxes kept to its front: a box is
    /// dropped when a higher-scored box of the same <see cref="Domain.Detection.ObjectClass"/> overlaps it by more than
    /// <paramref name="iouThreshold"/> (so a car also scored as a truck stays one motor vehicle), and a motor vehicle
    /// is dropped when it is a part of a bigger one (<see cref="PartShare"/>), whatever their scores: at night the
    /// detector boxes a car's lit front apart from the car and often scores it higher, and the part then ran as a
    /// second, smaller vehicle over the line. Returns how many were kept; the rest of the span is left in no
    /// particular order.
    /// </summary>
    public static int Suppress(Span<DetectedObject> candidates, float iouThreshold)
    {
        int kept = SuppressOverlaps(candidates, iouThreshold);
        int whole = 0;
        for (int i = 0; i < kept; i++)
        {
            if (!IsVehiclePart(candidates[i], candidates[..kept]))
            {
                candidates[whole++] = candidates[i];
            }
        }

        return whole;
    }

    private static bool IsVehiclePart(DetectedObject part, ReadOnlySpan<DetectedObject> kept)
    {
        if (part.Class != ObjectClass.MotorVehicle)
        {
            return false;
        }

        Box p = part.Box;
        float area = p.Width * p.Height;
        foreach (DetectedObject other in kept)
        {
            Box o = other.Box;
            if (other.Class != ObjectClass.MotorVehicle || o.Width * o.Height <= area || p.Y2 > o.Y2)
            {
                continue;
            }

            float shared = p.Intersection(o);
            if (shared > 0 && shared >= PartShare * area)
            {
                return true;
            }
        }

        return false;
    }

    private static int SuppressOverlaps(Span<DetectedObject> candidates, float iouThreshold)
    {
        candidates.Sort(default(ByScoreDescending));
        int kept = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            DetectedObject candidate = candidates[i];
            bool keep = true;
            for (int k = 0; k < kept; k++)
            {
                if (candidates[k].Class == candidate.Class && candidates[k].Box.IoU(candidate.Box) > iouThreshold)
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                candidates[kept++] = candidate;
            }
        }

        return kept;
    }

    private readonly struct ByScoreDescending : IComparer<DetectedObject>
    {
        public int Compare(DetectedObject x, DetectedObject y) => y.Score.CompareTo(x.Score);
    }
}

