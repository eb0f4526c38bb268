using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.UnitTests.Detection;

/// <summary>
/// <c>cww eval --detections</c> records the model's boxes once and replays them: by frame, so that a recording of every
/// frame also serves a run the motion gate thins out, and a frame it never saw is an error rather than another's boxes.
/// </summary>
public class RecordedDetectorTests
{
    [Fact]
    public void Replaying_SkippedFrames_GivesEachFrameItsOwnBoxes()
    {
        var pool = new FramePool();
        using var recording = RecordedDetector.Recording(new BoxPerFrame());
        for (var n = 1; n <= 5; n++)
        {
            using var frame = Frame(pool, n);
            recording.Detect(frame);
        }

        using var replaying = RecordedDetector.Replaying("box-per-frame", recording.Frames);
        foreach (var n in new[] { 1, 4, 5 })
        {
            using var frame = Frame(pool, n);
            var found = Assert.Single(replaying.Detect(frame).Items);
            Assert.Equal(n / 10f, found.Box.X1);
        }
    }

    [Fact]
    public void Replaying_FrameNeverRecorded_SaysTheRecordingIsAnotherClips()
    {
        var pool = new FramePool();
        using var replaying = RecordedDetector.Replaying("box-per-frame", [new RecordedFrame(1, [])]);
        using var frame = Frame(pool, 2);
        var error = Assert.Throws<DetectorException>(() => replaying.Detect(frame));
        Assert.Contains("none for frame 2", error.Message, StringComparison.Ordinal);
    }

    private static Frame Frame(FramePool pool, long sequence)
    {
        var frame = pool.Rent("cam1", 4, 4);
        frame.Sequence = sequence;
        return frame;
    }

    /// <summary>Finds one box whose left edge tells the frame's sequence number.</summary>
    private sealed class BoxPerFrame : IObjectDetector
    {
        public string ModelKey => "box-per-frame";

        public FrameDetections Detect(Frame frame, Box? region = null) =>
            new(frame.CameraId, frame.Sequence, frame.CapturedAt, frame.Width, frame.Height,
                [new DetectedObject(new Box(frame.Sequence / 10f, 0, 0.9f, 0.9f), 0.9f, ObjectClass.Pedestrian, 0)]);

        public void Dispose()
        {
        }
    }
}
