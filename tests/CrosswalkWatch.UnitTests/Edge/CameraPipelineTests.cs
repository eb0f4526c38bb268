using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Edge.Pipeline;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>The pipeline's own timers, which <c>cww bench capacity</c> reads to say where each camera's time goes.</summary>
public class CameraPipelineTests
{
    [Fact]
    public void Process_Frames_AddUpTheTimeInDetectionAndInDeciding()
    {
        var pool = new FramePool();
        using var pipeline = new CameraPipeline("cam1", new NoCostDetector(), ScriptedScene.Model(), new YieldRuleSettings());
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), pipeline.Busy);

        var seen = new List<(TimeSpan Detect, TimeSpan Decide)>();
        for (var i = 0; i < 3; i++)
        {
            using (var frame = pool.Rent("cam1", 4, 4))
            {
                pipeline.Process(frame);
            }

            seen.Add(pipeline.Busy);
        }

        Assert.All(seen, busy => Assert.True(busy.Detect > TimeSpan.Zero && busy.Decide > TimeSpan.Zero, $"{busy}"));
        Assert.True(seen[2].Detect > seen[0].Detect && seen[2].Decide > seen[0].Decide, "each frame adds to both");
        Assert.Equal(0, pool.Outstanding);
    }
}
