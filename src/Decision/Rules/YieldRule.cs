using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;

namespace CrosswalkWatch.Decision.Rules;

/// <summary>
/// The yield decision for one camera (Road Traffic Safety Law art. 47 as police apply it, DOMAIN.md): a motor vehicle
/// crosses its stop line into the crosswalk, moving, while pedestrians are in its conflict zone — the motor lanes on
/// its half of the road (or its lane widened by a margin), or at the centre line on the far side unless walking away —
/// for enough consecutive frames. Pedestrians on refuges, outside the motor lanes, behind the vehicle, running, or
/// turning back do not count, nor those who first stepped into the motor lanes on the crosswalk while the pedestrian
/// signal was red (<see cref="TrackFrame.Signal"/>; without a signal nobody is excluded for it). One candidate per
/// vehicle per passage, completed when it leaves the crosswalk. A turning vehicle (the scene's movements) reaches the
/// crosswalk from the side instead of through a stop line: it is judged the same way in the lane it crosses in,
/// entering when enough of it is on the crosswalk. Per-track state is dropped when the tracker retires the track.
/// </summary>
public sealed class YieldRule
{
    /// <summary>A pedestrian hidden (usually by the vehicle itself) this long still counts where last seen.</summary>
    private static readonly TimeSpan OcclusionGrace = TimeSpan.FromSeconds(1);

    private static readonly (double X, double Y)[] Footprint = MakeFootprint();

    private readonly string _cameraId;
    private readonly SceneModel _scene;
    private readonly YieldRuleSettings _settings;
    private readonly Dictionary<int, PedestrianState> _pedestrians = [];
    private readonly Dictionary<int, VehicleState> _vehicles = [];
    private readonly List<ViolationCandidate> _recent = [];

    public YieldRule(string cameraId, SceneModel scene, YieldRuleSettings settings)
    {
        _cameraId = cameraId;
        _scene = scene;
        _settings = settings;
    }

    /// <summary>The thresholds this rule decides with.</summary>
    public YieldRuleSettings Settings => _settings;

    /// <summary>Per-track states held now (pedestrians and vehicles), for health and the memory test.</summary>
    public int TrackedStates => _pedestrians.Count + _vehicles.Count;

    /// <summary>Candidates dropped as repeats of a recent one (tracker id switches).</summary>
    public int Deduplicated { get; private set; }

    /// <summary>Takes one frame of tracks; returns the candidates completed in it.</summary>
    public IReadOnlyList<ViolationCandidate> Update(TrackFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var done = new List<ViolationCandidate>();
        foreach (var track in frame.Tracks)
        {
            if (track.Class == ObjectClass.Pedestrian)
            {
                UpdatePedestrian(track, frame.CapturedAt, frame.Signal);
            }
        }

        foreach (var track in frame.Tracks)
        {
            if (track.Class == ObjectClass.MotorVehicle)
            {
                UpdateVehicle(track, frame, done);
            }
        }

        foreach (var id in frame.Retired)
        {
            _pedestrians.Remove(id);
            if (_vehicles.Remove(id, out var vehicle) && vehicle.Violation is not null && vehicle.Phase == Phase.Passing)
            {
                Complete(vehicle, vehicle.Last, done);
            }
        }

        _recent.RemoveAll(c => frame.CapturedAt - c.OnLine.At > TimeSpan.FromSeconds(_settings.DedupSeconds));
        return done;
    }

    /// <summary>End of input: completes the candidates of vehicles still on the crosswalk.</summary>
    public IReadOnlyList<ViolationCandidate> Flush()
    {
        var done = new List<ViolationCandidate>();
        foreach (var vehicle in _vehicles.Values)
        {
            if (vehicle.Violation is not null && vehicle.Phase == Phase.Passing)
            {
                Complete(vehicle, vehicle.Last, done);
            }
        }

        _vehicles.Clear();
        _pedestrians.Clear();
        return done;
    }

