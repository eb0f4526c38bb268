using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Edge.Pipeline;
using static CrosswalkWatch.Testing.Script;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>
/// The motion gate in the camera pipeline: an idle camera is detected at the keep-alive rate, while anything near
/// the crosswalk keeps the detector at the full rate even when the picture does not change (the motion check can be
/// fooled; the detector's own finds cannot), and a parked car far off keeps its track id across the gated frames.
/// The frames here are blank, so the motion check never sees anything: only the gate's other reasons let the detector run.
/// </summary>
public class DetectionGateTests
{
    private const double Fps = 5;

    [Fact]
    public void Process_StillPictureNothingFound_DetectsAtTheKeepAliveRate()
    {
        var pool = new FramePool();
        var detector = new CountingDetector(new ScriptedDetector());
        using var pipeline = new CameraPipeline("cam1", detector, ScriptedScene.Model(), new YieldRuleSettings(), idleFps: 1);

        Run(pipeline, pool, seconds: 9.8);

        // 50 frames over 9.8 s: the first, then one a second.
        Assert.Equal(10, detector.Runs);
        Assert.Equal(40, pipeline.Gated);
        Assert.True(pipeline.Idle);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Process_ViolationOnAStillPicture_IsDetectedAtTheFullRateAndCaught()
    {
        var pool = new FramePool();
        var walker = Walker(2, (0, 0.56, 0.61), (8, 0.56, 0.61)); // standing in the car's lane
        var objects = new[] { Southbound(1, from: 2), walker };
        var gated = new CountingDetector(new ScriptedDetector(objects));
        using var pipeline = new CameraPipeline("cam1", gated, ScriptedScene.Model(), new YieldRuleSettings(), idleFps: 1);
        using var ungated = new CameraPipeline("cam1", new ScriptedDetector(objects), ScriptedScene.Model(), new YieldRuleSettings());

        var caught = Run(pipeline, pool, seconds: 8);
        var reference = Run(ungated, pool, seconds: 8);

        var candidate = Assert.Single(caught);
        var expected = Assert.Single(reference);
        Assert.Equal(expected.VehicleTrackId, candidate.VehicleTrackId);
        Assert.Equal(expected.OnLine.At, candidate.OnLine.At);
        Assert.Equal(41, gated.Runs); // the pedestrian is on the crosswalk from the first frame: never idle
        Assert.Equal(0, pipeline.Gated);
    }

    [Fact]
    public void Process_ObjectGoneFromTheCrosswalk_HoldsTheFullRateForTwoSeconds()
    {
        var pool = new FramePool();
        var detector = new CountingDetector(new ScriptedDetector(Walker(2, (0, 0.45, 0.6), (2, 0.55, 0.6))));
        using var pipeline = new CameraPipeline("cam1", detector, ScriptedScene.Model(), new YieldRuleSettings(), idleFps: 1);

        Run(pipeline, pool, seconds: 8);

        // Frames at 0–2 s find the walker (11 runs); 2.2–3.8 s are held (9 runs); then one a second (4.8, 5.8, 6.8, 7.8).
        Assert.Equal(11 + 9 + 4, detector.Runs);
    }

    [Fact]
    public void Process_ParkedCarFarFromTheCrosswalk_KeepsItsTrackIdAtTheKeepAliveRate()
    {
        var pool = new FramePool();
        var parked = Car(7, (0, 0.06, 0.3), (20, 0.06, 0.3)); // beyond the sidewalks, outside what the scene draws
        var detector = new CountingDetector(new ScriptedDetector(parked));
        using var pipeline = new CameraPipeline("cam1", detector, ScriptedScene.Model(), new YieldRuleSettings(), idleFps: 1);

        Run(pipeline, pool, seconds: 20);

        Assert.Equal(21, detector.Runs);
        Assert.Equal(1, pipeline.TracksByClass[ObjectClass.MotorVehicle]);
    }

    [Fact]
    public void Process_ClockGoesBack_DetectsAtOnce()
    {
        var pool = new FramePool();
        var detector = new CountingDetector(new ScriptedDetector());
        using var pipeline = new CameraPipeline("cam1", detector, ScriptedScene.Model(), new YieldRuleSettings(), idleFps: 1);
        Run(pipeline, pool, seconds: 1.4); // detected at 0 and 1.0 s
        Assert.Equal(2, detector.Runs);

        Run(pipeline, pool, seconds: 0); // a replay from the start, or a reconnect with an earlier clock
        Assert.Equal(3, detector.Runs);
    }

    [Fact]
    public void Near_IsTheSceneDrawingWithItsMargin()
    {
        var near = DetectionGate.Near(ScriptedScene.Model().Definition);
        Assert.Equal(0.15f, near.X1, 3);
        Assert.Equal(0f, near.Y1, 3);
        Assert.Equal(0.85f, near.X2, 3);
        Assert.Equal(1f, near.Y2, 3);
    }

    /// <summary>Blank frames at 5 fps from the script's start to <paramref name="seconds"/>, through the pipeline, flushed.</summary>
    private static List<Domain.Violations.ViolationCandidate> Run(CameraPipeline pipeline, FramePool pool, double seconds)
    {
        var candidates = new List<Domain.Violations.ViolationCandidate>();
        for (var n = 0; n <= (int)Math.Round(seconds * Fps); n++)
        {
            using var frame = pool.Rent("cam1", 64, 36);
            frame.Pixels.Clear();
            frame.Sequence = n + 1;
            frame.CapturedAt = Start.AddSeconds(n / Fps);
            candidates.AddRange(pipeline.Process(frame));
        }

        candidates.AddRange(pipeline.Flush());
        return candidates;
    }
}
