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

    /// <summary>
    /// A pedestrian first seen already in the motor lanes within this time of a red pedestrian signal may have stepped
    /// in on red: about the time a walker needs to cross two lanes.
    /// </summary>
    private static readonly TimeSpan RedLookback = TimeSpan.FromSeconds(5);

    /// <summary>A vehicle's box jumped ahead for this long is where the vehicle is (<see cref="Jumped"/>).</summary>
    private static readonly TimeSpan JumpLimit = TimeSpan.FromSeconds(1);

    /// <summary>Candidates of one lane this close on the line, counting a pedestrian in common, are one vehicle (<see cref="SameConflict"/>).</summary>
    private const double SameConflictSeconds = 2;

    /// <summary>A vehicle first seen past its line is judged once it has moved on along its lane this far, in its own box heights.</summary>
    private const double LateStartHeights = 0.3;

    /// <summary>Faster than this (box heights a second) a box moved by a jump (an id switch, a merged box), not by driving.</summary>
    private const double DrivingHeights = 4;

    /// <summary>The share of a vehicle's box inside a larger one that makes it a part of that vehicle (<see cref="PartOf"/>).</summary>
    private const float PartShare = 0.8f;

    /// <summary>
    /// A box whose width changed by more than this share of the wider since the last box looked at shows another part of
    /// the vehicle (half of a car behind a group boxed alone, then the whole car): its bottom centre's step is no motion.
    /// Not a box cut by the picture's edge, or one after it: a vehicle driving into the picture grows as it comes in.
    /// </summary>
    private const float ResizeShare = 0.3f;

    /// <summary>A pedestrian counted this shortly before they are seen running is not counted after all (<see cref="Uncount"/>).</summary>
    private static readonly TimeSpan RunLookback = TimeSpan.FromSeconds(1);

    /// <summary>A vehicle box whose bottom moved by more than this share of its height may be stretched (<see cref="Jumped"/>).</summary>
    private const float StretchShare = 0.3f;

    /// <summary>Stretched: the top moved less than this share of the bottom's move (<see cref="Jumped"/>).</summary>
    private const float TopShare = 0.25f;

    /// <summary>
    /// Only a vehicle slower than this (box heights a second) at its last plausible box is checked for a stretched box
    /// (<see cref="Jumped"/>): at 5 frames a second it moves under a fifth of its height a frame, so a bottom moved by
    /// <see cref="StretchShare"/> is not its own; a faster car's box moves that far itself, and the detector's noise can
    /// hold its top.
    /// </summary>
    private const double StretchSpeed = 1.0;

    /// <summary>A vehicle lost this recently whose last box another track now holds may have been taken (<see cref="TakenFrom"/>).</summary>
    private static readonly TimeSpan TakenSeconds = TimeSpan.FromSeconds(1);

    /// <summary>The overlap with a lost vehicle's last box that makes a box that vehicle's (<see cref="TakenFrom"/>).</summary>
    private const float TakenIoU = 0.5f;

    /// <summary>A vehicle lost this recently where another is first seen past its line is that one found again (<see cref="Continues"/>).</summary>
    private const double FoundAgainSeconds = 3;

    /// <summary>
    /// The share of the smaller of the lost vehicle's last box and the new one inside the other that makes them one
    /// vehicle (<see cref="Continues"/>): a share, not IoU, because a track is often lost on an odd box (half the car).
    /// </summary>
    private const float FoundAgainShare = 0.5f;

    /// <summary>A pedestrian lost this recently where a new pedestrian track starts is that one (<see cref="SplitFrom"/>).</summary>
    private static readonly TimeSpan PedestrianSplitSeconds = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far back a vehicle's boxes are kept to recognise a split (<see cref="Continues"/>): the detector boxes one car
    /// as two halves for a few frames, the vehicle's track keeps one half and the other starts a track of its own where
    /// the whole car was a moment before.
    /// </summary>
    private static readonly TimeSpan SplitWindow = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// A vehicle first seen past its line that drives on within this time was driving when first seen: the pedestrians
    /// in its conflict zone then count (<see cref="VehicleState.SeenConflicts"/>).
    /// </summary>
    private static readonly TimeSpan LateConflictWindow = TimeSpan.FromSeconds(2);

    private static readonly (double X, double Y)[] Footprint = MakeFootprint();

    private readonly string _cameraId;
    private readonly SceneModel _scene;
    private readonly YieldRuleSettings _settings;
    private readonly Dictionary<int, PedestrianState> _pedestrians = [];
    private readonly Dictionary<int, VehicleState> _vehicles = [];
    private readonly List<ViolationCandidate> _recent = [];
    private readonly List<ViolationCandidate> _held = [];
    private readonly List<(int TrackId, SceneLane Lane, YieldMoment Last)> _departed = [];
    private float _aspect = 1f;
    private DateTimeOffset? _lastRed;
    private Point2 _pixelAxis;
    private IReadOnlyList<TrackedObject> _current = [];

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

    /// <summary>Vehicles retired after passing their line, kept <see cref="FoundAgainSeconds"/> to know them found again (for the memory test).</summary>
    internal int Departed => _departed.Count;

    /// <summary>Candidates dropped as repeats of a recent one (tracker id switches).</summary>
    public int Deduplicated { get; private set; }

    /// <summary>
    /// Called with every vehicle's passage as it ends (or as the rule gives up on it), to explain decisions; null (no
    /// work done for it) unless someone listens.
    /// </summary>
    public Action<YieldPassage>? OnPassage { get; set; }

    /// <summary>Takes one frame of tracks; returns the candidates completed in it.</summary>
    public IReadOnlyList<ViolationCandidate> Update(TrackFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var done = new List<ViolationCandidate>();
        // Speeds are in box heights a second measured in pixels: a normalised x is Aspect times a normalised y, and
        // the axis across the road is taken in pixels too (a 16:9 picture otherwise under-measures sideways motion
        // by almost half, so a pedestrian running across reads as walking).
        _current = frame.Tracks;
        _aspect = frame.Aspect > 0 ? frame.Aspect : 1f;
        _pixelAxis = new Point2(_scene.Axis.X, _scene.Axis.Y * _aspect).Normalized();
        if (frame.Signal?.State == Domain.Signals.SignalState.Red)
        {
            _lastRed = frame.CapturedAt;
        }
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
            if (_vehicles.Remove(id, out var vehicle) && vehicle.Phase is Phase.Passing or Phase.Done && vehicle.Lane is { } lane)
            {
                _departed.RemoveAll(d => frame.CapturedAt - d.Last.At > TimeSpan.FromSeconds(FoundAgainSeconds));
                _departed.Add((id, lane, vehicle.Last));
                if (vehicle.Phase == Phase.Passing)
                {
                    End(vehicle, vehicle.Last, done);
                }
            }
        }

        Release(frame.CapturedAt, done);
        _recent.RemoveAll(c => frame.CapturedAt - c.OnLine.At > TimeSpan.FromSeconds(_settings.DedupSeconds));
        return done;
    }

    /// <summary>End of input: completes the candidates of vehicles still on the crosswalk.</summary>
    public IReadOnlyList<ViolationCandidate> Flush()
    {
        var done = new List<ViolationCandidate>();
        foreach (var vehicle in _vehicles.Values)
        {
            if (vehicle.Phase == Phase.Passing)
            {
                End(vehicle, vehicle.Last, done);
            }
        }

        Release(DateTimeOffset.MaxValue, done);
        _vehicles.Clear();
        _pedestrians.Clear();
        _departed.Clear();
        return done;
    }

    private void UpdatePedestrian(TrackedObject track, DateTimeOffset at, Domain.Signals.SignalReading? signal)
    {
        var first = !_pedestrians.TryGetValue(track.TrackId, out var state);
        if (state is null)
        {
            state = new PedestrianState(_scene.Lanes.Count);
            _pedestrians[track.TrackId] = state;
        }

        var (x, y) = state.Footing.Estimate(track.Box, at, _aspect).BottomCenter;
        var p = new Point2(x, y);
        var height = Math.Max(track.Box.Height, 1e-3f);
        if (first && SplitFrom(p, height, at) is { } earlier)
        {
            // The same pedestrian under a new id (lost for a moment in low contrast or behind someone, often just as
            // they turn): what they were doing goes on, so walking back the other way reads as turning back.
            (state.Direction, state.FirstHeading, state.TurnedBackAt, state.Stepped, state.StartedOn) =
                (earlier.Direction, earlier.FirstHeading, earlier.TurnedBackAt, earlier.Stepped, earlier.StartedOn);
            earlier.Track = null; // no longer counted (nor listed) where they were lost: they are here now
        }

        state.Foot = p;
        var velocity = Pixels(track);
        var speed = velocity.Length / height;
        var lateral = _scene.Lateral(p);
        var lateralSpeed = velocity.Dot(_pixelAxis) / height;

        // Turning back: the walking direction across the road flipped and the new one held for turnBackHoldSeconds.
        // A flip not held yet is a possible turn: the pedestrian is not counted meanwhile, but keeps the frames
        // already counted, because one odd box (two people merged for a frame, a partial occlusion) swings the
        // filter's velocity for a frame or two without anyone turning.
        var hold = TimeSpan.FromSeconds(_settings.TurnBackHoldSeconds);
        var heading = Math.Abs(lateralSpeed) >= _settings.StandingSpeed ? Math.Sign(lateralSpeed) : 0;
        if (state.FirstHeading == 0)
        {
            state.FirstHeading = heading;
        }

        if (heading == 0)
        {
            if (state.Turning != 0 && at - state.TurningLast >= hold)
            {
                state.Turning = 0; // stood still instead of walking back
            }
        }
        else if (heading == state.Direction)
        {
            state.Turning = 0;
        }
        else
        {
            if (heading != state.Turning)
            {
                state.Turning = heading;
                state.TurningSince = at;
            }

            state.TurningLast = at;
            if (at - state.TurningSince >= hold)
            {
                if (state.Direction != 0)
                {
                    state.TurnedBackAt = state.TurningSince;
                }

                state.Direction = heading;
                state.Turning = 0;
            }
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

            // First seen already in the motor lanes (the track was lost and found again, or hidden until now): when
            // they stepped in is not known, so a red seen within the last RedLookback counts as where they started.
            if (first && signal is not null && _lastRed is { } red && at - red <= RedLookback)
            {
                state.StartedOn = Domain.Signals.SignalState.Red;
            }
        }

        // A possible turn also when the first way seen did not hold long enough to be their direction (the track
        // started as they stepped in, or lost them meanwhile): walking back the other way.
        if (state.Turning != 0 && (state.Direction != 0 || state.Turning == -state.FirstHeading) && _settings.TurnBackSeconds > 0)
        {
            state.Verdict = PedestrianVerdict.Turning; // a possible turn: neither counted nor forgotten until it holds or passes
            return;
        }

        state.Verdict = !_scene.OnCrosswalk(p) ? PedestrianVerdict.OffTheCrosswalk
            : _scene.OnRefuge(p) ? PedestrianVerdict.OnTheRefuge
            : _scene.OnSidewalk(p) ? PedestrianVerdict.OnTheSidewalk
            : lane is not { Kind: LaneKind.Motor } ? PedestrianVerdict.OutsideTheMotorLanes
            : state.StartedOn == Domain.Signals.SignalState.Red ? PedestrianVerdict.StartedOnRed
            : _settings.RunningSpeed > 0 && speed > _settings.RunningSpeed ? PedestrianVerdict.Running
            : _settings.TurnBackSeconds > 0 && at - state.TurnedBackAt <= TimeSpan.FromSeconds(_settings.TurnBackSeconds) ? PedestrianVerdict.TurnedBack
            : !_settings.CountStandingPedestrians && speed < _settings.StandingSpeed ? PedestrianVerdict.Standing
            : PedestrianVerdict.Counted;
        if (state.Verdict == PedestrianVerdict.Running)
        {
            Uncount(track.TrackId, at);
        }

        var eligible = state.Verdict == PedestrianVerdict.Counted;
        for (var i = 0; i < _scene.Lanes.Count; i++)
        {
            var where = eligible ? ConflictWith(_scene.Lanes[i], lateral, lateralSpeed, lane!) : null;
            state.Where[i] = where;
            state.Frames[i] = where is null ? 0 : state.Frames[i] + 1;
            state.InZoneSince[i] = where is null ? null : state.InZoneSince[i] ?? at;
        }
    }

    /// <summary>
    /// A pedestrian seen running: not counted in the violations of vehicles still on the crosswalk that counted them
    /// within <see cref="RunLookback"/> (a new track's speed starts from nothing, so a runner reads as walking for its
    /// first frames); a violation left with too few pedestrians is dropped, and the vehicle is judged on from here.
    /// </summary>
    private void Uncount(int pedestrian, DateTimeOffset at)
    {
        foreach (var vehicle in _vehicles.Values)
        {
            if (vehicle.Violation is { } reasons && at - vehicle.OnLine!.At <= RunLookback &&
                reasons.RemoveAll(r => r.TrackId == pedestrian) > 0 && reasons.Count < _settings.MinPedestrians)
            {
                (vehicle.Violation, vehicle.OnLine) = (null, null);
            }
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

    /// <summary>The track's velocity with x in units of the picture's height, as its y is (pixels, scaled).</summary>
    private Point2 Pixels(TrackedObject track) => new(track.VelocityX * _aspect, track.VelocityY);

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
        if (state.Last is { } latest)
        {
            state.Trail.Enqueue(latest);
            while (state.Trail.TryPeek(out var oldest) && moment.At - oldest.At > SplitWindow)
            {
                state.Trail.Dequeue();
            }
        }

        state.Previous = state.Last;
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
        UpdateStopped(state, speed, frame.CapturedAt);
        if (state.Phase == Phase.Approach && Jumped(state, box, frame.CapturedAt, speed))
        {
            return; // not this vehicle's motion: a box merged with the pedestrians in front of it, or another's
        }

        var (pastLine, onCrosswalk, rear) = Footprints(lane, box);
        switch (state.Phase)
        {
            case Phase.Approach when pastLine < _settings.BodyPastLine:
                state.BeforeLine = moment;
                return;
            case Phase.Approach when state.BeforeLine is null || state.SeenPastLine is not null:
                // Already past the line when first seen: hidden behind a group or a bus, or too dark or far to detect
                // before. Police accept entering the crosswalk as the trigger as well (DOMAIN.md), so it is judged from
                // there once it has moved on along its lane by LateStartHeights of its own height, whole in the
                // picture: a vehicle waiting (whose track was lost and found again) does not move, an id switch jumps
                // and a vehicle driving the wrong way goes back. The first photo is its first moment seen.
                // Boxed anew as another part of itself (half of the car behind a group, then all of it) or seen first:
                // it may be a vehicle already judged, found again or boxed in part on its own.
                var resized = state.LateBox is { Whole: true } last && box.Whole && Math.Abs(box.Width - last.Width) > ResizeShare * Math.Max(box.Width, last.Width);
                state.LateBox = box;
                if ((state.SeenPastLine is null || resized) && Continues(lane, box, frame.CapturedAt) is { } earlier)
                {
                    state.Phase = Phase.Unjudged; // the same vehicle found again: its passage is the earlier track's
                    OnPassage?.Invoke(new YieldPassage(track.TrackId, lane.Id, frame.CapturedAt, box, Math.Round(speed, 2), PassageOutcome.SameVehicle, []) { Other = earlier });
                    return;
                }

                if (state.SeenPastLine is not { } first)
                {
                    state.SeenPastLine = moment;
                    var seen = ConflictsFor(lane, rear, frame.CapturedAt);
                    state.SeenConflicts = seen.Count >= _settings.MinPedestrians ? seen : null;
                    return;
                }

                if (resized)
                {
                    state.MovedFrom = box; // its move on is measured from this box: the step of the centre is no motion
                    return;
                }

                var moved = Along(lane, state.MovedFrom ?? first.VehicleBox, box);
                if (box.Whole && moved >= LateStartHeights && moved <= (DrivingHeights * (moment.At - first.At).TotalSeconds) + LateStartHeights)
                {
                    state.BeforeLine = first;
                    // Hidden until it was on the crosswalk, among the pedestrians it then hides in turn: by the time it
                    // has driven on far enough to be judged, their tracks may be gone. Driving on soon after, it was
                    // driving when first seen, so the pedestrians in its zone then count, with that moment on the line.
                    if (state.SeenConflicts is { } conflicts && moment.At - first.At <= LateConflictWindow)
                    {
                        state.Violation = conflicts;
                        state.OnLine = moment;
                        state.Speed = speed;
                    }

                    goto case Phase.Approach;
                }

                if (moved <= -LateStartHeights || (!box.Whole && onCrosswalk == 1))
                {
                    state.Phase = Phase.Unjudged;
                    OnPassage?.Invoke(new YieldPassage(track.TrackId, lane.Id, frame.CapturedAt, box, Math.Round(speed, 2), PassageOutcome.FirstSeenPastTheLine, []));
                }

                return;
            case Phase.Approach:
                state.Phase = Phase.Passing;
                if (OnPassage is not null)
                {
                    state.Crossing = new YieldPassage(track.TrackId, lane.Id, frame.CapturedAt, box, Math.Round(speed, 2), PassageOutcome.Cleared, Seen(lane, rear, frame.CapturedAt));
                }

                break;
            case Phase.Passing when pastLine >= 0.999 && onCrosswalk == 0:
                state.Phase = Phase.Done;
                End(state, moment, done);
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

            // A box cut by the picture's edge (a turn comes in from the side) grows and shrinks there, so its centre's
            // motion is not the vehicle's: the direction is checked only on a whole box.
            if (state.BeforeLine is null || LaneEntered(movement, box) is not { } entered || (box.Whole && AgainstTraffic(entered, track)))
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
        if (state.Violation is null && state.Took is null && speed >= _settings.StoppedSpeed)
        {
            var reasons = ConflictsFor(lane, rear, moment.At);
            if (reasons.Count >= _settings.MinPedestrians && (state.Took = TakenFrom(lane, moment)) is null)
            {
                state.Violation = reasons;
                state.OnLine = moment;
                state.Speed = speed;
            }
        }
    }

    /// <summary>
    /// A vehicle of the same approach, on or past its line, lost within <see cref="TakenSeconds"/> before this frame
    /// with its last box where this vehicle's box now is (IoU at least <see cref="TakenIoU"/>): this track has taken
    /// that vehicle's box (a car passing in front of one waiting beside it is boxed with it and the waiting car's
    /// track follows the box over its line, and often on with it), so this track makes no candidate in this passage:
    /// it may be following the other vehicle from now on. Null when none.
    /// </summary>
    private int? TakenFrom(SceneLane lane, YieldMoment moment)
    {
        foreach (var (id, otherLane, before, tracked) in Passed(moment.At))
        {
            if (!tracked && otherLane.Approach == lane.Approach && moment.At - before.At <= TakenSeconds &&
                before.VehicleBox.IoU(moment.VehicleBox) >= TakenIoU)
            {
                return id;
            }
        }

        return null;
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

    /// <summary>
    /// Whether a vehicle box lies almost whole (<see cref="PartShare"/>) inside a box at least twice its size: at night
    /// the glare between a car's headlights is boxed as a vehicle of its own, and such a part can reach the line first.
    /// </summary>
    private static bool PartOf(Box part, Box whole) =>
        whole.Area >= 2 * part.Area && part.Intersection(whole) >= PartShare * part.Area;

    /// <summary>
    /// The track of a vehicle that had passed its line and is still tracked, in whose box of the last
    /// <see cref="SplitWindow"/> this box lies (<see cref="FoundAgainShare"/> of it, in any lane: the detector split that
    /// car's box in two, its track kept one half and this is the other, whose bottom centre may be in the lane beside);
    /// or of the same lane that, the frame before, was where this box now is (<see cref="FoundAgainShare"/> of the
    /// smaller), or was lost there (or, having made a candidate, where it could have driven on to since,
    /// <see cref="DroveOn"/>) within <see cref="FoundAgainSeconds"/>: a vehicle first seen past its line there is that
    /// one found again (the tracker lost it behind a pedestrian or in the dark) or a part of it boxed on its own, whose
    /// passage is already judged (or being judged) under the earlier id; null when none. A whole car seen around a part
    /// of it tracked before is not that part's: the part is not where most of the car's box is.
    /// </summary>
    private int? Continues(SceneLane lane, Box box, DateTimeOffset at)
    {
        foreach (var (id, otherLane, before, tracked) in Passed(at))
        {
            var seconds = (at - before.At).TotalSeconds;
            if ((tracked && _vehicles[id].Trail.Any(m => at - m.At <= SplitWindow && m.VehicleBox.Intersection(box) >= FoundAgainShare * box.Area)) ||
                (otherLane == lane && seconds <= FoundAgainSeconds &&
                 (OneVehicle(before.VehicleBox, box) || (!tracked && Accused(id) && DroveOn(lane, before.VehicleBox, box, seconds)))))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>
    /// A pedestrian not in this frame (lost, not merely not updated yet), lost within <see cref="PedestrianSplitSeconds"/>,
    /// whose feet were within one box height of where a new pedestrian track starts (the nearest): the same person found
    /// again; null when none.
    /// </summary>
    private PedestrianState? SplitFrom(Point2 foot, double height, DateTimeOffset at)
    {
        PedestrianState? nearest = null;
        var best = height;
        foreach (var (id, other) in _pedestrians)
        {
            if (other.LastSeen < at && at - other.LastSeen <= PedestrianSplitSeconds && !_current.Any(t => t.TrackId == id))
            {
                var distance = new Point2((other.Foot.X - foot.X) * _aspect, other.Foot.Y - foot.Y).Length;
                if (distance <= best)
                {
                    (nearest, best) = (other, distance);
                }
            }
        }

        return nearest;
    }

    /// <summary>Whether a vehicle's earlier box and a new one overlap by <see cref="FoundAgainShare"/> of the smaller: one vehicle.</summary>
    private static bool OneVehicle(Box before, Box box) => before.Intersection(box) >= FoundAgainShare * Math.Min(before.Area, box.Area);

    /// <summary>
    /// Whether the vehicle made a candidate (one completed lately, or its violation found and the candidate to come). A
    /// vehicle lost before anyone stepped in front of it and found again ahead is judged anew instead: a second track of
    /// it can accuse it only once (<see cref="Continues"/>), and the passage cut short by the loss made no candidate.
    /// </summary>
    private bool Accused(int id) =>
        _recent.Any(c => c.VehicleTrackId == id) || (_vehicles.TryGetValue(id, out var vehicle) && vehicle.Violation is not null);

    /// <summary>
    /// Whether a vehicle lost at <paramref name="from"/> could have driven on to <paramref name="to"/> along its lane in
    /// <paramref name="seconds"/>: ahead of where it was lost (give or take <see cref="LateStartHeights"/>), no farther
    /// than a car drives (<see cref="DrivingHeights"/>). A car lost behind a group for a second or more is found again
    /// well ahead of its last box, no longer overlapping it; taken for another vehicle, it would be accused twice.
    /// </summary>
    private bool DroveOn(SceneLane lane, Box from, Box to, double seconds)
    {
        var moved = Along(lane, from, to);
        return moved >= -LateStartHeights && moved <= (DrivingHeights * seconds) + LateStartHeights;
    }

    /// <summary>
    /// The vehicles that had passed their line, each with where it was before this frame (its state may have been
    /// updated with this frame already) and whether it is tracked in this frame: those still held (tracked, or lost)
    /// and those retired within <see cref="FoundAgainSeconds"/> (<see cref="Continues"/>, <see cref="TakenFrom"/>).
    /// </summary>
    private IEnumerable<(int Id, SceneLane Lane, YieldMoment Before, bool Tracked)> Passed(DateTimeOffset at)
    {
        foreach (var (id, other) in _vehicles)
        {
            if (other.Lane is { } lane && other.Phase is Phase.Passing or Phase.Done && (other.Last.At < at ? other.Last : other.Previous) is { } before)
            {
                yield return (id, lane, before, _current.Any(t => t.TrackId == id));
            }
        }

        foreach (var (id, lane, last) in _departed)
        {
            yield return (id, lane, last, false);
        }
    }

    /// <summary>
    /// Whether the box's bottom jumped since the vehicle's last plausible box (in pixels, in that box's heights), faster than
    /// <see cref="DrivingHeights"/> heights a second can take a car (a group walking in front of it boxed with it
    /// reaches over its line at once); such a box does not move the vehicle on. A box that stays there is taken as
    /// where the vehicle is once a car could have got there from the last plausible box, or after <see cref="JumpLimit"/>.
    /// Likewise the box of a slow or waiting vehicle (<see cref="StretchSpeed"/>) stretched from below: its bottom moved
    /// on by more than <see cref="StretchShare"/> of the height while its top stayed (moved less than
    /// <see cref="TopShare"/> as far): pedestrians walking in front of a waiting car boxed with it. A car driving on
    /// moves its top too, about half as far as its bottom, seen from above the road.
    /// </summary>
    private bool Jumped(VehicleState state, Box box, DateTimeOffset at, double speed)
    {
        if (state.PlausibleAt is { } when && at - when < JumpLimit)
        {
            var seconds = (at - when).TotalSeconds;
            var plausible = state.Plausible;
            var step = PixelStep(plausible, box).Length / Math.Max(plausible.Height, 1e-3f);
            var bottom = Math.Abs(box.Y2 - plausible.Y2);
            var stretched = state.PlausibleSpeed < StretchSpeed && box.Whole && bottom > StretchShare * plausible.Height &&
                Math.Abs(box.Y1 - plausible.Y1) < TopShare * bottom;
            if (step > (DrivingHeights * seconds) + LateStartHeights || stretched)
            {
                return true;
            }
        }

        (state.Plausible, state.PlausibleAt, state.PlausibleSpeed) = (box, at, speed);
        return false;
    }

    /// <summary>How far the box's bottom centre moved from <paramref name="from"/> along the lane's direction, in pixels, in box heights.</summary>
    private double Along(SceneLane lane, Box from, Box to) =>
        PixelStep(from, to).Dot(PixelDirection(lane)) / Math.Max(Math.Max(from.Height, to.Height), 1e-3f);

    /// <summary>From one box's bottom centre to another's, with x in units of the picture's height, as y is (pixels, scaled).</summary>
    private Point2 PixelStep(Box from, Box to)
    {
        var (x0, y0) = from.BottomCenter;
        var (x1, y1) = to.BottomCenter;
        return new Point2((x1 - x0) * _aspect, y1 - y0);
    }

    /// <summary>The lane's direction of travel in pixels (scaled as <see cref="PixelStep"/>), of length 1.</summary>
    private Point2 PixelDirection(SceneLane lane) => new Point2(lane.Direction.X * _aspect, lane.Direction.Y).Normalized();

    /// <summary>Speed in the vehicle's own box heights per second.</summary>
    private double SpeedOf(TrackedObject track) =>
        Pixels(track).Length / Math.Max(track.Box.Height, 1e-3f);

    private bool AgainstTraffic(SceneLane lane, TrackedObject track) =>
        Pixels(track).Dot(PixelDirection(lane)) / Math.Max(track.Box.Height, 1e-3f) < -Math.Max(_settings.StoppedSpeed, 0.05);

    /// <summary>Pedestrians in the lane's conflict zone long enough, and not behind the vehicle.</summary>
    private List<PedestrianReason> ConflictsFor(SceneLane lane, double vehicleRear, DateTimeOffset at)
    {
        var index = IndexOf(lane);
        var reasons = new List<PedestrianReason>();
        foreach (var (id, pedestrian) in _pedestrians)
        {
            if (VerdictFor(pedestrian, lane, index, vehicleRear, at) == PedestrianVerdict.Counted)
            {
                reasons.Add(new PedestrianReason(id, pedestrian.Track!.Box, pedestrian.Where[index]!.Value, Math.Round(LanesFrom(lane, pedestrian.Lateral), 2), Math.Round(pedestrian.Speed, 2), pedestrian.Frames[index]) { StartedOnSignal = pedestrian.StartedOn });
            }
        }

        return reasons;
    }

    /// <summary>Whether the pedestrian counts against the lane's vehicle now and, if not, why not.</summary>
    private PedestrianVerdict VerdictFor(PedestrianState pedestrian, SceneLane lane, int index, double vehicleRear, DateTimeOffset at)
    {
        if (pedestrian.Track is not { } track)
        {
            return PedestrianVerdict.OffTheCrosswalk;
        }

        if (at - pedestrian.LastSeen > OcclusionGrace)
        {
            return PedestrianVerdict.HiddenTooLong;
        }

        if (pedestrian.Verdict != PedestrianVerdict.Counted)
        {
            return pedestrian.Verdict;
        }

        if (pedestrian.Where[index] is null)
        {
            return PedestrianVerdict.OutsideTheZone;
        }

        if ((pedestrian.LastSeen - pedestrian.InZoneSince[index]!.Value).TotalSeconds < _settings.MinConflictSeconds)
        {
            return PedestrianVerdict.TooBrief;
        }

        return SceneModel.PastStopLine(lane, pedestrian.Foot) < vehicleRear
            ? PedestrianVerdict.BehindTheVehicle // it has already passed this pedestrian
            : PedestrianVerdict.Counted;
    }

    /// <summary>Every pedestrian on the crosswalk with the verdict for the lane's vehicle (for <see cref="OnPassage"/>).</summary>
    private List<PedestrianSeen> Seen(SceneLane lane, double vehicleRear, DateTimeOffset at)
    {
        var index = IndexOf(lane);
        var seen = new List<PedestrianSeen>();
        foreach (var (id, pedestrian) in _pedestrians)
        {
            var verdict = VerdictFor(pedestrian, lane, index, vehicleRear, at);
            if (verdict != PedestrianVerdict.OffTheCrosswalk)
            {
                seen.Add(new PedestrianSeen(id, pedestrian.Track!.Box, verdict, pedestrian.Frames[index]));
            }
        }

        return seen;
    }

    /// <summary>The end of a passage: its candidate, if it made one, and its report to <see cref="OnPassage"/>.</summary>
    private void End(VehicleState vehicle, YieldMoment leaving, List<ViolationCandidate> done)
    {
        if (vehicle.Crossing is { } crossing)
        {
            OnPassage?.Invoke(vehicle.Took is { } other ? crossing with { Outcome = PassageOutcome.TookAnothersBox, Other = other }
                : vehicle.Violation is null ? crossing : crossing with { Outcome = PassageOutcome.Candidate });
            vehicle.Crossing = null;
        }

        if (vehicle.Violation is not null)
        {
            Complete(vehicle, leaving, done);
        }
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

        // A candidate held that was a part of this vehicle boxed on its own (it reached the line first and left first).
        foreach (var part in _held.Where(h => h.VehicleTrackId != candidate.VehicleTrackId && SameConflict(h, candidate) && PartOf(h.OnLine.VehicleBox, candidate.OnLine.VehicleBox)).ToList())
        {
            _held.Remove(part);
            _recent.Remove(part);
            Deduplicated++;
        }

        // The same conflict made by a vehicle still on the crosswalk (it completes later): of the two, the whole car
        // is kept over a part of it (the headlights' glare boxed on its own, or the side of a car a group hides, which
        // may read in the lane beside), else, in one lane, the one on the line first.
        foreach (var (id, other) in _vehicles)
        {
            if (id != candidate.VehicleTrackId && other.Violation is { } reasons && SameConflict(other.OnLine!, reasons, candidate) &&
                (PartOf(candidate.OnLine.VehicleBox, other.OnLine!.VehicleBox) ||
                 (other.Lane?.Id == candidate.Lane && other.OnLine!.At < candidate.OnLine.At && !PartOf(other.OnLine.VehicleBox, candidate.OnLine.VehicleBox))))
            {
                Deduplicated++;
                return;
            }
        }

        foreach (var earlier in _recent)
        {
            if (earlier.VehicleTrackId != candidate.VehicleTrackId &&
                ((earlier.Lane == candidate.Lane &&
                  (((candidate.OnLine.At - earlier.OnLine.At).Duration() <= TimeSpan.FromSeconds(_settings.DedupSeconds) &&
                    earlier.OnLine.VehicleBox.IoU(candidate.OnLine.VehicleBox) > 0.3f) || SameConflict(earlier, candidate))) ||
                 (SameConflict(earlier, candidate) && PartOf(candidate.OnLine.VehicleBox, earlier.OnLine.VehicleBox))))
            {
                Deduplicated++;
                return;
            }
        }

        _recent.Add(candidate);
        _held.Add(candidate);
    }

    /// <summary>
    /// Hands on the candidates held <see cref="SameConflictSeconds"/> past their moment on the line (all of them at the
    /// end of input), but one that turned out a part of a vehicle whose violation was found since and which is still on
    /// the crosswalk: by then every vehicle that could be the same one making the same conflict has been judged, so a
    /// part of a car that left the crosswalk first does not accuse it a second time, from the lane beside.
    /// </summary>
    private void Release(DateTimeOffset at, List<ViolationCandidate> done)
    {
        for (var i = 0; i < _held.Count; i++)
        {
            var candidate = _held[i];
            if (at - candidate.OnLine.At <= TimeSpan.FromSeconds(SameConflictSeconds))
            {
                continue;
            }

            _held.RemoveAt(i--);
            if (_vehicles.Any(v => v.Key != candidate.VehicleTrackId && v.Value.Violation is { } reasons && SameConflict(v.Value.OnLine!, reasons, candidate) && PartOf(candidate.OnLine.VehicleBox, v.Value.OnLine!.VehicleBox)))
            {
                _recent.Remove(candidate);
                Deduplicated++;
                continue;
            }

            done.Add(candidate);
        }
    }

    /// <summary>
    /// Two candidates of one lane within <see cref="SameConflictSeconds"/> that count a pedestrian in common: one vehicle
    /// tracked twice (a bus hid its middle and each half got a track) rather than two that failed the same pedestrian
    /// one right after the other; the one on the line second is dropped (a missed second car costs less than a vehicle
    /// counted twice), also when it leaves the crosswalk first.
    /// </summary>
    private static bool SameConflict(ViolationCandidate earlier, ViolationCandidate candidate) =>
        SameConflict(earlier.OnLine, earlier.Pedestrians, candidate);

    private static bool SameConflict(YieldMoment onLine, IReadOnlyList<PedestrianReason> pedestrians, ViolationCandidate candidate) =>
        (candidate.OnLine.At - onLine.At).Duration() <= TimeSpan.FromSeconds(SameConflictSeconds) &&
        pedestrians.Any(p => candidate.Pedestrians.Any(q => q.TrackId == p.TrackId));

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

        /// <summary>Where the pedestrian stands (the bottom of <see cref="Footing"/>'s box).</summary>
        public Point2 Foot { get; set; }

        public Footing Footing { get; } = new();

        public DateTimeOffset LastSeen { get; set; }

        public double Speed { get; set; }

        public double Lateral { get; set; }

        public int Direction { get; set; }

        public DateTimeOffset? TurnedBackAt { get; set; }

        /// <summary>Whether the pedestrian has been in the motor lanes on the crosswalk yet.</summary>
        public bool Stepped { get; set; }

        /// <summary>The pedestrian signal when it first was (null: no signal at that frame).</summary>
        public Domain.Signals.SignalState? StartedOn { get; set; }

        /// <summary>The first way across the road they were seen walking (−1, 1; 0: not yet), held long enough or not.</summary>
        public int FirstHeading { get; set; }

        /// <summary>A walking direction against <see cref="Direction"/> seen since <see cref="TurningSince"/> and not held long enough yet (0: none).</summary>
        public int Turning { get; set; }

        public DateTimeOffset TurningSince { get; set; }

        /// <summary>The last frame walking the <see cref="Turning"/> way.</summary>
        public DateTimeOffset TurningLast { get; set; }

        /// <summary>Whether the pedestrian may count this frame (then where they stand decides) and, if not, why not.</summary>
        public PedestrianVerdict Verdict { get; set; }

        /// <summary>Per lane of the scene: consecutive frames in that lane's conflict zone.</summary>
        public int[] Frames { get; } = new int[lanes];

        /// <summary>Per lane of the scene: the first of those frames (null: outside the zone).</summary>
        public DateTimeOffset?[] InZoneSince { get; } = new DateTimeOffset?[lanes];

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

        /// <summary>The moment before <see cref="Last"/> (null: seen once).</summary>
        public YieldMoment? Previous { get; set; }

        /// <summary>Its moments before <see cref="Last"/> within <see cref="SplitWindow"/>, oldest first.</summary>
        public Queue<YieldMoment> Trail { get; } = new();

        public DateTimeOffset? SlowSince { get; set; }

        public bool StoppedBeforeLine { get; set; }

        /// <summary>Its last box that moved it no faster than a car can (<see cref="Jumped"/>), and when (null: none yet).</summary>
        public Box Plausible { get; set; }

        public DateTimeOffset? PlausibleAt { get; set; }

        /// <summary>Its speed at <see cref="Plausible"/>, its box heights a second.</summary>
        public double PlausibleSpeed { get; set; }

        /// <summary>First seen already past its stop line: that moment (judged once it has moved on along its lane); null otherwise.</summary>
        public YieldMoment? SeenPastLine { get; set; }

        /// <summary>The vehicle whose box this track took on the crosswalk (<see cref="TakenFrom"/>): no candidate from it in this passage.</summary>
        public int? Took { get; set; }

        /// <summary>The box its move on from <see cref="SeenPastLine"/> is measured from, when not that moment's (<see cref="ResizeShare"/>).</summary>
        public Box? MovedFrom { get; set; }

        /// <summary>Its last box looked at while first seen past its line and not judged yet (a jumped box is not).</summary>
        public Box? LateBox { get; set; }

        /// <summary>The pedestrians counted against it at <see cref="SeenPastLine"/>, when enough were (null otherwise).</summary>
        public List<PedestrianReason>? SeenConflicts { get; set; }

        public double Speed { get; set; }

        public List<PedestrianReason>? Violation { get; set; }

        /// <summary>What the rule saw as the vehicle crossed its line, kept for <see cref="OnPassage"/> (only while someone listens).</summary>
        public YieldPassage? Crossing { get; set; }

        /// <summary>The track's detected kind, as last reported.</summary>
        public Domain.Officials.VehicleKind? Kind { get; set; }
    }
}
