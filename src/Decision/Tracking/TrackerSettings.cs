namespace CrosswalkWatch.Decision.Tracking;

/// <summary>
/// How <see cref="ByteTracker"/> associates detections with tracks. The defaults are ByteTrack's
/// (track_thresh 0.5, match_thresh 0.8 as a 1 − IoU distance, 0.5 for the second stage) except that a new track
/// starts at track_thresh, not track_thresh + 0.1 (see <see cref="NewTrackScore"/>), with track lifetimes in seconds
/// instead of frames because the detection rate varies.
/// </summary>
public sealed record TrackerSettings
{
    /// <summary>Detections scoring at least this take part in the first stage (0–1, default 0.5).</summary>
    public float HighScore { get; init; } = 0.5f;

    /// <summary>
    /// Detections scoring at least this but below <see cref="HighScore"/> can only continue a track that was
    /// tracked in the previous frame: the second stage, which recovers occluded and blurred objects (0–1, default 0.1).
    /// Detections below it are ignored.
    /// </summary>
    public float LowScore { get; init; } = 0.1f;

    /// <summary>
    /// A high detection left unmatched starts a track only if it scores at least this (0–1, default 0.5, where
    /// ByteTrack has 0.6: at night vehicles score 0.4–0.6 until close, and a track is reported only once matched in
    /// <see cref="MinHits"/> frames, which keeps one-frame false detections out anyway).
    /// </summary>
    public float NewTrackScore { get; init; } = 0.5f;

    /// <summary>Minimum IoU between a track's predicted box and a high detection to associate them (0–1, default 0.2).</summary>
    public float MatchIoU { get; init; } = 0.2f;

    /// <summary>Minimum IoU between a track's predicted box and a low detection in the second stage (0–1, default 0.5).</summary>
    public float LowMatchIoU { get; init; } = 0.5f;

    /// <summary>A track unseen for longer than this is retired and its id reported in <c>TrackFrame.Retired</c> (seconds, default 1.5).</summary>
    public double MaxLostSeconds { get; init; } = 1.5;

    /// <summary>
    /// A new track is reported, and given its id, once matched in this many consecutive frames (≥ 1, default 2);
    /// before that one missed frame drops it.
    /// </summary>
    public int MinHits { get; init; } = 2;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of its bounds.</summary>
    public void Validate()
    {
        CheckFraction(LowScore, nameof(LowScore));
        CheckFraction(HighScore, nameof(HighScore));
        CheckFraction(NewTrackScore, nameof(NewTrackScore));
        if (LowScore > HighScore)
        {
            throw new ArgumentOutOfRangeException(nameof(LowScore), LowScore, $"{nameof(LowScore)} must not exceed {nameof(HighScore)} ({HighScore}).");
        }

        if (NewTrackScore < HighScore)
        {
            throw new ArgumentOutOfRangeException(nameof(NewTrackScore), NewTrackScore, $"{nameof(NewTrackScore)} must be at least {nameof(HighScore)} ({HighScore}).");
        }

        CheckIoU(MatchIoU, nameof(MatchIoU));
        CheckIoU(LowMatchIoU, nameof(LowMatchIoU));
        if (!(MaxLostSeconds >= 0) || double.IsInfinity(MaxLostSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLostSeconds), MaxLostSeconds, "Expected a finite number of seconds, 0 or more.");
        }

        if (MinHits < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinHits), MinHits, "Expected 1 or more.");
        }
    }

    private static void CheckFraction(float value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a score from 0 to 1.");
        }
    }

    private static void CheckIoU(float value, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected an IoU above 0, at most 1.");
        }
    }
}