    private void UpdatePedestrian(TrackedObject track, DateTimeOffset at, Domain.Signals.SignalReading? signal)
    {
        if (!_pedestrians.TryGetValue(track.TrackId, out var state))
        {
            state = new PedestrianState(_scene.Lanes.Count);
            _pedestrians[track.TrackId] = state;
        }

        var (x, y) = track.Box.BottomCenter;
        var p = new Point2(x, y);
        var height = Math.Max(track.Box.Height, 1e-3f);
        var speed = Math.Sqrt((track.VelocityX * track.VelocityX) + (track.VelocityY * track.VelocityY)) / height;
        var lateral = _scene.Lateral(p);
        var lateralSpeed = new Point2(track.VelocityX, track.VelocityY).Dot(_scene.Axis) / height;

        // Turning back: the walking direction across the road flipped recently.
        if (Math.Abs(lateralSpeed) >= _settings.StandingSpeed)
        {
            var direction = Math.Sign(lateralSpeed);
            if (state.Direction != 0 && direction != state.Direction)
            {
                state.TurnedBackAt = at;
            }

            state.Direction = direction;
        }

        state.Track = track;
        state.LastSeen = at;
        state.Speed = speed;
        state.Lateral = lateral;

        var lane = _scene.LaneAt(p);
        var inMotorLanes = _scene.OnCrosswalk(p) && !_scene.OnRefuge(p) && !_scene.OnSidewalk(p) && lane is { Kind: LaneKind.Motor };
        if (inMotorLanes && !state.Stepped)
        {
            state.Stepped = true;
            state.StartedOn = signal?.State; // crossing against a red signal: excluded for good, like running
        }

        var eligible = inMotorLanes
                       && state.StartedOn != Domain.Signals.SignalState.Red
                       && (_settings.RunningSpeed <= 0 || speed <= _settings.RunningSpeed)
                       && (_settings.TurnBackSeconds <= 0 || state.TurnedBackAt is null || at - state.TurnedBackAt > TimeSpan.FromSeconds(_settings.TurnBackSeconds))
                       && (_settings.CountStandingPedestrians || speed >= _settings.StandingSpeed);
        for (var i = 0; i < _scene.Lanes.Count; i++)
        {
            var where = eligible ? ConflictWith(_scene.Lanes[i], lateral, lateralSpeed, lane!) : null;
            state.Where[i] = where;
            state.Frames[i] = where is null ? 0 : state.Frames[i] + 1;
        }
    }

    /// <summary>Where the pedestrian stands in relation to a lane's vehicle, or null when outside its conflict zone.</summary>
    private ConflictKind? ConflictWith(SceneLane lane, double lateral, double lateralSpeed, SceneLane pedestrianLane)
    {
        if (lane.Kind != LaneKind.Motor)
        {
            return null;
        }

        var half = _scene.HalfOf(lateral);
        var inLane = pedestrianLane == lane;
        var beside = !inLane && pedestrianLane.Approach == lane.Approach && LanesFrom(lane, lateral) <= 1.0;
        if (_settings.ConflictZone == ConflictZoneKind.NearHalf ? half == lane.Half : LanesFrom(lane, lateral) <= _settings.AdjacentMarginLanes)
        {
            return inLane ? ConflictKind.VehicleLane : beside ? ConflictKind.AdjacentLane : _settings.ConflictZone == ConflictZoneKind.NearHalf ? ConflictKind.NearHalf : ConflictKind.LaneMargin;
        }

        // On the far half at the centre line: counts unless walking away from the vehicle's half.
        if (_scene.Center is { } center && half != lane.Half && Math.Abs(lateral - center) <= _settings.CenterLineMarginLanes * lane.Width)
        {
            var towardsVehicle = Math.Sign(lane.LateralCenter - center);
            var walkingAway = Math.Abs(lateralSpeed) >= _settings.StandingSpeed && Math.Sign(lateralSpeed) == -towardsVehicle;
            return walkingAway ? null : ConflictKind.CentreLine;
        }

        return null;
    }

    private static double LanesFrom(SceneLane lane, double lateral)
    {
        var outside = lateral < lane.LateralMin ? lane.LateralMin - lateral : lateral > lane.LateralMax ? lateral - lane.LateralMax : 0;
        return outside / Math.Max(lane.Width, 1e-6);
    }

