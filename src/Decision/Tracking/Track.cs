using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;

namespace CrosswalkWatch.Decision.Tracking;

/// <summary>One object the tracker holds state for: its motion model, class and bookkeeping. Dropped whole when retired.</summary>
internal sealed class Track
{
    private readonly double[] _mean = new double[BoxKalmanFilter.StateSize];
    private readonly double[] _covariance = new double[BoxKalmanFilter.CovarianceSize];
    private int[]? _kindVotes;

    public Track(DetectedObject detection, DateTimeOffset firstSeen)
    {
        Class = detection.Class;
        Vote(detection.Kind);
        FirstSeen = firstSeen;
        Hits = 1;
        BoxKalmanFilter.Initiate(_mean, _covariance, detection.Box);
        Predicted = detection.Box;
    }

    public ObjectClass Class { get; }

    /// <summary>The kind most of the matched detections named (ties to the earlier one); null when none named one.</summary>
    public VehicleKind? Kind { get; private set; }

    public DateTimeOffset FirstSeen { get; }

    /// <summary>0 until the track is confirmed (<see cref="TrackerSettings.MinHits"/>); ids go only to tracks that are reported.</summary>
    public int Id { get; set; }

    public bool Confirmed => Id != 0;

    /// <summary>Missed in its last frame (confirmed tracks only; an unconfirmed track that misses is dropped).</summary>
    public bool Lost { get; set; }

    /// <summary>Frames matched, the first detection included.</summary>
    public int Hits { get; set; }

    /// <summary>Seconds since the last matched detection, summed over the frame intervals.</summary>
    public double SecondsUnseen { get; set; }

    /// <summary>The box predicted for the current frame, which association compares with detections.</summary>
    public Box Predicted { get; private set; }

    /// <summary>Index of the detection matched in the current frame, or −1.</summary>
    public int Matched { get; set; } = -1;

    public float VelocityX => (float)_mean[4];

    public float VelocityY => (float)_mean[5];

    /// <summary>Moves the motion model to the current frame; a lost track keeps its size (ByteTrack zeroes its height velocity).</summary>
    public void Predict(double seconds)
    {
        if (Lost)
        {
            _mean[7] = 0;
        }

        BoxKalmanFilter.Predict(_mean, _covariance, seconds);
        Predicted = BoxKalmanFilter.ToBox(_mean);
    }

    public void Match(int index, DetectedObject detection)
    {
        Vote(detection.Kind);
        var box = detection.Box;
        BoxKalmanFilter.Update(_mean, _covariance, box);
        Matched = index;
        Hits++;
        SecondsUnseen = 0;
        Lost = false;
    }

    /// <summary>Counts the detection's kind; a few ints per track, allocated only for a track whose detections name kinds.</summary>
    private void Vote(VehicleKind? kind)
    {
        if (kind is not { } k)
        {
            return;
        }

        _kindVotes ??= new int[Enum.GetValues<VehicleKind>().Length];
        if (++_kindVotes[(int)k] > (Kind is { } current ? _kindVotes[(int)current] : 0))
        {
            Kind = k;
        }
    }
}
