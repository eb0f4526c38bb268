using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>A scripted detector that counts its runs: how often the pipeline let the model run.</summary>
internal sealed class CountingDetector(ScriptedDetector inner) : Detector.Detection.IObjectDetector
{
    public int Runs { get; private set; }

    public string ModelKey => inner.ModelKey;

    public FrameDetections Detect(Frame frame, Box? region = null)
    {
        Runs++;
        return inner.Detect(frame, region);
    }

    public void Dispose() => inner.Dispose();
}