    private void UpdateVehicle(TrackedObject track, TrackFrame frame, List<ViolationCandidate> done)
    {
        if (!_vehicles.TryGetValue(track.TrackId, out var state))
        {
            state = new VehicleState();
            _vehicles[track.TrackId] = state;
        }

        var box = track.Box;
        var moment = new YieldMoment(frame.Sequence, frame.CapturedAt, box) { Signal = frame.Signal };
        state.Last = moment;
        state.Kind = track.Kind ?? state.Kind;
        var (ax, ay) = box.BottomCenter;
        var anchor = new Point2(ax, ay);

        // In a turning movement's entry region before it has reached the crosswalk (first seen there, or passing
        // through it, even after being first seen past a stop line): judged as turning, from the last region it was in.
        var entry = state.Phase is Phase.Approach or Phase.Unjudged ? _scene.MovementAt(anchor) : null;
        if (entry is not null && !ReferenceEquals(entry, state.Movement))
        {
            state.Movement = entry;
            state.Lane = null;
            state.BeforeLine = null;
            state.Phase = Phase.Approach;
            state.TrackId = track.TrackId;
        }

        if (state.Movement is { } movement)
        {
            UpdateTurning(state, movement, entry is not null, track, moment, done);
            return;
        }

        var laneHere = _scene.LaneAt(anchor);
        // The lane is the one the vehicle is in as it approaches the line: far away, lanes are narrow and close
        // together, so the choice follows the vehicle until it crosses.
        if (laneHere is { Kind: LaneKind.Motor } && state.Phase == Phase.Approach && (state.Lane is null || state.Lane.Approach == laneHere.Approach))
        {
            state.Lane = laneHere;
            state.TrackId = track.TrackId;
        }

        if (state.Lane is not { } lane || state.Phase is Phase.Done or Phase.Unjudged)
        {
            return;
        }

        var speed = SpeedOf(track);
        var againstTraffic = AgainstTraffic(lane, track);
        UpdateStopped(state, speed, frame.CapturedAt);
        var (pastLine, onCrosswalk, rear) = Footprints(lane, box);
        switch (state.Phase)
        {
            case Phase.Approach when pastLine < _settings.BodyPastLine:
                state.BeforeLine = moment;
                return;
            case Phase.Approach when againstTraffic || state.BeforeLine is null:
                state.Phase = Phase.Unjudged; // already past the line when first seen, or driving the wrong way: not judged
                return;
            case Phase.Approach:
                state.Phase = Phase.Passing;
                break;
            case Phase.Passing when pastLine >= 0.999 && onCrosswalk == 0:
                state.Phase = Phase.Done;
                if (state.Violation is not null)
                {
                    Complete(state, moment, done);
                }

                return;
        }

        FindConflicts(state, lane, rear, moment, speed);
    }

    /// <summary>
    /// A turning vehicle (DOMAIN.md): judged like one from a stop line, with the crosswalk in the line's place. Before
    /// it, its last moment in the entry region is the first photo; it has entered once the share of its footprint on
    /// the crosswalk reaches <see cref="YieldRuleSettings.BodyPastLine"/>, in the movement's lane that holds most of
    /// that footprint (none of them, seen first on the crosswalk, or driving against the lane: not judged); it is
    /// done when its footprint has left the crosswalk.
    /// </summary>
    private void UpdateTurning(VehicleState state, SceneMovement movement, bool inEntry, TrackedObject track, YieldMoment moment, List<ViolationCandidate> done)
    {
        if (state.Phase is Phase.Done or Phase.Unjudged)
        {
            return;
        }

        var box = track.Box;
        var speed = SpeedOf(track);
        UpdateStopped(state, speed, moment.At);
        if (state.Phase == Phase.Approach)
        {
            if (ShareOnCrosswalk(box) < _settings.BodyPastLine)
            {
                if (inEntry)
                {
                    state.BeforeLine = moment;
                }

                return;
            }

            if (state.BeforeLine is null || LaneEntered(movement, box) is not { } entered || AgainstTraffic(entered, track))
            {
                state.Phase = Phase.Unjudged;
                return;
            }

            state.Lane = entered;
            state.Phase = Phase.Passing;
        }

        var lane = state.Lane!;
        var (_, onCrosswalk, rear) = Footprints(lane, box);
        if (onCrosswalk == 0)
        {
            state.Phase = Phase.Done;
            if (state.Violation is not null)
            {
                Complete(state, moment, done);
            }

            return;
        }

        FindConflicts(state, lane, rear, moment, speed);
    }

