using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Signals;
using OpenCvSharp;

namespace CrosswalkWatch.Scenarios;

/// <summary>
/// Writes a labelled scenario suite (<c>cww scenarios generate</c>): clips made of the real footage's background with
/// real cut-outs moving along scripted paths of the generated scene, each with a ground-truth JSON beside it.
/// </summary>
public static class ScenarioGenerator
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // plates stay readable: 京A12345
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>All kinds, in the order the suite cycles through them.</summary>
    public static IReadOnlyList<ScenarioKind> AllKinds { get; } = Enum.GetValues<ScenarioKind>();

    /// <summary>All conditions, in the order a suite cycles through them.</summary>
    public static IReadOnlyList<ScenarioCondition> AllConditions { get; } = Enum.GetValues<ScenarioCondition>();

    /// <summary>The kinds whose clips carry a labelled violation.</summary>
    public static bool IsViolation(ScenarioKind kind) => kind is not (
        ScenarioKind.StopsAndWaits or ScenarioKind.FarHalfWalkingAway or ScenarioKind.SidewalkWaiting or ScenarioKind.MedianRefuge or
        ScenarioKind.TurnsBack or ScenarioKind.Runs or ScenarioKind.AwayFarHalfWalkingAway or ScenarioKind.GroupStopsAndWaits or ScenarioKind.CrossingOnRed or
        ScenarioKind.TurningWaits);

    /// <summary>The kinds that script a turning vehicle: they need a scene with a movement, and only they can use one.</summary>
    public static bool IsTurning(ScenarioKind kind) => kind is ScenarioKind.TurningPedestrianInLane or ScenarioKind.TurningWaits;

    /// <summary>
    /// Kind and condition of clip <paramref name="index"/>: kinds cycle clip by clip, and each round of kinds starts one
    /// condition further, so K × C clips meet every pair once and a short suite already mixes conditions.
    /// </summary>
    public static (ScenarioKind Kind, ScenarioCondition Condition) Pick(int index, IReadOnlyList<ScenarioKind> kinds, IReadOnlyList<ScenarioCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(conditions);
        var k = index % kinds.Count;
        return (kinds[k], conditions[(k + (index / kinds.Count)) % conditions.Count]);
    }

    /// <summary>Writes <see cref="ScenarioOptions.Count"/> clips, <c>scene.yaml</c> and the cached assets into the output folder.</summary>
    /// <exception cref="ScenarioException">Missing footage or scene, no usable cut-outs, or ffmpeg failed.</exception>
    public static async Task<IReadOnlyList<ScenarioClip>> GenerateAsync(ScenarioOptions options, IProgress<string>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Count, 1, nameof(options.Count));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Seconds, 4, nameof(options.Seconds));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Seconds, 20, nameof(options.Seconds));
        Directory.CreateDirectory(options.OutputDirectory);
        if (!File.Exists(options.ScenePath))
        {
            throw new ScenarioException($"scene {options.ScenePath} is missing (samples/scenes/rox_crosswalk_elevated_generated.yaml in the repository)");
        }

        var scene = SceneLoader.Load(options.ScenePath);
        File.Copy(options.ScenePath, Path.Combine(options.OutputDirectory, "scene.yaml"), overwrite: true);
        var paths = new ScenePaths(scene);
        using var assets = await Task.Run(() => AssetLibrary.LoadOrBuild(options, progress), ct).ConfigureAwait(false);
        using var background = new Mat();
        Cv2.Resize(assets.Background, background, new Size(options.Width, options.Height), 0, 0, InterpolationFlags.Lanczos4);

        // Turning kinds need the scene's movement; the others need the straight approaches a movement's entry region
        // would take over in this picture (samples/scenes/rox_crosswalk_elevated_turning.yaml says why).
        var turning = paths.Model.Movements.Count > 0;
        var kinds = (options.Kinds is { Count: > 0 } chosen ? chosen : AllKinds).Where(k => IsTurning(k) == turning).ToList();
        if (kinds.Count == 0)
        {
            throw new ScenarioException(turning
                ? $"scene {options.ScenePath} has turning movements: only the turning kinds ({string.Join(", ", AllKinds.Where(IsTurning).Select(Kebab))}) are made with it"
                : $"the turning kinds need a scene with a movement: --scene samples/scenes/rox_crosswalk_elevated_turning.yaml");
        }

        var conditions = options.Conditions is { Count: > 0 } given ? given : [ScenarioCondition.Day];
        var clips = new List<ScenarioClip>();
        for (var i = 0; i < options.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (kind, condition) = Pick(i, kinds, conditions);
            var seed = unchecked((options.Seed * 1000) + i);
            var name = ClipName(i, kind, condition, seed);
            var clip = await Task.Run(() => new ClipBuilder(options, paths, assets, background, kind, seed, name) { Condition = condition }.WriteAsync(ct), ct).ConfigureAwait(false);
            clips.Add(clip);
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"clip {i + 1}/{options.Count} {clip.VideoPath}: {Kebab(kind)}, {Kebab(condition)}, {clip.Violations} violation(s)"));
        }

        return clips;
    }

    /// <summary>A kind's or condition's name as the truth JSON and the command line write it (pedestrian-in-lane, low-contrast).</summary>
    public static string Kebab<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>NNN-kind-sSEED as before conditions, the condition before the seed when it is not day.</summary>
    private static string ClipName(int index, ScenarioKind kind, ScenarioCondition condition, int seed) => condition == ScenarioCondition.Day
        ? string.Create(CultureInfo.InvariantCulture, $"{index:D3}-{Kebab(kind)}-s{seed}")
        : string.Create(CultureInfo.InvariantCulture, $"{index:D3}-{Kebab(kind)}-{Kebab(condition)}-s{seed}");

    internal static JsonSerializerOptions JsonOptions => Json;
}

