using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>
/// A detector that finds the scripted objects where the script has them at each frame's capture time (seconds after
/// <see cref="Script.Start"/>): the pipeline's tracker and rule see them as they would the model's boxes.
/// </summary>
internal sealed class ScriptedDetector(params ScriptedObject[] objects) : IObjectDetector
{
    public string ModelKey => "scripted";

    public FrameDetections Detect(Frame frame, Box? region = null)
    {
        var t = (frame.CapturedAt - Script.Start).TotalSeconds;
        var found = objects.Select(o => (o.Class, At: o.At(t))).Where(o => o.At is not null).Select(o => new DetectedObject(o.At!.Value.Box, 0.9f, o.Class, 0)).ToList();
        return new FrameDetections(frame.CameraId, frame.Sequence, frame.CapturedAt, frame.Width, frame.Height, found);
    }

    public void Dispose()
    {
    }
}
