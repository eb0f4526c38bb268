using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>Greedy class-aware non-maximum suppression, in place.</summary>
internal static class Nms
{
    /// <summary>
    /// Sorts <paramref name="candidates"/> by score, highest first, and moves the boxes kept to its front: a box is
    /// dropped when a higher-scored box of the same <see cref="Domain.Detection.ObjectClass"/> overlaps it by more than
    /// <paramref name="iouThreshold"/> (so a car also scored as a truck stays one motor vehicle). Returns how many
    /// were kept; the rest of the span is left in no particular order.
    /// </summary>
    public static int Suppress(Span<DetectedObject> candidates, float iouThreshold)
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