    /// <summary>The first moment, moving, that enough pedestrians are in the lane's conflict zone: the violation and the photo on the line.</summary>
    private void FindConflicts(VehicleState state, SceneLane lane, double rear, YieldMoment moment, double speed)
    {
        if (state.Violation is null && speed >= _settings.StoppedSpeed)
        {
            var reasons = ConflictsFor(lane, rear, moment.At);
            if (reasons.Count >= _settings.MinPedestrians)
            {
                state.Violation = reasons;
                state.OnLine = moment;
                state.Speed = speed;
            }
        }
    }

    /// <summary>Stopped: slower than the threshold for long enough, before the line (or the crosswalk).</summary>
    private void UpdateStopped(VehicleState state, double speed, DateTimeOffset at)
    {
        if (speed < _settings.StoppedSpeed)
        {
            state.SlowSince ??= at;
            if (state.Phase == Phase.Approach && at - state.SlowSince >= TimeSpan.FromSeconds(_settings.StoppedSeconds))
            {
                state.StoppedBeforeLine = true;
            }
        }
        else
        {
            state.SlowSince = null;
        }
    }

    /// <summary>Speed in the vehicle's own box heights per second.</summary>
    private static double SpeedOf(TrackedObject track) =>
        new Point2(track.VelocityX, track.VelocityY).Length / Math.Max(track.Box.Height, 1e-3f);

    private bool AgainstTraffic(SceneLane lane, TrackedObject track) =>
        new Point2(track.VelocityX, track.VelocityY).Dot(lane.Direction) / Math.Max(track.Box.Height, 1e-3f) < -Math.Max(_settings.StoppedSpeed, 0.05);

    /// <summary>Pedestrians in the lane's conflict zone long enough, and not behind the vehicle.</summary>
    private List<PedestrianReason> ConflictsFor(SceneLane lane, double vehicleRear, DateTimeOffset at)
    {
        var index = IndexOf(lane);
        var reasons = new List<PedestrianReason>();
        foreach (var (id, pedestrian) in _pedestrians)
        {
            if (pedestrian.Track is not { } track || at - pedestrian.LastSeen > OcclusionGrace ||
                pedestrian.Frames[index] < _settings.MinConflictFrames || pedestrian.Where[index] is not { } where)
            {
                continue;
            }

            var (x, y) = track.Box.BottomCenter;
            if (SceneModel.PastStopLine(lane, new Point2(x, y)) < vehicleRear)
            {
                continue; // behind the vehicle: it has already passed this pedestrian
            }

            reasons.Add(new PedestrianReason(id, track.Box, where, Math.Round(LanesFrom(lane, pedestrian.Lateral), 2), Math.Round(pedestrian.Speed, 2), pedestrian.Frames[index]) { StartedOnSignal = pedestrian.StartedOn });
        }

        return reasons;
    }

    private void Complete(VehicleState vehicle, YieldMoment leaving, List<ViolationCandidate> done)
    {
        var candidate = new ViolationCandidate(
            _cameraId,
            vehicle.TrackId,
            vehicle.Lane!.Id,
            vehicle.Lane.Approach,
            vehicle.BeforeLine!,
            vehicle.OnLine!,
            leaving,
            Math.Round(vehicle.Speed, 2),
            vehicle.StoppedBeforeLine,
            vehicle.Violation!)
        {
            VehicleKind = vehicle.Kind,
            Movement = vehicle.Movement?.Named,
        };
        vehicle.Violation = null;
        foreach (var earlier in _recent)
        {
            if (earlier.Lane == candidate.Lane && earlier.VehicleTrackId != candidate.VehicleTrackId &&
                (candidate.OnLine.At - earlier.OnLine.At).Duration() <= TimeSpan.FromSeconds(_settings.DedupSeconds) &&
                earlier.OnLine.VehicleBox.IoU(candidate.OnLine.VehicleBox) > 0.3f)
            {
                Deduplicated++;
                return;
            }
        }

        _recent.Add(candidate);
        done.Add(candidate);
    }

