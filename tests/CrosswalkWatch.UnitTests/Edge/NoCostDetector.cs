using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>A detector that finds nothing at no cost: for the pipeline and the scheduler around the model, without it.</summary>
internal sealed class NoCostDetector : IObjectDetector
{
    public string ModelKey => "no-cost";

    public FrameDetections Detect(Frame frame, Box? region = null) =>
        new(frame.CameraId, frame.Sequence, frame.CapturedAt, frame.Width, frame.Height, []);

    public void Dispose()
    {
    }
}
