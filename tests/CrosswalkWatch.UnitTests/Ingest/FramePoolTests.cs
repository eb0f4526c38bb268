using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.UnitTests.Ingest;

/// <summary>The frames' buffers: of the frame's exact size, used again, and never more kept than were in flight.</summary>
public class FramePoolTests
{
    [Fact]
    public void Rent_AfterAReturn_TheSameExactBufferAgain()
    {
        var pool = new FramePool();
        byte[] first;
        using (var frame = pool.Rent("cam1", 640, 360))
        {
            first = frame.Buffer;
            Assert.Equal(640 * 360 * 3, first.Length); // the shared pool gave 1 MB for it
        }

        using var again = pool.Rent("cam2", 640, 360);
        Assert.Same(first, again.Buffer);
        using var other = pool.Rent("cam2", 1920, 1080);
        Assert.Equal(1920 * 1080 * 3, other.Buffer.Length);
        Assert.Equal((2, 3), (pool.Outstanding, pool.Rented));
    }

    [Fact]
    public void Return_MoreThanEverKept_KeepsAtMostTheCap()
    {
        var pool = new FramePool();
        var frames = Enumerable.Range(0, FramePool.KeptPerSize + 10).Select(_ => pool.Rent("cam1", 4, 4)).ToList();
        Assert.Equal(0, pool.Kept);

        frames.ForEach(f => f.Dispose());

        Assert.Equal(FramePool.KeptPerSize, pool.Kept);
        Assert.Equal(0, pool.Outstanding);
    }
}
