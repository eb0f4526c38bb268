using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Decision.Tracking;

/// <summary>
/// A multi-object tracker in the manner of ByteTrack (Zhang et al., 2022) for one camera: a time-aware Kalman filter
/// predicts each track to the frame's capture time, then detections are associated by IoU (class-aware, optimal
/// assignment) in ByteTrack's order, so that low-score boxes can continue tracks through partial occlusion and blur.
/// </summary>
/// <remarks>
/// <para>Each <see cref="Update"/> runs:</para>
/// <list type="number">
/// <item>tracks unseen for longer than <see cref="TrackerSettings.MaxLostSeconds"/> at this frame's time are retired,
/// before any matching, so an object coming back after that gets a new id;</item>
/// <item>every track is predicted over the seconds since the previous frame;</item>
/// <item>high detections (≥ <see cref="TrackerSettings.HighScore"/>) against confirmed tracks, tracked and lost;</item>
/// <item>low detections against the confirmed tracks tracked in the previous frame and still unmatched; tracks
/// still unmatched become lost;</item>
/// <item>unconfirmed tracks against the high detections left, then against the low detections left (as tracked
/// tracks are: an object whose score hovers about <see cref="TrackerSettings.HighScore"/>, as vehicles do at night,
/// is confirmed on its second frame whichever side it falls); an unconfirmed track left unmatched is dropped;</item>
/// <item>each high detection still left, scoring at least <see cref="TrackerSettings.NewTrackScore"/>, starts a track.</item>
/// </list>
/// <para>Ids: a track gets its id when confirmed (<see cref="TrackerSettings.MinHits"/> consecutive frames), so every id
/// is reported, ids count up from 1 per tracker and are never reused. <c>TrackFrame.Retired</c> lists each reported
/// id exactly once, in the frame where the tracker dropped its state; tracks dropped before confirmation had no id
/// and appear nowhere. Detections with no height or width, or scoring below <see cref="TrackerSettings.LowScore"/>,
/// are ignored. Time that goes back (a looped file) counts as no time passing. Not thread-safe: one per camera, fed in
/// order of capture time.</para>
/// </remarks>
public sealed class ByteTracker
{
    private readonly string _cameraId;
    private readonly TrackerSettings _settings;

    /// <summary>Every track the tracker holds state for, and the only per-track state: retiring a track removes its entry.</summary>
    private readonly List<Track> _tracks = [];
    private readonly LinearAssignment _assignment = new();

    // Scratch reused from frame to frame (sized by the most detections and tracks seen at once).
    private readonly List<Track> _rows = [];
    private readonly List<int> _high = [];
    private readonly List<int> _low = [];
    private readonly List<int> _parts = [];
    private readonly List<int> _retired = [];
    private float[] _cost = [];
    private int[] _rowToColumn = [];

    private DateTimeOffset? _previousTime;
    private int _lastId;

    public ByteTracker(string cameraId, TrackerSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(cameraId);
        _settings = settings ?? new TrackerSettings();
        _settings.Validate();
        _cameraId = cameraId;
    }

    /// <summary>Tracks the tracker holds state for: tracked, lost and not yet confirmed.</summary>
    public int LiveTracks => _tracks.Count;

