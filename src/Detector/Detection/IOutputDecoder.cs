namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// Reads one model head's output: candidates whose score reaches the threshold, boxes in model-input pixels, before
/// non-maximum suppression. Adding a YOLO-family model is a manifest entry plus, at most, one of these.
/// </summary>
internal interface IOutputDecoder
{
    void Decode(ReadOnlySpan<float> output, float scoreThreshold, DetectionBuffer candidates);
}
