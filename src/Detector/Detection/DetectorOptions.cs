namespace CrosswalkWatch.Detector.Detection;

/// <summary>How to build an <see cref="IObjectDetector"/>; the config's <c>detector:</c> block.</summary>
/// <param name="ModelKey">The model, a key of the manifest whose decoder is an object detector's (config <c>detector.type</c>).</param>
/// <param name="IntraOpThreads">ONNX Runtime threads inside one operator, 1–64 (config <c>detector.threads</c>).</param>
/// <param name="ScoreThreshold">Lowest score kept, above 0 and at most 1 (config <c>detector.scoreThreshold</c>).</param>
/// <param name="NmsIoU">Overlap above which the lower-scored of two boxes of the same class is dropped, above 0 and at most 1.</param>
/// <param name="TrimInput">
/// Run a model whose manifest allows it (<see cref="Models.ModelInput.TrimTo"/>) on the letterboxed picture without its
/// padding (config <c>detector.trimInput</c>); otherwise, and for other models, on the model's full input.
/// </param>
public sealed record DetectorOptions(
    string ModelKey = "yolox-nano",
    int IntraOpThreads = 2,
    float ScoreThreshold = 0.35f,
    float NmsIoU = 0.45f,
    bool TrimInput = false);
