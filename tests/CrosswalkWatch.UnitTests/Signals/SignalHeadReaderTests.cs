using CrosswalkWatch.Decision.Signals;
using CrosswalkWatch.Detector.Signals;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Scenarios;
using OpenCvSharp;

namespace CrosswalkWatch.UnitTests.Signals;

/// <summary>
/// The signal head reader on real pixels: a pedestrian signal head drawn (<see cref="SignalHead"/>) into a real frame
/// of the sample footage at full HD, scaled down to the detector's 640x360 as ingest scales a camera's picture, then
/// read as the edge box reads it. The footage itself has no head facing the camera.
/// </summary>
public sealed class SignalHeadReaderTests
{
    /// <summary>The generated scene's head: about 18 x 36 pixels at 640x360.</summary>
    private static readonly Box Head = new(0.277f, 0.24f, 0.305f, 0.34f);

    /// <summary>A far head: about 9 x 18 pixels at 640x360, each lamp a few pixels.</summary>
    private static readonly Box FarHead = new(0.60f, 0.08f, 0.614f, 0.13f);

    private static readonly Lazy<Mat> Footage = new(() =>
    {
        using var capture = new VideoCapture(TestAssets.CrosswalkFootage);
        Assert.True(capture.IsOpened(), $"OpenCV could not open {TestAssets.CrosswalkFootage}");
        using var frame = new Mat();
        for (var i = 0; i < 30; i++)
        {
            Assert.True(capture.Read(frame) && !frame.Empty(), "the footage ended before frame 30");
        }

        var full = new Mat();
        Cv2.Resize(frame, full, new Size(1920, 1080), 0, 0, InterpolationFlags.Lanczos4);
        return full;
    });