/// <summary>Scripts, renders and writes one clip.</summary>
internal sealed partial class ClipBuilder
{
    private readonly ScenarioOptions _options;
    private readonly ScenePaths _paths;
    private readonly AssetLibrary _assets;
    private readonly Mat _background;
    private readonly ScenarioKind _kind;
    private readonly int _seed;
    private readonly string _name;
    private readonly Random _random;
    private readonly double _k;
    private readonly List<Actor> _actors = [];
    private readonly Dictionary<Cutout, Rect> _bodies = [];
    private TruthSignal? _signal;

    public ClipBuilder(ScenarioOptions options, ScenePaths paths, AssetLibrary assets, Mat background, ScenarioKind kind, int seed, string name)
    {
        _options = options;
        _paths = paths;
        _assets = assets;
        _background = background;
        _kind = kind;
        _seed = seed;
        _name = name;
        _random = new Random(seed);
        _k = options.Seconds / 10.0;
    }

    private int Width => _options.Width;

    private int Height => _options.Height;

    /// <summary>What the camera sees the clip through (day unless set).</summary>
    public ScenarioCondition Condition { get; init; } = ScenarioCondition.Day;

    /// <summary>The clip's ground truth without rendering it: the same script, boxes and labels <see cref="WriteAsync"/> writes (plates are not drawn, so no plate widths).</summary>
    internal ClipTruth Plan()
    {
        Prepare();
        using var effects = new ConditionEffects(Condition, Width, Height, _options.Fps, Frames, _seed);
        var tracks = _actors.ToDictionary(a => a.Id, _ => new List<TruthBox>());
        for (var f = 0; f < Frames; f++)
        {
            var t = f / (double)_options.Fps;
            foreach (var (actor, anchor) in Visible(t))
            {
                if (VisibleBox(actor, anchor) is { } box)
                {
                    tracks[actor.Id].Add(new TruthBox(f, Math.Round(t, 3), effects.Shift(f, box)));
                }
            }
        }

        Release();
        return Truth(tracks, []);
    }

