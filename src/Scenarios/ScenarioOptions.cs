using CrosswalkWatch.Config;

namespace CrosswalkWatch.Scenarios;

/// <summary>What <see cref="ScenarioGenerator.GenerateAsync"/> writes (the <c>cww scenarios generate</c> options).</summary>
/// <param name="OutputDirectory">Folder for the clips, their ground truth, <c>scene.yaml</c> and the cached <c>assets/</c>.</param>
/// <param name="Footage">The real footage the background and cut-outs come from.</param>
/// <param name="ScenePath">The scene the clips follow (two lanes per direction); copied to <c>scene.yaml</c>.</param>
/// <param name="ModelManifest">The model manifest (<c>models/manifest.json</c>).</param>
/// <param name="ModelsDirectory">The installed models (<c>var/models</c>).</param>
/// <param name="Seed">Seed of every random choice; the same seed writes the same suite.</param>
/// <param name="Count">How many clips, cycling through the scenario kinds.</param>
/// <param name="Seconds">Length of each clip in seconds (scripts are timed for 10 s and scaled), 4–20.</param>
public sealed record ScenarioOptions(
    string OutputDirectory,
    string Footage,
    string ScenePath,
    string ModelManifest,
    string ModelsDirectory,
    int Seed = 1,
    int Count = 40,
    double Seconds = 10)
{
    /// <summary>Output width in pixels (plates are sized for it).</summary>
    public int Width { get; init; } = 1920;

    /// <summary>Output height in pixels.</summary>
    public int Height { get; init; } = 1080;

    /// <summary>Frames per second of the clips.</summary>
    public int Fps { get; init; } = 10;

    /// <summary>
    /// A suite made from a repository's assets: the sample footage's background and cut-outs, the generated scene
    /// (<c>samples/scenes/rox_crosswalk_elevated_generated.yaml</c>), the model manifest and the installed models.
    /// </summary>
    public static ScenarioOptions FromRepository(string repo, string output, int seed, int count, double seconds = 10) => new(
        output,
        Assets.SampleFootage(),
        Path.Combine(repo, "samples", "scenes", "rox_crosswalk_elevated_generated.yaml"),
        Path.Combine(repo, "models", "manifest.json"),
        Path.Combine(repo, "var", "models"),
        seed,
        count,
        seconds);

    /// <summary>Only these kinds (all when null), still cycled in order.</summary>
    public IReadOnlyList<ScenarioKind>? Kinds { get; init; }

    /// <summary>
    /// The conditions the clips are made under (day only when null). Clip i is kind i mod K under condition
    /// ((i mod K) + (i div K)) mod C, so neighbouring clips differ in both and K × C clips meet every pair once.
    /// </summary>
    public IReadOnlyList<ScenarioCondition>? Conditions { get; init; }
}

/// <summary>The situations the suite covers; each clip is one of them.</summary>
public enum ScenarioKind
{
    /// <summary>A vehicle stops before the line and waits while pedestrians cross: no violation.</summary>
    StopsAndWaits,

    /// <summary>A vehicle passes while a pedestrian is in its lane: violation.</summary>
    PedestrianInLane,

    /// <summary>A vehicle passes while a pedestrian is in the lane beside it: violation.</summary>
    PedestrianInAdjacentLane,

    /// <summary>A vehicle passes while a pedestrian walks away on the far half: no violation.</summary>
    FarHalfWalkingAway,

    /// <summary>A vehicle passes while a pedestrian waits on the sidewalk: no violation.</summary>
    SidewalkWaiting,

    /// <summary>Two vehicles side by side: one stops and waits, the other passes the crossing pedestrian: one violation.</summary>
    TwoVehiclesOneFails,

    /// <summary>A pedestrian in the lane beside is hidden for about half a second before the vehicle passes: violation.</summary>
    ShortOcclusion,

    /// <summary>A pedestrian has stepped off the kerb across the separation line into the outer motor lane and waits there: violation.</summary>
    CrossedSeparationLine,

    /// <summary>A pedestrian from the far side waits at the centre line, or just past it on the vehicle's half: violation.</summary>
    WaitingAtCentreLine,

    /// <summary>A pedestrian stands on the median refuge on the centre line while the vehicle passes: may pass.</summary>
    MedianRefuge,

    /// <summary>A pedestrian steps into the vehicle's lane, then turns back to the kerb before it crosses: excluded.</summary>
    TurnsBack,

    /// <summary>A pedestrian runs across in front of the vehicle: excluded.</summary>
    Runs,

    /// <summary>
    /// A vehicle going away from the camera passes while a pedestrian is in its lane: violation. In A1, the lane beside
    /// the centre line: A2's stop line is outside the generated scene's picture.
    /// </summary>
    AwayPedestrianInLane,

    /// <summary>A vehicle going away from the camera passes while a pedestrian walks away on the other half: no violation.</summary>
    AwayFarHalfWalkingAway,

    /// <summary>A group of 3–8 pedestrians crosses and the vehicle passes while some are on its half: violation.</summary>
    GroupCrossing,

    /// <summary>A group of 3–8 pedestrians crosses and the vehicle waits until they are past the centre line: no violation.</summary>
    GroupStopsAndWaits,

    /// <summary>A vehicle creeps over the line without ever stopping while a pedestrian is in its lane: violation.</summary>
    CreepsThrough,

    /// <summary>A vehicle stops at the line, then goes while the pedestrian is still in its lane: violation.</summary>
    StopsThenGoes,

    /// <summary>A pedestrian steps into the vehicle's lane while the drawn signal is red (it turns green as they cross) and the vehicle passes: no violation.</summary>
    CrossingOnRed,

    /// <summary>
    /// A vehicle turning from a movement's entry region into its lane crosses the crosswalk while a pedestrian walks in
    /// that lane: violation. Needs a scene with a movement (<c>--scene samples/scenes/rox_crosswalk_elevated_turning.yaml</c>).
    /// </summary>
    TurningPedestrianInLane,

    /// <summary>A turning vehicle waits at the crosswalk's edge until the pedestrian is off its half of the road, then turns: no violation.</summary>
    TurningWaits,
}

/// <summary>
/// What the camera sees the scenario through (<c>--conditions</c>); each clip is made under one of them and its truth
/// records which.
/// </summary>
public enum ScenarioCondition
{
    /// <summary>Daylight as the footage has it, clean encoding.</summary>
    Day,

    /// <summary>Night: a dark, blue-tinted picture, headlights with glare, and sensor noise.</summary>
    Night,

    /// <summary>Rain: streaks over the picture, a darker and softer scene.</summary>
    Rain,

    /// <summary>Low contrast: haze pulling every pixel towards grey.</summary>
    LowContrast,

    /// <summary>Strong H.264 compression: a low bitrate, as a busy camera sends.</summary>
    Compressed,

    /// <summary>Camera shake: the whole picture moves a few pixels from frame to frame (the truth boxes move with it).</summary>
    Shake,

    /// <summary>A bus or truck passes close to the camera in front of the pedestrian, hiding them for about a second (they stay labelled).</summary>
    Occluder,
}

/// <summary>One written clip: the video and its ground truth.</summary>
public sealed record ScenarioClip(string Name, ScenarioKind Kind, int Seed, string VideoPath, string TruthPath, int Violations, ScenarioCondition Condition = ScenarioCondition.Day);