    /// <summary>
    /// The vehicle's ground footprint (the lower half of its box, sampled): the share past the stop line, the share on
    /// the crosswalk, and how far past the line its rearmost sample is.
    /// </summary>
    private (double PastLine, double OnCrosswalk, double Rear) Footprints(SceneLane lane, Box box)
    {
        int past = 0, on = 0;
        var rear = double.PositiveInfinity;
        foreach (var sample in Footprint)
        {
            var p = FootprintPoint(box, sample);
            var distance = SceneModel.PastStopLine(lane, p);
            rear = Math.Min(rear, distance);
            past += distance > 0 ? 1 : 0;
            on += _scene.OnCrosswalk(p) ? 1 : 0;
        }

        return ((double)past / Footprint.Length, (double)on / Footprint.Length, rear);
    }

    /// <summary>The share of the vehicle's footprint on the crosswalk.</summary>
    private double ShareOnCrosswalk(Box box)
    {
        var on = 0;
        foreach (var sample in Footprint)
        {
            on += _scene.OnCrosswalk(FootprintPoint(box, sample)) ? 1 : 0;
        }

        return (double)on / Footprint.Length;
    }

    /// <summary>The movement's lane that holds most of the footprint on the crosswalk (the first written on a tie); null when none holds any.</summary>
    private SceneLane? LaneEntered(SceneMovement movement, Box box)
    {
        SceneLane? best = null;
        var most = 0;
        foreach (var lane in movement.Lanes)
        {
            var count = 0;
            foreach (var sample in Footprint)
            {
                var p = FootprintPoint(box, sample);
                count += _scene.OnCrosswalk(p) && Geometry.Contains(lane.Polygon, p) ? 1 : 0;
            }

            if (count > most)
            {
                (best, most) = (lane, count);
            }
        }

        return best;
    }

    private static Point2 FootprintPoint(Box box, (double X, double Y) sample) =>
        new(box.X1 + (sample.X * box.Width), box.Y1 + (box.Height * (0.5 + (sample.Y * 0.5))));

    private int IndexOf(SceneLane lane)
    {
        for (var i = 0; i < _scene.Lanes.Count; i++)
        {
            if (_scene.Lanes[i] == lane)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"lane {lane.Id} is not in the scene");
    }

    private static (double X, double Y)[] MakeFootprint()
    {
        var points = new List<(double, double)>();
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 5; column++)
            {
                points.Add((0.1 + (0.2 * column), row / 2.0));
            }
        }

        return [.. points];
    }

    private enum Phase
    {
        /// <summary>Before the stop line (a turning vehicle: before the crosswalk).</summary>
        Approach,

        /// <summary>Past the line, on the crosswalk: judged until it leaves.</summary>
        Passing,

        /// <summary>Has left the crosswalk.</summary>
        Done,

        /// <summary>Not judged: past the line when first seen, or driving the wrong way; a turning movement's entry region can still take it up.</summary>
        Unjudged,
    }

    private sealed class PedestrianState(int lanes)
    {
        public TrackedObject? Track { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        public double Speed { get; set; }

        public double Lateral { get; set; }

        public int Direction { get; set; }

        public DateTimeOffset? TurnedBackAt { get; set; }

        /// <summary>Whether the pedestrian has been in the motor lanes on the crosswalk yet.</summary>
        public bool Stepped { get; set; }

        /// <summary>The pedestrian signal when it first was (null: no signal at that frame).</summary>
        public Domain.Signals.SignalState? StartedOn { get; set; }

        /// <summary>Per lane of the scene: consecutive frames in that lane's conflict zone.</summary>
        public int[] Frames { get; } = new int[lanes];

        /// <summary>Per lane of the scene: where the pedestrian stood in that lane's conflict zone (null: outside).</summary>
        public ConflictKind?[] Where { get; } = new ConflictKind?[lanes];
    }

    private sealed class VehicleState
    {
        public int TrackId { get; set; }

        public SceneLane? Lane { get; set; }

        /// <summary>The turning movement whose entry region the vehicle came from; null for one judged at its stop line.</summary>
        public SceneMovement? Movement { get; set; }

        public Phase Phase { get; set; }

        public YieldMoment? BeforeLine { get; set; }

        public YieldMoment? OnLine { get; set; }

        public YieldMoment Last { get; set; } = null!;

        public DateTimeOffset? SlowSince { get; set; }

        public bool StoppedBeforeLine { get; set; }

        public double Speed { get; set; }

        public List<PedestrianReason>? Violation { get; set; }

        /// <summary>The track's detected kind, as last reported.</summary>
        public Domain.Officials.VehicleKind? Kind { get; set; }
    }
}