    public static TheoryData<SignalState, string> States => new()
    {
        { SignalState.Red, "near" },
        { SignalState.Green, "near" },
        { SignalState.Off, "near" },
        { SignalState.Red, "far" },
        { SignalState.Green, "far" },
        { SignalState.Off, "far" },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void Look_HeadDrawnIntoARealFrame_ReadsTheLitLamp(SignalState lit, string which)
    {
        var box = which == "near" ? Head : FarHead;
        using var picture = Picture((box, lit));

        var look = SignalHeadReader.Look(picture, box);

        Assert.True(look.State == lit, $"{which} head lit {lit}: read {look}");
        Assert.True(lit == SignalState.Red ? look.RedShare >= SignalHeadReader.LitShare : look.RedShare < SignalHeadReader.LitShare / 2, $"red share {look.RedShare}");
        Assert.True(lit == SignalState.Green ? look.GreenShare >= SignalHeadReader.LitShare : look.GreenShare < SignalHeadReader.LitShare / 2, $"green share {look.GreenShare}");
    }

    [Fact]
    public void Look_TheFootagesOwnLitRedLamp_ReadsRed()
    {
        // The footage's vehicle signal across the junction shows red in this frame: a real lamp, a few pixels wide at
        // 640x360, in the upper half of the box.
        using var picture = Picture();

        var look = SignalHeadReader.Look(picture, new Box(0.172f, 0.195f, 0.192f, 0.245f));

        Assert.True(look.State == SignalState.Red, $"read {look}");
    }

    [Theory]
    [InlineData(0.0f, 0.0f, 0.15f, 0.25f)]   // sky, the building's edge and the vehicle signal's dark pole
    [InlineData(0.27f, 0.40f, 0.30f, 0.55f)] // the pole beside the crosswalk, with the back of a signal head
    [InlineData(0.55f, 0.55f, 0.60f, 0.75f)] // the crosswalk, people and the road
    public void Look_RealFrameWhereNoHeadIs_ReadsOff(float x1, float y1, float x2, float y2)
    {
        using var picture = Picture();

        var look = SignalHeadReader.Look(picture, new Box(x1, y1, x2, y2));

        Assert.True(look.State == SignalState.Off, $"read {look}");
    }

    [Theory]
    [InlineData(0.5f, 0.5f, 0.5f, 0.5f)]     // no area
    [InlineData(1.2f, 0.1f, 1.3f, 0.2f)]     // outside the picture
    [InlineData(0.5f, 0.5f, 0.503f, 0.51f)]  // 2 x 4 pixels: too small to split into lamps
    public void Look_EmptyOutsideOrTinyBox_ReadsUnknown(float x1, float y1, float x2, float y2)
    {
        using var picture = Picture((Head, SignalState.Red));

        Assert.Equal(SignalState.Unknown, SignalHeadReader.Look(picture, new Box(x1, y1, x2, y2)).State);
    }

    [Fact]
    public void Classify_BothLampsLit_ReadsUnknown()
    {
        // 4 x 4 HSV pixels: the upper two rows bright saturated red, the lower two bright saturated cyan-green.
        byte[] hsv = [.. Enumerable.Repeat<byte[]>([2, 220, 240], 8).SelectMany(p => p), .. Enumerable.Repeat<byte[]>([80, 220, 240], 8).SelectMany(p => p)];

        Assert.Equal(SignalState.Unknown, SignalHeadReader.Classify(hsv, 4, 4).State);
    }

    [Fact]
    public void Read_Frames_GivesWhatLookGivesAndLeavesNoFrameOut()
    {
        var pool = new FramePool();
        using var reader = new SignalHeadReader([Head, FarHead, new Box(1.2f, 0.1f, 1.3f, 0.2f)]);
        var states = new SignalState[3];
        foreach (var (near, far) in new[] { (SignalState.Red, SignalState.Green), (SignalState.Green, SignalState.Off), (SignalState.Off, SignalState.Red) })
        {
            using var picture = Picture((Head, near), (FarHead, far));
            using (var frame = ToFrame(pool, picture))
            {
                reader.Read(frame, states);
                Assert.Equal(SignalHeadReader.Look(picture, Head), reader.Look(0, frame));
            }

            Assert.Equal([near, far, SignalState.Unknown], states);
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Read_FrameSizeChanges_ReadsTheSameHeadAtTheNewSize()
    {
        var pool = new FramePool();
        using var reader = new SignalHeadReader([Head]);
        var states = new SignalState[1];
        using var picture = Picture((Head, SignalState.Green));
        using var larger = new Mat();
        Cv2.Resize(picture, larger, new Size(960, 540), 0, 0, InterpolationFlags.Linear);

        using (var frame = ToFrame(pool, picture))
        {
            reader.Read(frame, states);
        }

        Assert.Equal(SignalState.Green, states[0]);
        using (var frame = ToFrame(pool, larger))
        {
            reader.Read(frame, states);
        }

        Assert.Equal(SignalState.Green, states[0]);
    }

    [Fact]
    public void Read_FlickerShorterThanTheHysteresis_KeepsTheState()
    {
        // Red, then single and double frames of green (a reflection, a passing bus's lamp, a JPEG blotch), then three
        // greens in a row: the state changes only on the third.
        var pool = new FramePool();
        using var reader = new SignalHeadReader([Head]);
        var signal = new CrossingSignal(heads: 1, frames: 3, feedFreshness: TimeSpan.FromSeconds(3));
        using var red = Picture((Head, SignalState.Red));
        using var green = Picture((Head, SignalState.Green));
        using var off = Picture((Head, SignalState.Off));
        Mat[] sequence = [red, red, red, green, red, green, green, red, off, red, green, green, green];
        SignalState[] expected = [SignalState.Unknown, SignalState.Unknown, SignalState.Red, SignalState.Red, SignalState.Red, SignalState.Red, SignalState.Red, SignalState.Red, SignalState.Red, SignalState.Red, SignalState.Red, SignalState.Red, SignalState.Green];
        var raw = new SignalState[1];
        var taken = new List<SignalState>();
        foreach (var picture in sequence)
        {
            using var frame = ToFrame(pool, picture);
            reader.Read(frame, raw);
            signal.ObserveHeads(raw);
            taken.Add(signal.Current(Script.Start)!.State);
        }

        Assert.Equal(expected, taken);
    }

    /// <summary>The footage frame with the heads drawn at full HD, scaled to 640x360.</summary>
    private static Mat Picture(params (Box Box, SignalState Lit)[] heads)
    {
        using var full = Footage.Value.Clone();
        foreach (var (box, lit) in heads)
        {
            var rect = new Rect((int)Math.Round(box.X1 * 1920), (int)Math.Round(box.Y1 * 1080), (int)Math.Round(box.Width * 1920), (int)Math.Round(box.Height * 1080));
            SignalHead.Draw(full, rect, lit);
        }

        var small = new Mat();
        Cv2.Resize(full, small, new Size(640, 360), 0, 0, InterpolationFlags.Area);
        return small;
    }

    private static Frame ToFrame(FramePool pool, Mat picture)
    {
        var frame = pool.Rent("cam1", picture.Width, picture.Height);
        picture.AsSpan<byte>().CopyTo(frame.Pixels);
        return frame;
    }
}
