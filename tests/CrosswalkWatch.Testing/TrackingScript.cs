using CrosswalkWatch.Decision.Tracking;
using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Testing;

/// <summary>Scripted detections for tracker tests: frames at given times, boxes by centre, and a run that records what came out.</summary>
internal static class TrackingScript
{
    public const string Camera = "test-cam";
    public const float PedestrianWidth = 0.05f;
    public const float PedestrianHeight = 0.2f;

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static FrameDetections Frame(double seconds, params DetectedObject[] items) =>
        new(Camera, (long)Math.Round(seconds * 1000), Start.AddSeconds(seconds), 640, 360, items);

    public static DetectedObject Pedestrian(double cx, double cy, float score = 0.9f) =>
        new(Box.FromCenter((float)cx, (float)cy, PedestrianWidth, PedestrianHeight), score, ObjectClass.Pedestrian, 0);

    public static DetectedObject Vehicle(double cx, double cy, float score = 0.9f) =>
        new(Box.FromCenter((float)cx, (float)cy, PedestrianWidth, PedestrianHeight), score, ObjectClass.MotorVehicle, 2);

    /// <summary><paramref name="count"/> frame times from 0: every <paramref name="interval"/> s, or uneven 0.1–0.5 s gaps when it is 0.</summary>
    public static double[] Times(int count, double interval, int seed = 1)
    {
        var random = new Random(seed);
        var times = new double[count];
        for (int i = 1; i < count; i++)
        {
            times[i] = times[i - 1] + (interval > 0 ? interval : 0.1 + (0.4 * random.NextDouble()));
        }

        return times;
    }

    /// <summary>Feeds every frame and returns the outputs in order.</summary>
    public static List<TrackFrame> Run(ByteTracker tracker, IEnumerable<FrameDetections> frames) =>
        frames.Select(tracker.Update).ToList();

    /// <summary>The one track reported with exactly this box in the frame, or null.</summary>
    public static TrackedObject? WithBox(TrackFrame frame, Box box) => frame.Tracks.SingleOrDefault(t => t.Box == box);
}
