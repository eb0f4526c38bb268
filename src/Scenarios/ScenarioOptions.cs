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

    /// <summary>Dim light (brightness ×0.45 and noise), a pedestrian in the vehicle's lane: violation.</summary>
    DimLight,

    /// <summary>A pedestrian steps into the vehicle's lane while the drawn signal is red (it turns green as they cross) and the vehicle passes: no violation.</summary>
    CrossingOnRed,
}

/// <summary>One written clip: the video and its ground truth.</summary>
public sealed record ScenarioClip(string Name, ScenarioKind Kind, int Seed, string VideoPath, string TruthPath, int Violations);
