using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.Edge.Pipeline;

/// <summary>
/// The one place the edge pipeline is composed: the installed models, the detector a configuration asks for, the
/// plate reader, and a camera's detect → track → yield rule chain. <c>cww run</c> and <c>cww demo</c> (through
/// <see cref="EdgeBox"/>), <c>cww replay</c>, <c>cww eval</c>, the console's replay and the benches all build theirs
/// here, so what is measured and evaluated is what a box runs.
/// </summary>
public static class PipelineFactory
{
    /// <summary>The installed models: the manifest (<see cref="Assets.ModelManifest"/>) and the weights in <paramref name="folder"/> (default <see cref="Assets.DefaultModels"/>).</summary>
    public static ModelStore OpenModels(string? folder = null) =>
        new(ModelManifest.Load(Assets.ModelManifest()), folder ?? Assets.DefaultModels());

    /// <summary>The detector of a configuration (<c>detector:</c>).</summary>
    public static IObjectDetector CreateDetector(ModelStore models, DetectorConfig detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        return CreateDetector(models, detector.Type, detector.Threads, (float)detector.ScoreThreshold, detector.TrimInput);
    }

    /// <summary>A detector by model key (yolox-nano, fastestdet); the score threshold defaults to the detector's own; <paramref name="trimInput"/> as <c>detector.trimInput</c>.</summary>
    public static IObjectDetector CreateDetector(ModelStore models, string model, int threads = 2, float? scoreThreshold = null, bool trimInput = false) =>
        DetectorFactory.Create(models, scoreThreshold is { } score ? new DetectorOptions(model, threads, score, TrimInput: trimInput) : new DetectorOptions(model, threads, TrimInput: trimInput));

    /// <summary>The plate cascade (plate detector, rectification, PP-OCRv4 reader) of a configuration's <c>plates:</c>.</summary>
    public static PlateReader CreatePlateReader(ModelStore models, PlateSettings plates, int threads)
    {
        ArgumentNullException.ThrowIfNull(plates);
        return PlateReader.Create(models, new PlateReaderOptions(DetectorModel: plates.Detector, IntraOpThreads: threads));
    }

    /// <summary>
    /// One camera's decision chain on the shared detector: detect (inside <paramref name="region"/>) → track → yield
    /// rule, the detector gated on motion at <paramref name="idleFps"/> while the picture is still (null: every frame),
    /// the camera's view checked by <paramref name="view"/> (null: not checked).
    /// </summary>
    public static CameraPipeline CreatePipeline(string cameraId, IObjectDetector detector, SceneDefinition scene, YieldRuleSettings rule, Box? region = null, double? idleFps = null, ViewWatch? view = null) =>
        new(cameraId, detector, new SceneModel(scene), rule, region, idleFps, view);

    /// <summary>A camera's keep-alive rate when its <c>ingest.motionGate</c> is on; null when it is off.</summary>
    public static double? IdleFps(IngestSettings ingest)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        return ingest.MotionGate ? ingest.IdleFps : null;
    }

    /// <summary>A camera's <c>detectRegion</c> ([x1, y1, x2, y2], normalised) as a box; null for the whole picture.</summary>
    public static Box? Region(CameraConfig camera)
    {
        ArgumentNullException.ThrowIfNull(camera);
        return camera.DetectRegion is [var x1, var y1, var x2, var y2] ? new Box((float)x1, (float)y1, (float)x2, (float)y2) : null;
    }
}
