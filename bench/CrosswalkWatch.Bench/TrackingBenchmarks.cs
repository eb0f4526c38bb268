using BenchmarkDotNet.Attributes;
using CrosswalkWatch.Decision.Tracking;
using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Bench;

/// <summary>
/// One tracker update for a busy camera: 30 objects a frame (24 pedestrians, 6 vehicles) on smooth crossing paths at
/// 5 fps, a few of them dropping to low scores now and then. <see cref="ByteTracker"/> (Kalman prediction, two-stage
/// optimal assignment) beside a hand-written greedy IoU tracker (last box, best pairs first, no motion model).
/// Each invocation is one frame of an endless stream, so the state stays in its steady size.
/// </summary>
[MemoryDiagnoser]
public class TrackingBenchmarks
{
    private const int Objects = 30;
    private const int Period = 500; // frames, after which every path repeats
    private const double Interval = 0.2;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly DetectedObject[][] _frames = new DetectedObject[Period][];
    private ByteTracker _byteTracker = null!;
    private GreedyIouTracker _greedy = null!;
    private long _byteSequence;
    private long _greedySequence;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var phaseX = new double[Objects];
        var phaseY = new double[Objects];
        var cyclesX = new int[Objects];
        var cyclesY = new int[Objects];
        for (int o = 0; o < Objects; o++)
        {
            phaseX[o] = random.NextDouble() * Math.Tau;
            phaseY[o] = random.NextDouble() * Math.Tau;
            cyclesX[o] = random.Next(1, 4);
            cyclesY[o] = random.Next(1, 3);
        }

        for (int f = 0; f < Period; f++)
        {
            var items = new DetectedObject[Objects];
            double phase = Math.Tau * f / Period;
            for (int o = 0; o < Objects; o++)
            {
                bool vehicle = o % 5 == 0;
                float cx = (float)(0.5 + (0.42 * Math.Sin((cyclesX[o] * phase) + phaseX[o])));
                float cy = (float)(0.5 + (0.38 * Math.Sin((cyclesY[o] * phase) + phaseY[o])));
                Box box = vehicle ? Box.FromCenter(cx, cy, 0.1f, 0.08f) : Box.FromCenter(cx, cy, 0.04f, 0.12f);
                float score = (f + (o * 7)) % 23 < 2 ? 0.3f : 0.85f;
                items[o] = new DetectedObject(box, score, vehicle ? ObjectClass.MotorVehicle : ObjectClass.Pedestrian, vehicle ? 2 : 0);
            }

            _frames[f] = items;
        }

        _byteTracker = new ByteTracker("bench");
        _greedy = new GreedyIouTracker("bench", new TrackerSettings());
        for (int i = 0; i < Period; i++)
        {
            ByteTrackerUpdate();
            GreedyIouUpdate();
        }
    }

    [Benchmark(Baseline = true, Description = "greedy IoU, last box (hand-written)")]
    public TrackFrame GreedyIouUpdate() => _greedy.Update(Next(ref _greedySequence));

    [Benchmark(Description = "ByteTracker.Update")]
    public TrackFrame ByteTrackerUpdate() => _byteTracker.Update(Next(ref _byteSequence));

    private FrameDetections Next(ref long sequence)
    {
        long s = sequence++;
        return new FrameDetections("bench", s, Start.AddSeconds(s * Interval), 640, 360, _frames[s % Period]);
    }

    /// <summary>
    /// The plain way: keep each track's last box, take the (track, detection) pairs of one class by IoU from best down,
    /// start a track from any confident detection left, drop tracks unseen for MaxLostSeconds. Buffers reused.
    /// </summary>
    private sealed class GreedyIouTracker(string cameraId, TrackerSettings settings)
    {
        private readonly List<(int Id, ObjectClass Class, Box Box, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Hits)> _tracks = [];
        private readonly List<int> _retired = [];
        private float[] _keys = new float[64];
        private int[] _pairs = new int[64];
        private bool[] _trackTaken = new bool[16];
        private int[] _detectionTrack = new int[16];
        private int _lastId;

        public TrackFrame Update(FrameDetections frame)
        {
            IReadOnlyList<DetectedObject> items = frame.Items;
            DateTimeOffset now = frame.CapturedAt;
            _retired.Clear();
            for (int t = _tracks.Count - 1; t >= 0; t--)
            {
                if ((now - _tracks[t].LastSeen).TotalSeconds > settings.MaxLostSeconds)
                {
                    _retired.Add(_tracks[t].Id);
                    _tracks.RemoveAt(t);
                }
            }

            int tracks = _tracks.Count;
            int detections = items.Count;
            if (_trackTaken.Length < tracks)
            {
                _trackTaken = new bool[tracks * 2];
            }

            if (_detectionTrack.Length < detections)
            {
                _detectionTrack = new int[detections * 2];
            }

            int pairs = 0;
            for (int t = 0; t < tracks; t++)
            {
                for (int d = 0; d < detections; d++)
                {
                    DetectedObject detection = items[d];
                    if (detection.Score < settings.HighScore || detection.Class != _tracks[t].Class)
                    {
                        continue;
                    }

                    float iou = _tracks[t].Box.IoU(detection.Box);
                    if (iou >= settings.MatchIoU)
                    {
                        if (pairs == _keys.Length)
                        {
                            Array.Resize(ref _keys, pairs * 2);
                            Array.Resize(ref _pairs, pairs * 2);
                        }

                        _keys[pairs] = -iou;
                        _pairs[pairs++] = (t * detections) + d;
                    }
                }
            }

            Array.Sort(_keys, _pairs, 0, pairs);
            Array.Clear(_trackTaken, 0, tracks);
            Array.Fill(_detectionTrack, -1, 0, detections);
            int matched = 0;
            for (int p = 0; p < pairs; p++)
            {
                int t = _pairs[p] / detections;
                int d = _pairs[p] % detections;
                if (!_trackTaken[t] && _detectionTrack[d] < 0)
                {
                    _trackTaken[t] = true;
                    _detectionTrack[d] = t;
                    matched++;
                }
            }

            for (int d = 0; d < detections; d++)
            {
                DetectedObject detection = items[d];
                if (_detectionTrack[d] < 0 && detection.Score >= settings.NewTrackScore)
                {
                    _tracks.Add((++_lastId, detection.Class, detection.Box, now, now, 0));
                    _detectionTrack[d] = _tracks.Count - 1;
                    matched++;
                }
            }

            var reported = new TrackedObject[matched];
            int next = 0;
            for (int d = 0; d < detections; d++)
            {
                int t = _detectionTrack[d];
                if (t >= 0)
                {
                    var track = _tracks[t];
                    DetectedObject detection = items[d];
                    _tracks[t] = track with { Box = detection.Box, LastSeen = now, Hits = track.Hits + 1 };
                    reported[next++] = new TrackedObject(track.Id, track.Class, detection.Box, detection.Score, 0, 0, track.Hits + 1, track.FirstSeen);
                }
            }

            return new TrackFrame(cameraId, frame.Sequence, now, reported, _retired.Count == 0 ? [] : _retired.ToArray());
        }
    }
}