    /// <summary>
    /// Tracks one frame's detections. <see cref="TrackFrame.Tracks"/> holds the confirmed tracks matched in this frame,
    /// each with its detection's box and score. Lost tracks are kept unreported until matched again or retired (then
    /// their id is in <see cref="TrackFrame.Retired"/>).
    /// </summary>
    public TrackFrame Update(FrameDetections detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        if (!string.Equals(detections.CameraId, _cameraId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This tracker is for camera '{_cameraId}', got detections of '{detections.CameraId}'.", nameof(detections));
        }

        DateTimeOffset now = detections.CapturedAt;
        double seconds = _previousTime is { } previous ? Math.Max(0, (now - previous).TotalSeconds) : 0;
        _previousTime = now;

        RetireStale(seconds);
        foreach (Track track in _tracks)
        {
            track.Matched = -1;
            track.Predict(seconds);
        }

        IReadOnlyList<DetectedObject> items = detections.Items;
        SplitByScore(items);
        WithholdMerged(items, _high);
        WithholdMerged(items, _low);
        WithholdParts(items);

        // (1) High detections against every confirmed track, tracked or lost.
        _rows.Clear();
        foreach (Track track in _tracks)
        {
            if (track.Confirmed)
            {
                _rows.Add(track);
            }
        }

        Associate(items, _high, _settings.MatchIoU);

        // (2) Low detections against the tracks tracked until now and unmatched; those left become lost.
        _rows.Clear();
        foreach (Track track in _tracks)
        {
            if (track.Confirmed && !track.Lost && track.Matched < 0)
            {
                _rows.Add(track);
            }
        }

        Associate(items, _low, _settings.LowMatchIoU);
        foreach (Track track in _rows)
        {
            if (track.Matched < 0)
            {
                track.Lost = true;
            }
        }

        // (3) Unconfirmed tracks against the high detections left, then against the low ones left; one that misses
        // is dropped (it never had an id).
        _rows.Clear();
        foreach (Track track in _tracks)
        {
            if (!track.Confirmed)
            {
                _rows.Add(track);
            }
        }

        Associate(items, _high, _settings.MatchIoU);
        _rows.RemoveAll(static track => track.Matched >= 0);
        Associate(items, _low, _settings.LowMatchIoU);
        int kept = 0;
        for (int i = 0; i < _tracks.Count; i++)
        {
            Track track = _tracks[i];
            if (!track.Confirmed)
            {
                if (track.Matched < 0)
                {
                    continue;
                }

                if (track.Hits >= _settings.MinHits)
                {
                    track.Id = ++_lastId;
                }
            }

            _tracks[kept++] = track;
        }

        _tracks.RemoveRange(kept, _tracks.Count - kept);

        // (4) New tracks from the confident high detections nobody took.
        foreach (int index in _high)
        {
            DetectedObject detection = items[index];
            if (detection.Score >= _settings.NewTrackScore)
            {
                var track = new Track(detection, now) { Matched = index };
                if (track.Hits >= _settings.MinHits)
                {
                    track.Id = ++_lastId;
                }

                _tracks.Add(track);
            }
        }

        return Report(detections, items);
    }

    /// <summary>Whether the tracker still holds state for the track with this id (tests: a retired id leaves nothing behind).</summary>
    internal bool HoldsState(int trackId)
    {
        foreach (Track track in _tracks)
        {
            if (track.Id == trackId)
            {
                return true;
            }
        }

        return false;
    }

    private void RetireStale(double seconds)
    {
        _retired.Clear();
        int kept = 0;
        for (int i = 0; i < _tracks.Count; i++)
        {
            Track track = _tracks[i];
            track.SecondsUnseen += seconds;
            if (track.SecondsUnseen > _settings.MaxLostSeconds)
            {
                if (track.Confirmed)
                {
                    _retired.Add(track.Id);
                }

                continue;
            }

            _tracks[kept++] = track;
        }

        _tracks.RemoveRange(kept, _tracks.Count - kept);
    }

    /// <summary>
    /// Takes out of <paramref name="columns"/> each motor-vehicle detection that holds most of two or more vehicle
    /// tracks tracked in the previous frame (<see cref="MergedShare"/> of each predicted box inside it): one box over two vehicles, as when
    /// a car passes in front of one waiting beside it. Matched to either track it would carry that track onto the
    /// other vehicle (a waiting car's track "crossing" its line on the passing car's box), and as a new track it
    /// would be neither; so it is used by none, and the tracks coast on their predictions (lost, as through any
    /// occlusion) until the vehicles are boxed apart again.
    /// </summary>
    private void WithholdMerged(IReadOnlyList<DetectedObject> items, List<int> columns)
    {
        int kept = 0;
        for (int i = 0; i < columns.Count; i++)
        {
            if (!HoldsTwoVehicles(items[columns[i]]))
            {
                columns[kept++] = columns[i];
            }
        }

        columns.RemoveRange(kept, columns.Count - kept);
    }

    private bool HoldsTwoVehicles(DetectedObject detection)
    {
        if (detection.Class != ObjectClass.MotorVehicle)
        {
            return false;
        }

        int held = 0;
        foreach (Track track in _tracks)
        {
            if (track.Confirmed && !track.Lost && track.Class == ObjectClass.MotorVehicle && ShareInside(track.Predicted, detection.Box) >= MergedShare && ++held == 2)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A predicted vehicle box with this share of its area inside one detection is held by it (<see cref="WithholdMerged"/>).</summary>
    internal const float MergedShare = 0.7f;

    /// <summary>
    /// Takes out of the high and low detections each motor-vehicle detection that is a part of another one of this
    /// frame (<see cref="PartOf"/>): at night the glare between a car's headlights is boxed as a vehicle of its own,
    /// often scoring above the dimly lit car. Matched first as the higher score, it would carry the car's track onto its
    /// own small box, ahead of the car (on its line before the car is), and leave the car's box unmatched. Taken out,
    /// the car's own box, however low its score, continues the track. Run after <see cref="WithholdMerged"/>, so that
    /// a box over two vehicles does not take out the nearer one's own box as its part.
    /// </summary>
    private void WithholdParts(IReadOnlyList<DetectedObject> items)
    {
        _parts.Clear();
        foreach (int i in _high)
        {
            if (IsPart(items, i))
            {
                _parts.Add(i);
            }
        }

        foreach (int i in _low)
        {
            if (IsPart(items, i))
            {
                _parts.Add(i);
            }
        }

        if (_parts.Count > 0)
        {
            _high.RemoveAll(_parts.Contains);
            _low.RemoveAll(_parts.Contains);
        }
    }

    private bool IsPart(IReadOnlyList<DetectedObject> items, int index) =>
        items[index].Class == ObjectClass.MotorVehicle && (PartOfAny(items, index, _high) || PartOfAny(items, index, _low));

    private static bool PartOfAny(IReadOnlyList<DetectedObject> items, int index, List<int> wholes)
    {
        foreach (int j in wholes)
        {
            if (j != index && PartOf(items[index].Box, items[j]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a vehicle box lies almost whole (<see cref="PartShare"/>) inside another vehicle's box at least twice its
    /// size, at its bottom (within <see cref="PartBottom"/> of its height): the front of the car, where the lights and
    /// the plate are. A vehicle behind another ends higher in the picture, so it is no part of it.
    /// </summary>
    private static bool PartOf(Box part, DetectedObject whole) =>
        whole.Class == ObjectClass.MotorVehicle && whole.Box.Area >= 2 * part.Area &&
        ShareInside(part, whole.Box) >= PartShare && Math.Abs(whole.Box.Y2 - part.Y2) <= PartBottom * whole.Box.Height;

    /// <summary>The share of a vehicle box inside a larger one that makes it a part of that vehicle (<see cref="PartOf"/>).</summary>
    internal const float PartShare = 0.8f;

    /// <summary>How far from the larger box's bottom a part's bottom may be, in that box's heights (<see cref="PartOf"/>).</summary>
    internal const float PartBottom = 0.15f;

    private static float ShareInside(Box inner, Box outer)
    {
        float area = inner.Width * inner.Height;
        return area <= 0 ? 0 : inner.Intersection(outer) / area;
    }

    private void SplitByScore(IReadOnlyList<DetectedObject> items)
    {
        _high.Clear();
        _low.Clear();
        for (int i = 0; i < items.Count; i++)
        {
            DetectedObject detection = items[i];
            if (!(detection.Box.Width > 0 && detection.Box.Height > 0))
            {
                continue;
            }

            if (detection.Score >= _settings.HighScore)
            {
                _high.Add(i);
            }
            else if (detection.Score >= _settings.LowScore)
            {
                _low.Add(i);
            }
        }
    }

    /// <summary>
    /// Matches <see cref="_rows"/> with the detections listed in <paramref name="columns"/> by IoU of the predicted box,
    /// only within a class and at <paramref name="minIoU"/> or more, and removes the matched ones from the list.
    /// </summary>
    private void Associate(IReadOnlyList<DetectedObject> items, List<int> columns, float minIoU)
    {
        int rows = _rows.Count;
        int count = columns.Count;
        if (rows == 0 || count == 0)
        {
            return;
        }

        if (_cost.Length < rows * count)
        {
            _cost = new float[Math.Max(rows * count, _cost.Length * 2)];
        }

        if (_rowToColumn.Length < rows)
        {
            _rowToColumn = new int[Math.Max(rows, _rowToColumn.Length * 2)];
        }

        for (int r = 0; r < rows; r++)
        {
            Track track = _rows[r];
            for (int c = 0; c < count; c++)
            {
                DetectedObject detection = items[columns[c]];
                _cost[(r * count) + c] = detection.Class == track.Class ? 1 - track.Predicted.IoU(detection.Box) : float.PositiveInfinity;
            }
        }

        if (_assignment.Solve(_cost.AsSpan(0, rows * count), rows, count, 1 - minIoU, _rowToColumn) == 0)
        {
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            int c = _rowToColumn[r];
            if (c >= 0)
            {
                int index = columns[c];
                _rows[r].Match(index, items[index]);
                columns[c] = -1;
            }
        }

        columns.RemoveAll(static index => index < 0);
    }

    private TrackFrame Report(FrameDetections detections, IReadOnlyList<DetectedObject> items)
    {
        int reported = 0;
        foreach (Track track in _tracks)
        {
            if (track.Confirmed && track.Matched >= 0)
            {
                reported++;
            }
        }

        TrackedObject[] tracks = reported == 0 ? [] : new TrackedObject[reported];
        int next = 0;
        foreach (Track track in _tracks)
        {
            if (track.Confirmed && track.Matched >= 0)
            {
                DetectedObject detection = items[track.Matched];
                tracks[next++] = new TrackedObject(
                    track.Id,
                    track.Class,
                    detection.Box,
                    detection.Score,
                    track.VelocityX,
                    track.VelocityY,
                    track.Hits,
                    track.FirstSeen,
                    track.Kind);
            }
        }

        int[] retired = _retired.Count == 0 ? [] : _retired.ToArray();
        return new TrackFrame(detections.CameraId, detections.Sequence, detections.CapturedAt, tracks, retired)
        {
            Aspect = detections.FrameWidth > 0 && detections.FrameHeight > 0 ? detections.FrameWidth / (float)detections.FrameHeight : 1f,
        };
    }
}