    public async Task<ScenarioClip> WriteAsync(CancellationToken ct)
    {
        Prepare();
        var work = Path.GetTempPath(); // plate pictures are rendered there and deleted at once
        foreach (var actor in _actors.Where(a => a.Plate is not null))
        {
            actor.PlateImage = Plates.Render(actor.Plate!, actor.GreenPlate, work);
        }

        try
        {
            var frames = Frames;
            var video = Path.Combine(_options.OutputDirectory, _name + ".mp4");
            var truthPath = Path.Combine(_options.OutputDirectory, _name + ".json");
            var tracks = _actors.ToDictionary(a => a.Id, _ => new List<TruthBox>());
            var plateWidths = new Dictionary<int, int>();
            using var effects = new ConditionEffects(Condition, Width, Height, _options.Fps, frames, _seed);
            using var lit = effects.Light(_background, 0.92 + (0.16 * _random.NextDouble()));
            var lights = new List<(Box Body, bool Towards)>();
            await using (var writer = new FfmpegWriter(video, Width, Height, _options.Fps, effects.BitrateKbps))
            {
                using var canvas = new Mat();
                for (var f = 0; f < frames; f++)
                {
                    ct.ThrowIfCancellationRequested();
                    var t = f / (double)_options.Fps;
                    lit.CopyTo(canvas);
                    lights.Clear();
                    foreach (var (actor, anchor) in Visible(t).OrderBy(v => v.Anchor.Y))
                    {
                        var box = Draw(canvas, actor, anchor, effects.ActorGain, out var plateWidth);
                        if (box is { } b)
                        {
                            tracks[actor.Id].Add(new TruthBox(f, Math.Round(t, 3), effects.Shift(f, b)));
                            if (plateWidth > 0)
                            {
                                plateWidths[actor.Id] = plateWidths.TryGetValue(actor.Id, out var w) ? Math.Min(w, plateWidth) : plateWidth;
                            }

                            if (actor.Lane is { } lane)
                            {
                                lights.Add((b, _paths.Lane(lane).Direction.Y > 0));
                            }
                        }
                    }

                    effects.Apply(canvas, f, lights);
                    DrawSignal(canvas, t); // after the conditions: a lit lamp stays bright at night and in rain
                    await writer.WriteAsync(canvas, ct).ConfigureAwait(false);
                }
            }

            var truth = Truth(tracks, plateWidths);
            await File.WriteAllTextAsync(truthPath, JsonSerializer.Serialize(truth, ScenarioGenerator.JsonOptions), ct).ConfigureAwait(false);
            return new ScenarioClip(_name, _kind, _seed, video, truthPath, truth.Violations.Count, Condition);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Frees the pictures made for this clip: plates and the occluder.</summary>
    private void Release()
    {
        foreach (var actor in _actors)
        {
            actor.PlateImage?.Dispose();
            if (actor.Role is not null)
            {
                actor.Cutout.Image.Dispose();
            }
        }
    }

    private int Frames => (int)Math.Round(_options.Seconds * _options.Fps);

    /// <summary>The script, then what the condition adds to it (the occluder); once.</summary>
    private void Prepare()
    {
        if (_actors.Count > 0)
        {
            return;
        }

        Script();
        _signal ??= Signal(new SignalPhase(SignalState.Green, 0, _options.Seconds)); // pedestrians walk on green unless the script says otherwise
        if (Condition == ScenarioCondition.Occluder)
        {
            AddOccluder();
        }
    }

    private ClipTruth Truth(Dictionary<int, List<TruthBox>> tracks, Dictionary<int, int> plateWidths) => new(
        _name,
        _kind,
        Condition,
        _seed,
        _options.Fps,
        Width,
        Height,
        Frames,
        "scene.yaml",
        _actors.Where(a => a.Plate is not null).Select(a => a.Plate!).ToList(),
        _actors.Select(a => new TruthObject(
            a.Id,
            a.Class == ObjectClass.Pedestrian ? "pedestrian" : "vehicle",
            a.Cutout.Name,
            a.Lane,
            a.Plate,
            a.Plate is null ? null : a.GreenPlate ? "green" : "blue",
            plateWidths.TryGetValue(a.Id, out var w) ? w : null,
            tracks[a.Id])
        {
            Role = a.Role,
        }).ToList(),
        Labels(tracks),
        Passages(tracks))
    {
        Signal = _signal,
    };

    // ---- scripts ----

    private void Script()
    {
        var near = NearLanes();
        var outer = near[0];
        var inner = near[^1];
        var tc = (4.4 + (_random.NextDouble() - 0.5)) * _k;
        var walk = 0.085 + (0.03 * _random.NextDouble());
        switch (_kind)
        {
            case ScenarioKind.StopsAndWaits:
            {
                var lane = Pick(outer, inner);
                // Pedestrians step off the kerb as the vehicle brakes; it goes once they are past the centre line.
                var p1 = Crossing(UAt(outer, 0.3), walk * 1.4, (1.0 + (0.4 * _random.NextDouble())) * _k);
                var p2 = _random.NextDouble() < 0.5 ? Crossing(UAt(outer, 0.0), walk * 1.4, (1.6 + (0.4 * _random.NextDouble())) * _k) : null;
                var go = ClearTime([p1, .. p2 is null ? Array.Empty<Actor>() : [p2]], lane);
                Stopping(lane, 2.8 * _k, go, violates: false);
                break;
            }

            case ScenarioKind.PedestrianInLane:
            {
                var lane = Pick(outer, inner);
                var p = Crossing(UAt(lane, 0.25 + (0.2 * _random.NextDouble())), walk * 0.8, tc);
                Passing(lane, tc, violates: true, [p.Id]);
                break;
            }

            case ScenarioKind.PedestrianInAdjacentLane:
            case ScenarioKind.ShortOcclusion:
            {
                var vehicleInOuter = _random.NextDouble() < 0.5;
                var lane = vehicleInOuter ? outer : inner;
                var other = vehicleInOuter ? inner : outer;
                Func<double, bool>? hidden = _kind == ScenarioKind.ShortOcclusion ? t => t >= tc - (1.4 * _k) && t < tc - (1.4 * _k) + 0.5 : null;
                var p = Crossing(UAt(other, 0.5), walk * 0.8, tc, hidden);
                Passing(lane, tc, violates: true, [p.Id]);
                break;
            }

            case ScenarioKind.FarHalfWalkingAway:
            {
                var lane = Pick(outer, inner);
                var center = _paths.Model.Center ?? inner.LateralMax;
                var sign = Math.Sign(inner.LateralCenter - center);
                var start = Math.Min(_paths.UAtLateral(center - (sign * 0.9 * inner.Width), 0.5), 0.78);
                Crossing(start, walk, tc - (2.0 * _k), startU: start);
                Passing(lane, tc, violates: false, []);
                break;
            }

            case ScenarioKind.SidewalkWaiting:
            {
                var lane = Pick(outer, inner);
                Waiting(0);
                if (_random.NextDouble() < 0.5)
                {
                    Waiting(1);
                }

                Passing(lane, tc, violates: false, []);
                break;
            }

            case ScenarioKind.TwoVehiclesOneFails:
            {
                var failInOuter = _random.NextDouble() < 0.6;
                var failing = failInOuter ? outer : inner;
                var yielding = failInOuter ? inner : outer;

                // The pedestrian crosses in front of the stopped vehicle while the other passes in the lane beside.
                var p = Crossing(UAt(yielding, 0.5), walk * 0.85, tc);
                Passing(failing, tc, violates: true, [p.Id]);
                Stopping(yielding, 2.6 * _k, ClearTime([p], yielding), violates: false);
                break;
            }

            case ScenarioKind.CrossingOnRed:
            {
                // The pedestrian waits at the kerb and steps into the motor lanes while the signal is red; it turns green
                // while they are crossing (at least a second after their first step, so the step is plainly on red), and
                // the vehicle passes them in its lane: not counted, they started on red.
                var lane = Pick(outer, inner);
                var kerb = UAt(outer, 0);
                var stepIn = 0.35 * tc;
                var target = UAt(lane, 0.3 + (0.2 * _random.NextDouble()));
                var pedestrian = Crossing(target, (target - kerb) / (tc - stepIn), tc, startU: Math.Min(-0.05, kerb));
                Passing(lane, tc, violates: false, []);
                var stepped = InMotorLanesFrom(pedestrian) ?? stepIn;
                var green = Math.Min(stepped + Math.Max(1.0, (tc - stepped) * 0.5), _options.Seconds - 0.5);
                _signal = Signal(new SignalPhase(SignalState.Red, 0, green), new SignalPhase(SignalState.Green, green, _options.Seconds));
                break;
            }

            case ScenarioKind.CrossedSeparationLine:
                CrossedSeparationLine(outer, inner, tc, walk);
                break;

            case ScenarioKind.WaitingAtCentreLine:
                WaitingAtCentreLine(outer, inner, tc, walk);
                break;

            case ScenarioKind.MedianRefuge:
                MedianRefuge(outer, inner, tc, walk);
                break;

            case ScenarioKind.TurnsBack:
                TurnsBack(outer, inner, tc, walk);
                break;

            case ScenarioKind.Runs:
                Runs(outer, inner, tc);
                break;

            case ScenarioKind.AwayPedestrianInLane:
                AwayPedestrianInLane(tc, walk);
                break;

            case ScenarioKind.AwayFarHalfWalkingAway:
                AwayFarHalfWalkingAway(tc, walk);
                break;

            case ScenarioKind.GroupCrossing:
                GroupCrossing(outer, inner, tc, walk);
                break;

            case ScenarioKind.GroupStopsAndWaits:
                GroupStopsAndWaits(outer, inner, walk);
                break;

            case ScenarioKind.CreepsThrough:
                CreepsThrough(outer, inner, tc, walk);
                break;

            case ScenarioKind.StopsThenGoes:
                StopsThenGoes(outer, inner, walk);
                break;

            case ScenarioKind.TurningPedestrianInLane:
            case ScenarioKind.TurningWaits:
                Turning(tc, walk, waits: _kind == ScenarioKind.TurningWaits);
                break;

            default:
                throw new ScenarioException($"no script for {_kind}");
        }
    }

    /// <summary>When the actor's anchor is first in the motor lanes on the crosswalk, as the yield rule tests it; null if never.</summary>
    private double? InMotorLanesFrom(Actor actor)
    {
        var model = _paths.Model;
        for (var t = 0.0; t < _options.Seconds; t += 0.05)
        {
            if (actor.Path(t) is { } p && model.OnCrosswalk(p) && !model.OnSidewalk(p) && !model.OnRefuge(p) && model.LaneAt(p) is { Kind: LaneKind.Motor })
            {
                return t;
            }
        }

        return null;
    }

    /// <summary>The scene's first pedestrian signal head with these phases; null when the scene marks none (nothing is drawn).</summary>
    private TruthSignal? Signal(params SignalPhase[] phases) =>
        _paths.Model.Definition.Signals is [var head, ..] ? new TruthSignal(head.Name, head.Box, phases) : null;

    /// <summary>Draws the signal head in its phase at <paramref name="t"/> (lamps are lights: not dimmed with the scene).</summary>
    private void DrawSignal(Mat canvas, double t)
    {
        if (_signal is { Box: [var a, var b] } signal)
        {
            var head = new Rect((int)Math.Round(a[0] * Width), (int)Math.Round(a[1] * Height), (int)Math.Round((b[0] - a[0]) * Width), (int)Math.Round((b[1] - a[1]) * Height));
            SignalHead.Draw(canvas, head, signal.At(t));
        }
    }

    /// <summary>Motor lanes on the half of the road the crosswalk's first edge (the sidewalk side) is on, outer lane first.</summary>
    private List<SceneLane> NearLanes()
    {
        var model = _paths.Model;
        var start = model.Lateral(_paths.OnCrosswalk(0, 0.5));
        var half = model.HalfOf(start);
        var lanes = model.Lanes.Where(l => l.Kind == LaneKind.Motor && l.Half == half).OrderBy(l => Math.Abs(l.LateralCenter - start)).ToList();
        if (lanes.Count < 2)
        {
            throw new ScenarioException("the generated scene needs two motor lanes on the sidewalk's half of the road");
        }

        return lanes;
    }

    private SceneLane Pick(SceneLane a, SceneLane b) => _random.NextDouble() < 0.5 ? a : b;

    /// <summary>The u on the crosswalk at a share across the lane (0 = its side nearer the sidewalk).</summary>
    private double UAt(SceneLane lane, double share)
    {
        var u0 = _paths.UAtLateral(lane.LateralMin, 0.5);
        var u1 = _paths.UAtLateral(lane.LateralMax, 0.5);
        return Math.Min(u0, u1) + (Math.Abs(u1 - u0) * share);
    }

    /// <summary>A pedestrian crossing the road along the crosswalk, at <paramref name="uAtTc"/> at time tc… (u per second).</summary>
    private Actor Crossing(double uAtTc, double speed, double tc, Func<double, bool>? hidden = null, double startU = -0.12)
    {
        var depth = 0.35 + (0.3 * _random.NextDouble());
        var actor = new Actor
        {
            Id = _actors.Count + 1,
            Class = ObjectClass.Pedestrian,
            Cutout = PickCutout(_assets.Persons),
            Scale = 1.0 + (0.15 * _random.NextDouble()),
            Flip = _random.NextDouble() < 0.5,
            Path = t =>
            {
                var u = Math.Max(startU, uAtTc + (speed * (t - tc)));
                return u > 1.1 ? null : _paths.OnCrosswalk(u, depth);
            },
            Hidden = hidden ?? (_ => false),
        };
        _actors.Add(actor);
        return actor;
    }

    /// <summary>A pedestrian standing on the sidewalk beside the crosswalk, swaying a little.</summary>
    private void Waiting(int slot)
    {
        var sidewalk = _paths.Model.Definition.Sidewalks.Count > 0
            ? Geometry.Points(_paths.Model.Definition.Sidewalks[0])
            : throw new ScenarioException("the generated scene needs a sidewalk for the waiting scenario");
        Point2 spot;
        var tries = 0;
        do
        {
            var u = -0.16 - (0.06 * slot) - (0.04 * _random.NextDouble());
            spot = _paths.OnCrosswalk(u, 0.3 + (0.4 * _random.NextDouble()));
        }
        while (!Geometry.Contains(sidewalk, spot) && ++tries < 20);

        var phase = _random.NextDouble() * Math.PI;
        _actors.Add(new Actor
        {
            Id = _actors.Count + 1,
            Class = ObjectClass.Pedestrian,
            Cutout = PickCutout(_assets.Persons),
            Scale = 1.0 + (0.15 * _random.NextDouble()),
            Flip = _random.NextDouble() < 0.5,
            Path = t => spot + new Point2(0.002 * Math.Sin(phase + t), 0),
        });
    }

    /// <summary>A vehicle that crosses the stop line at tc without stopping.</summary>
    private void Passing(SceneLane lane, double tc, bool violates, IReadOnlyList<int> against)
    {
        var (sMin, _) = _paths.Range(lane.Id);
        var sStop = StopS(lane);
        var speed = (sStop - sMin) * (0.85 + (0.1 * _random.NextDouble())) / tc;
        AddVehicle(lane, t => Motion.Constant(t, sStop, tc, speed), violates, against);
    }

    /// <summary>A vehicle that stops before the line at <paramref name="arrive"/> and goes again at <paramref name="go"/>.</summary>
    private void Stopping(SceneLane lane, double arrive, double go, bool violates, IReadOnlyList<int>? against = null) =>
        AddVehicle(lane, StopAndGo(lane, arrive, go), violates, against ?? []);

    /// <summary>Where along the lane (s) a vehicle is that stops before the line at arrive and goes at go (1.5 s later at the earliest).</summary>
    private Func<double, double> StopAndGo(SceneLane lane, double arrive, double go)
    {
        var (sMin, _) = _paths.Range(lane.Id);
        var hold = HoldS(lane);
        var brake = 1.2 * _k;
        var speed = (hold - sMin) * 0.9 / Math.Max(arrive - (brake / 2), 0.5);
        return t => Motion.StopAndGo(t, hold, arrive, Math.Max(go, arrive + 1.5), speed, brake);
    }

    /// <summary>
    /// A vehicle turning from the scene's first movement into its first lane (<see cref="ScenePaths.Turning"/>) and a
    /// pedestrian crossing that lane: it enters the crosswalk at tc with the pedestrian in the lane, or waits at the
    /// crosswalk's edge until the pedestrian is out of its conflict zone and turns then.
    /// </summary>
    private void Turning(double tc, double walk, bool waits)
    {
        var movement = _paths.Model.Movements.Count > 0 ? _paths.Model.Movements[0] : throw new ScenarioException("the turning kinds need a scene with a movement");
        var lane = movement.Lanes[0];
        var pedestrian = Crossing(UAt(lane, 0.55 + (0.3 * _random.NextDouble())), walk * 0.8, tc); // the lane's side away from the centre line and its refuge
        var rate = 0.085 * (0.9 + (0.2 * _random.NextDouble())) / _paths.TurningLength(movement.Name, lane.Id); // k a second
        var probe = new Actor { Id = 0, Class = ObjectClass.MotorVehicle, Cutout = _assets.Cars[0], Path = _ => null };
        double? edge = null, on = null;
        for (var along = -0.6; along < 1.2 && on is null; along += 0.002)
        {
            var share = _paths.Footprint(lane, BoxAt(probe, _paths.Turning(movement.Name, lane.Id, along))).OnCrosswalk;
            edge ??= share > 0 ? along : null;
            on ??= share >= 0.3 ? along : null;
        }

        if (edge is not { } kEdge || on is not { } kOn)
        {
            throw new ScenarioException($"movement '{movement.Name}' never brings a vehicle onto the crosswalk in lane {lane.Id}");
        }

        Func<double, double> k;
        if (waits)
        {
            // Clear: the last moment the pedestrian is in the lane's conflict zone, and a little more.
            var clear = tc;
            for (var t = 0.0; t < _options.Seconds * 2; t += 0.1)
            {
                clear = pedestrian.Path(t) is { } anchor && InConflict(BoxAt(pedestrian, anchor), lane) ? t + 0.8 : clear;
            }

            k = t => Motion.StopAndGo(t, kEdge - (0.012 / _paths.TurningLength(movement.Name, lane.Id)), 2.8 * _k, Math.Max(clear, (2.8 * _k) + 1.5), rate, 1.2 * _k);
        }
        else
        {
            k = t => Motion.Constant(t, kOn, tc, rate);
        }

        AddVehicle(lane, t => _paths.Turning(movement.Name, lane.Id, k(t)), violates: !waits, waits ? [] : [pedestrian.Id], movement.Name);
    }

    private void AddVehicle(SceneLane lane, Func<double, double> s, bool violates, IReadOnlyList<int> against) =>
        AddVehicle(lane, t => _paths.OnLane(lane.Id, s(t)), violates, against, movement: null);

    /// <summary>A vehicle whose bottom centre follows <paramref name="path"/> (seconds → picture), in or into <paramref name="lane"/>.</summary>
    private void AddVehicle(SceneLane lane, Func<double, Point2> path, bool violates, IReadOnlyList<int> against, string? movement)
    {
        var (plate, green) = Plates.Next(_random);
        _actors.Add(new Actor
        {
            Id = _actors.Count + 1,
            Class = ObjectClass.MotorVehicle,
            Cutout = PickCutout(_assets.Cars),
            Scale = 1.0 + (0.12 * _random.NextDouble()),
            Path = t =>
            {
                var p = path(t);
                return p.Y > 1.12 || p.Y < 0.3 || p.X > 1.1 ? null : p;
            },
            Lane = lane.Id,
            Movement = movement,
            Plate = plate,
            GreenPlate = green,
            Violates = violates,
            Against = against,
        });
    }

    private Cutout PickCutout(IReadOnlyList<Cutout> list)
    {
        // Two objects of one clip do not share a cut-out while there are others.
        var used = _actors.Select(a => a.Cutout).ToHashSet();
        var free = list.Where(c => !used.Contains(c)).ToList();
        var from = free.Count > 0 ? free : list.ToList();
        return from[_random.Next(from.Count)];
    }

    /// <summary>The s at which the vehicle's footprint is 30 % past the stop line.</summary>
    private double StopS(SceneLane lane) => FootprintS(lane, share => share >= 0.3);

    /// <summary>The s at which the vehicle waits: no part of its footprint past the line, a little before it.</summary>
    private double HoldS(SceneLane lane) => FootprintS(lane, share => share > 0) - 0.012;

    private double FootprintS(SceneLane lane, Func<double, bool> reached)
    {
        var (sMin, sMax) = _paths.Range(lane.Id);
        var probe = new Actor { Id = 0, Class = ObjectClass.MotorVehicle, Cutout = _assets.Cars[0], Path = _ => null };
        for (var s = sMin; s < sMax; s += 0.002)
        {
            var box = BoxAt(probe, _paths.OnLane(lane.Id, s));
            if (reached(_paths.Footprint(lane, box).PastLine))
            {
                return s;
            }
        }

        throw new ScenarioException($"lane {lane.Id}'s centre line never crosses its stop line");
    }

    /// <summary>When every given pedestrian is past the centre line on the far half (plus half a second).</summary>
    private double ClearTime(IReadOnlyList<Actor> pedestrians, SceneLane lane)
    {
        var center = _paths.Model.Center ?? lane.LateralMax;
        var margin = 0.15 * lane.Width;
        for (var t = 0.0; t < _options.Seconds * 2; t += 0.1)
        {
            var clear = pedestrians.All(p => p.Path(t) is not { } anchor || (Math.Sign(_paths.Model.Lateral(anchor) - center) != lane.Half && Math.Abs(_paths.Model.Lateral(anchor) - center) > margin));
            if (clear)
            {
                return t + 0.5;
            }
        }

        return _options.Seconds * 2;
    }

    // ---- rendering ----

    private IEnumerable<(Actor Actor, Point2 Anchor)> Visible(double t)
    {
        foreach (var actor in _actors)
        {
            if (actor.Path(t) is { } anchor && !actor.Hidden(t))
            {
                yield return (actor, anchor);
            }
        }
    }

    private Rect Body(Cutout cutout)
    {
        if (!_bodies.TryGetValue(cutout, out var body))
        {
            using var alpha = cutout.Image.ExtractChannel(3);
            using var solid = new Mat();
            Cv2.Threshold(alpha, solid, 127, 255, ThresholdTypes.Binary);
            body = Cv2.BoundingRect(solid);
            _bodies[cutout] = body;
        }

        return body;
    }

    /// <summary>Scale of the cut-out and where its picture goes so that its body's bottom centre is at the anchor.</summary>
    private (double Scale, double X, double Y) Placement(Actor actor, Point2 anchor)
    {
        var size = actor.Class == ObjectClass.Pedestrian ? _assets.PersonSize : _assets.CarSize;
        var body = Body(actor.Cutout);
        var heightPx = size.HeightAt(Math.Min(anchor.Y, 1.0)) * actor.Scale * Height;
        var scale = heightPx / body.Height;
        var x = (anchor.X * Width) - ((body.X + (body.Width / 2.0)) * scale);
        var y = (anchor.Y * Height) - ((body.Y + body.Height) * scale);
        return (scale, x, y);
    }

    /// <summary>The body's box (0–1, not clipped) with the cut-out's bottom centre at the anchor.</summary>
    private Box BoxAt(Actor actor, Point2 anchor)
    {
        var (scale, x, y) = Placement(actor, anchor);
        var body = Body(actor.Cutout);
        return new Box(
            (float)((x + (body.X * scale)) / Width),
            (float)((y + (body.Y * scale)) / Height),
            (float)((x + ((body.X + body.Width) * scale)) / Width),
            (float)((y + ((body.Y + body.Height) * scale)) / Height));
    }

    /// <summary>Where the cut-out goes in pixels: its scale, its top-left corner, and its body's rectangle within it.</summary>
    private (double Scale, int Left, int Top, Rect Body) Layout(Actor actor, Point2 anchor)
    {
        var (scale, x, y) = Placement(actor, anchor);
        var body = Body(actor.Cutout);
        var bodyRect = new Rect((int)Math.Round(body.X * scale), (int)Math.Round(body.Y * scale), (int)Math.Round(body.Width * scale), (int)Math.Round(body.Height * scale));
        return (scale, (int)Math.Round(x), (int)Math.Round(y), bodyRect);
    }

    /// <summary>The body's box (0–1) as drawn, clipped to the picture; null when less than 30 % of it is in the picture.</summary>
    private Box? VisibleBox(Actor actor, Point2 anchor)
    {
        var (_, left, top, bodyRect) = Layout(actor, anchor);
        var visible = new Rect(left + bodyRect.X, top + bodyRect.Y, bodyRect.Width, bodyRect.Height) & new Rect(0, 0, Width, Height);
        if (visible.Width < 4 || visible.Height < 4 || visible.Width * visible.Height < 0.3 * bodyRect.Width * bodyRect.Height)
        {
            return null;
        }

        return new Box(
            (float)Math.Round(visible.Left / (double)Width, 5),
            (float)Math.Round(visible.Top / (double)Height, 5),
            (float)Math.Round(visible.Right / (double)Width, 5),
            (float)Math.Round(visible.Bottom / (double)Height, 5));
    }

    /// <summary>Pastes the actor (with its plate, its colours times <paramref name="gain"/>) and returns its visible box (0–1), or null when off the picture.</summary>
    private Box? Draw(Mat canvas, Actor actor, Point2 anchor, double gain, out int plateWidth)
    {
        plateWidth = 0;
        var (scale, left, top, bodyRect) = Layout(actor, anchor);
        var w = Math.Max(2, (int)Math.Round(actor.Cutout.Image.Width * scale));
        var h = Math.Max(2, (int)Math.Round(actor.Cutout.Image.Height * scale));
        var target = new Rect(left, top, w, h) & new Rect(0, 0, canvas.Width, canvas.Height);
        if (target.Width <= 0 || target.Height <= 0)
        {
            return null;
        }

        using var scaled = new Mat();
        Cv2.Resize(actor.Cutout.Image, scaled, new Size(w, h), 0, 0, scale > 1 ? InterpolationFlags.Cubic : InterpolationFlags.Area);
        if (actor.Flip)
        {
            Cv2.Flip(scaled, scaled, FlipMode.Y);
        }

        if (actor.PlateImage is { } plate)
        {
            plateWidth = PastePlate(scaled, bodyRect, plate);
        }

        var source = new Rect(target.X - left, target.Y - top, target.Width, target.Height);
        using (var roi = new Mat(canvas, target))
        using (var part = new Mat(scaled, source))
        {
            Blend(roi, part, gain);
        }

        return VisibleBox(actor, anchor);
    }

    /// <summary>The plate on the vehicle's visible end: lower middle of its body, at least 124 px wide in 1920.</summary>
    private int PastePlate(Mat scaled, Rect body, Mat plate)
    {
        var minimum = (int)Math.Ceiling(124.0 * Width / 1920);
        var pw = Math.Max(minimum, (int)(body.Width * 0.26));
        var ph = (int)Math.Round(pw * plate.Height / (double)plate.Width);
        var cx = body.X + (body.Width / 2);
        var cy = body.Y + (int)(body.Height * 0.74);
        var rect = new Rect(cx - (pw / 2), cy - (ph / 2), pw, ph) & new Rect(0, 0, scaled.Width, scaled.Height);
        if (rect.Width < pw || rect.Height < ph)
        {
            return 0;
        }

        using var resized = new Mat();
        Cv2.Resize(plate, resized, new Size(pw, ph), 0, 0, InterpolationFlags.Area);
        using var bgra = new Mat();
        Cv2.CvtColor(resized, bgra, ColorConversionCodes.BGR2BGRA);
        using var roi = new Mat(scaled, rect);
        bgra.CopyTo(roi);
        return pw;
    }

    /// <summary>canvas = canvas × (1 − α) + cut-out × α (the cut-out dimmed by <paramref name="gain"/>).</summary>
    private static void Blend(Mat roi, Mat bgra, double gain)
    {
        var channels = Cv2.Split(bgra);
        try
        {
            using var bgr = new Mat();
            Cv2.Merge([channels[0], channels[1], channels[2]], bgr);
            if (gain != 1.0)
            {
                bgr.ConvertTo(bgr, MatType.CV_8UC3, gain);
            }

            using var alpha = new Mat();
            channels[3].ConvertTo(alpha, MatType.CV_32FC1, 1 / 255.0);
            using var inverse = new Mat();
            Cv2.Subtract(Scalar.All(1.0), alpha, inverse);
            Cv2.BlendLinear(bgr, roi, alpha, inverse, roi);
        }
        finally
        {
            foreach (var c in channels)
            {
                c.Dispose();
            }
        }
    }

    // ---- labels ----

    /// <summary>Each vehicle's passage: from 30 % of its footprint past the line until it has left the crosswalk.</summary>
    private List<Passage> Passages(Dictionary<int, List<TruthBox>> tracks)
    {
        var list = new List<Passage>();
        foreach (var vehicle in _actors.Where(a => a.Class == ObjectClass.MotorVehicle && a.Lane is not null))
        {
            var lane = _paths.Lane(vehicle.Lane!);
            TruthBox? start = null;
            TruthBox? end = null;
            foreach (var sample in tracks[vehicle.Id])
            {
                // Unclipped footprint: the rule sees the clipped box, but the vehicle's place is what it is.
                var anchor = vehicle.Path(sample.T)!.Value;
                var (past, on) = _paths.Footprint(lane, BoxAt(vehicle, anchor));
                if (vehicle.Movement is not null)
                {
                    past = on > 0 || start is null ? on : 1; // a turning vehicle's passage starts on the crosswalk, not at a stop line
                }

                if (start is null && past >= 0.3)
                {
                    start = sample;
                }
                else if (start is not null && past >= 0.999 && on == 0)
                {
                    end = sample;
                    break;
                }
            }

            if (start is not null)
            {
                end ??= tracks[vehicle.Id][^1];
                list.Add(new Passage(vehicle.Id, lane.Id, lane.Approach, vehicle.Plate, start.T, end.T, start.Frame, end.Frame));
            }
        }

        return list;
    }

    private List<ViolationLabel> Labels(Dictionary<int, List<TruthBox>> tracks)
    {
        var labels = new List<ViolationLabel>();
        foreach (var passage in Passages(tracks))
        {
            var vehicle = _actors.First(a => a.Id == passage.VehicleId);
            if (!vehicle.Violates)
            {
                continue;
            }

            // Frames in the passage's first second with a pedestrian in the vehicle's half of the road on the crosswalk.
            var lane = _paths.Lane(passage.Lane);
            var conflict = 0;
            foreach (var id in vehicle.Against)
            {
                conflict = Math.Max(conflict, tracks[id].Count(b => b.Frame >= passage.StartFrame - _options.Fps && b.Frame <= passage.StartFrame + _options.Fps && InConflict(b.ToBox(), lane)));
            }

            labels.Add(new ViolationLabel(vehicle.Id, passage.Lane, passage.Approach, vehicle.Plate!, passage.Start, passage.End, passage.StartFrame, passage.EndFrame, vehicle.Against, conflict));
        }

        return labels;
    }

    /// <summary>
    /// In the lane's conflict zone as the rule's defaults define it: on the crosswalk in a motor lane, off the sidewalk
    /// and the refuges, on the vehicle's half of the road or on the far half within the centre-line margin.
    /// </summary>
    private bool InConflict(Box box, SceneLane lane)
    {
        var (x, y) = box.BottomCenter;
        var p = new Point2(x, y);
        var model = _paths.Model;
        if (!model.OnCrosswalk(p) || model.OnSidewalk(p) || model.OnRefuge(p) || model.LaneAt(p) is not { Kind: LaneKind.Motor })
        {
            return false;
        }

        var lateral = model.Lateral(p);
        return model.HalfOf(lateral) == lane.Half || (model.Center is { } c && Math.Abs(lateral - c) <= Rule.CenterLineMarginLanes * lane.Width);
    }
}

/// <summary>An object's box in one frame: [x1, y1, x2, y2] in 0–1 of the picture, as Core's <see cref="Box"/>.</summary>
internal sealed record TruthBox(int Frame, double T, IReadOnlyList<float> Box)
{
    public Box ToBox() => new(Box[0], Box[1], Box[2], Box[3]);
}

internal sealed record TruthObject(int Id, string Class, string Cutout, string? Lane, string? Plate, string? PlateColor, int? PlateWidthPx, IReadOnlyList<TruthBox> Track)
{
    /// <summary>"occluder" for the bus or truck of the occluder condition (in no lane, never judged); absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Role { get; init; }
}

internal sealed record ViolationLabel(int VehicleId, string Lane, string Approach, string Plate, double Start, double End, int StartFrame, int EndFrame, IReadOnlyList<int> PedestrianIds, int ConflictFrames);

internal sealed record Passage(int VehicleId, string Lane, string Approach, string? Plate, double Start, double End, int StartFrame, int EndFrame);

internal sealed record ClipTruth(
    string Name,
    ScenarioKind Kind,
    ScenarioCondition Condition,
    int Seed,
    int Fps,
    int Width,
    int Height,
    int Frames,
    string Scene,
    IReadOnlyList<string> Plates,
    IReadOnlyList<TruthObject> Objects,
    IReadOnlyList<ViolationLabel> Violations,
    IReadOnlyList<Passage> Passages)
{
    /// <summary>The pedestrian signal head drawn and its phases; null when the scene marks none.</summary>
    public TruthSignal? Signal { get; init; }
}

/// <summary>An ffmpeg child encoding raw BGR frames from its standard input: H.264 without B-frames, MP4 with faststart.</summary>
internal sealed class FfmpegWriter : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;
    private readonly Stream _input;
    private readonly string _path;
    private readonly byte[] _buffer;

    /// <param name="bitrateKbps">A constrained bitrate (kbit/s), as a busy camera sends; null: x264's default quality (CRF 23).</param>
    public FfmpegWriter(string path, int width, int height, int fps, int? bitrateKbps = null)
    {
        _path = path;
        _buffer = new byte[width * height * 3];
        var size = string.Create(CultureInfo.InvariantCulture, $"{width}x{height}");
        var rate = fps.ToString(CultureInfo.InvariantCulture);
        string[] quality = bitrateKbps is { } kbps
            ? ["-b:v", Kbps(kbps), "-maxrate", Kbps(kbps), "-bufsize", Kbps(2 * kbps)]
            : [];
        var info = new ProcessStartInfo("ffmpeg", [
            "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", size, "-r", rate, "-i", "-",
            "-c:v", "libx264", "-preset", "veryfast", .. quality, "-bf", "0", "-g", "10", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path,
        ])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new ScenarioException("could not start ffmpeg (is it installed? scripts/setup.sh installs it)");
        _errors = _process.StandardError.ReadToEndAsync();
        _input = _process.StandardInput.BaseStream;
    }

    private static string Kbps(int kbps) => kbps.ToString(CultureInfo.InvariantCulture) + "k";

    public async Task WriteAsync(Mat frame, CancellationToken ct)
    {
        System.Runtime.InteropServices.Marshal.Copy(frame.Data, _buffer, 0, _buffer.Length);
        try
        {
            await _input.WriteAsync(_buffer, ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new ScenarioException($"ffmpeg stopped while writing {_path}: {(await _errors.ConfigureAwait(false)).Trim()}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _input.DisposeAsync().ConfigureAwait(false);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            if (_process.ExitCode != 0)
            {
                throw new ScenarioException($"ffmpeg failed writing {_path}: {(await _errors.ConfigureAwait(false)).Trim()}");
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
