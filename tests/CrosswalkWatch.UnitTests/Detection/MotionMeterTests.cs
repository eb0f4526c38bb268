using CrosswalkWatch.Detector.Motion;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.UnitTests.Detection;

/// <summary>
/// The motion check the detector is gated on: it must see a small figure move and a slow creep, and must not take
/// sensor noise or a change outside the detect region for motion.
/// </summary>
public class MotionMeterTests
{
    private const int Width = 640;
    private const int Height = 360;

    [Fact]
    public void Moved_FirstFrame_IsTrueForWantOfAReference()
    {
        var pool = new FramePool();
        using var meter = new MotionMeter();
        using var frame = Picture(pool);
        Assert.True(meter.Moved(frame));
        Assert.Equal(-1, meter.LastChanged);
    }

    [Fact]
    public void Moved_SamePictureWithSensorNoise_IsFalse()
    {
        var pool = new FramePool();
        using var meter = new MotionMeter();
        KeepReference(meter, Picture(pool));
        var noise = new Random(7);
        for (var i = 0; i < 10; i++)
        {
            using var frame = Picture(pool, noise: (noise, 12));
            Assert.False(meter.Moved(frame), $"noisy frame {i}: {meter.LastChanged} small pixels changed");
        }
    }

    [Fact]
    public void Moved_DistantPedestrianTakesAStep_IsTrue()
    {
        var pool = new FramePool();
        using var meter = new MotionMeter();
        KeepReference(meter, Picture(pool, figure: (300, 150)));

        // 10 × 24 pixels, as a pedestrian far up the road is at 640 × 360, three pixels further on.
        using var frame = Picture(pool, figure: (303, 150));
        Assert.True(meter.Moved(frame), $"{meter.LastChanged} small pixels changed");
    }

    [Fact]
    public void Moved_SlowCreep_AddsUpAgainstTheDetectorsLastFrame()
    {
        var pool = new FramePool();
        using var meter = new MotionMeter();
        KeepReference(meter, Picture(pool, figure: (300, 150), contrast: 60));

        // A faint figure one pixel on: below the threshold against the detector's last frame…
        using (var oneStep = Picture(pool, figure: (301, 150), contrast: 60))
        {
            Assert.False(meter.Moved(oneStep), $"{meter.LastChanged} small pixels changed");
        }

        // …and a pixel more (one pixel a frame, as a creeping car moves): the reference stayed, so it counts now,
        // where frame-to-frame differencing would never see it.
        using var twoSteps = Picture(pool, figure: (302, 150), contrast: 60);
        Assert.True(meter.Moved(twoSteps), $"{meter.LastChanged} small pixels changed");
    }

    [Fact]
    public void Moved_ChangeOutsideTheDetectRegion_IsFalse()
    {
        var pool = new FramePool();
        using var meter = new MotionMeter(new Box(0.5f, 0, 1, 1));
        KeepReference(meter, Picture(pool, figure: (100, 150)));
        using var frame = Picture(pool, figure: (140, 150));
        Assert.False(meter.Moved(frame), $"{meter.LastChanged} small pixels changed");
    }

    [Fact]
    public void Moved_FrameSizeChanged_IsTrueAgain()
    {
        var pool = new FramePool();
        using var meter = new MotionMeter();
        KeepReference(meter, Picture(pool));
        using var other = Picture(pool, width: 320, height: 180);
        Assert.True(meter.Moved(other), "a stream reconnected at another size has no reference yet");
    }

    private static void KeepReference(MotionMeter meter, Frame frame)
    {
        using (frame)
        {
            meter.Moved(frame);
            meter.KeepAsReference();
        }
    }

    /// <summary>A textured grey background (the same every time), with an optional figure darker by <paramref name="contrast"/>, and optional noise.</summary>
    private static Frame Picture(FramePool pool, (int X, int Y)? figure = null, int contrast = 120, (Random Random, int Amplitude)? noise = null, int width = Width, int height = Height)
    {
        var frame = pool.Rent("cam1", width, height);
        var pixels = frame.Pixels;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var value = 100 + (((x * 7) + (y * 13)) % 61) + ((x / 40 + y / 40) % 2 * 40);
                if (figure is { } f && x >= f.X && x < f.X + 10 && y >= f.Y && y < f.Y + 24)
                {
                    value -= contrast;
                }

                if (noise is { } n)
                {
                    value += n.Random.Next(-n.Amplitude, n.Amplitude + 1);
                }

                var i = ((y * width) + x) * 3;
                pixels[i] = pixels[i + 1] = pixels[i + 2] = (byte)Math.Clamp(value, 0, 255);
            }
        }

        return frame;
    }
}
