using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// Finds pedestrians, non-motor and motor vehicles in a frame with one model of the manifest. One instance holds
/// one ONNX Runtime session built once; <see cref="Detect"/> may be called from several threads at a time, and the
/// detector is disposed once no call is running.
/// </summary>
public interface IObjectDetector : IDisposable
{
    /// <summary>The manifest key of the model (<c>yolox-nano</c>, <c>fastestdet</c>).</summary>
    string ModelKey { get; }

    /// <summary>
    /// Runs the model on the frame (or on the crop <paramref name="region"/>, normalised, of it) and returns boxes
    /// normalised to the WHOLE frame, highest score first. The frame stays the caller's: it is read, not kept.
    /// </summary>
    /// <exception cref="DetectorException">The region is empty once clamped to the frame, or the model failed on the frame.</exception>
    /// <exception cref="ObjectDisposedException">The frame was already returned to its pool, or the detector is disposed.</exception>
    FrameDetections Detect(Frame frame, Box? region = null);
}
