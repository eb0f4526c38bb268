using CrosswalkWatch.Detector.CameraView;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Ingest.Sources;
using CrosswalkWatch.Testing;
using OpenCvSharp;

namespace CrosswalkWatch.UnitTests.CameraView;

/// <summary>
/// The view check on the real crossing footage, each fault made in the test from the footage's own frames: a camera
/// knocked (shifted, turned), a patch over the lens, a drifted focus, a dark picture. The unchanged footage, with
/// its traffic, must read as the reference; each fault as itself and nothing else.
/// </summary>
public class ViewCompareTests
{
    private const double FramesPerSecond = 11;

    private static readonly Lazy<Mat[]> Footage = new(ReadFootage);

    [Fact]
    public void Judge_UnchangedFootageLaterInTheClip_IsOk()
    {
        using var reference = Median(0, f => f);
        using var live = Median(6, f => f);

        var reading = ViewCompare.Compare(reference, live);
        var (state, why) = ViewJudge.Judge(reading, new ViewLimits());

        Assert.True(state == ViewState.Ok, $"{state}: {why.English}");
        Assert.True(reading.MovePercent < 0.5, why.English);
        Assert.True(reading.Match > 0.8, why.English);
    }

    [Theory]
    [InlineData(16, 0, 0)] // 16 px of 640: 2.5 % right
    [InlineData(-10, 12, 0)]
    [InlineData(0, 0, 3)] // turned 3° about the centre
    public void Judge_CameraKnocked_IsMovedWithTheShift(int dx, int dy, double degrees)
    {
        using var reference = Median(0, f => f);
        using var live = Median(6, f => Warp(f, dx, dy, degrees));

        var reading = ViewCompare.Compare(reference, live);
        var (state, why) = ViewJudge.Judge(reading, new ViewLimits());

        Assert.True(state == ViewState.Moved, $"{state}: {why.English}");
        Assert.Equal(dx / 640.0, reading.Shift.X, 0.006);
        Assert.Equal(dy / 352.0, reading.Shift.Y, 0.01);
        Assert.Equal(degrees, reading.Shift.Degrees, 0.4);
    }

    [Fact]
    public void Judge_ShakeOfTwoPixels_IsOk()
    {
        using var reference = Median(0, f => f);
        using var live = Median(6, f => Warp(f, 2, -2, 0.2));

        var (state, why) = ViewJudge.Judge(ViewCompare.Compare(reference, live), new ViewLimits());

        Assert.True(state == ViewState.Ok, $"{state}: {why.English}");
    }

    [Fact]
    public void Judge_PatchOverThirdOfTheLens_IsBlocked()
    {
        using var reference = Median(0, f => f);
        using var live = Median(6, f => Painted(f, new Rect(0, 0, 380, 352), Scalar.All(40)));

        var (state, why) = ViewJudge.Judge(ViewCompare.Compare(reference, live), new ViewLimits());

        Assert.True(state == ViewState.Blocked, $"{state}: {why.English}");
    }

    [Fact]
    public void Judge_FocusDrifted_IsBlurred()
    {
        using var reference = Median(0, f => f);
        using var live = Median(6, f => Blurred(f, 2));

        var (state, why) = ViewJudge.Judge(ViewCompare.Compare(reference, live), new ViewLimits());

        Assert.True(state == ViewState.Blurred, $"{state}: {why.English}");
    }

    [Fact]
    public void Judge_PictureAlmostBlack_IsExposure()
    {
        using var reference = Median(0, f => f);
        using var live = Median(6, f => Scaled(f, 0.08));

        var (state, why) = ViewJudge.Judge(ViewCompare.Compare(reference, live), new ViewLimits());

        Assert.True(state == ViewState.Exposure, $"{state}: {why.English}");
        Assert.Equal("too dark: 100 % of the picture is black", why.English);
    }

    [Theory]
    [InlineData(0.3)] // dusk: a dim picture keeps its detail
    [InlineData(1.6)] // noon: a bright one too
    public void Judge_SameViewDimmerOrBrighter_IsOk(double gain)
    {
        using var reference = Median(0, f => f);
        using var live = Median(6, f => Scaled(f, gain));

        var (state, why) = ViewJudge.Judge(ViewCompare.Compare(reference, live), new ViewLimits());

        Assert.True(state == ViewState.Ok, $"{state}: {why.English}");
    }

    [Fact]
    public void Judge_MoveWithinTheSettings_IsOkAndBeyondIsMoved()
    {
        using var reference = Median(0, f => f);
        using var live = Median(6, f => Warp(f, 10, 0, 0)); // 1.6 % of the width

        var reading = ViewCompare.Compare(reference, live);

        Assert.Equal(ViewState.Ok, ViewJudge.Judge(reading, new ViewLimits(MovePercent: 2)).State);
        Assert.Equal(ViewState.Moved, ViewJudge.Judge(reading, new ViewLimits(MovePercent: 1)).State);
    }

    [Fact]
    public void Usable_FootageIsAndABlackPictureIsNot()
    {
        using var footage = Median(0, f => f);
        using var black = Median(0, f => Scaled(f, 0));

        Assert.True(ViewCompare.Usable(footage, out var why), why?.English);
        Assert.False(ViewCompare.Usable(black, out why));
        Assert.Contains("black", why!.English, StringComparison.Ordinal);
    }

    [Fact]
    public void Median_PassingTrafficFadesOut()
    {
        var sampler = new ViewSampler();
        Assert.Null(sampler.Median());

        using var median = Median(0, f => f);
        using var single = Picture(Footage.Value[0]);
        using var later = Median(6, f => f);

        // The median of frames 0.4 s apart is closer to another such median than one frame is: what moved is gone.
        Assert.True(Difference(median, later) < Difference(single, later), $"median {Difference(median, later):F2}, single frame {Difference(single, later):F2}");
    }

    [Fact]
    public void FromImage_ReferenceRoundTripsThroughJpeg()
    {
        using var reference = Median(0, f => f);
        using var again = ViewPicture.FromImage(reference.ToJpeg());

        var (state, why) = ViewJudge.Judge(ViewCompare.Compare(reference, again), new ViewLimits());

        Assert.True(state == ViewState.Ok, $"{state}: {why.English}");
        Assert.Throws<InvalidDataException>(() => ViewPicture.FromImage([1, 2, 3]));
    }

    /// <summary>The median view of 5 frames 0.4 s apart from <paramref name="second"/> on, each changed by <paramref name="change"/>.</summary>
    private static ViewPicture Median(double second, Func<Mat, Mat> change)
    {
        var sampler = new ViewSampler();
        for (var i = 0; i < ViewSampler.Samples; i++)
        {
            var source = Footage.Value[(int)Math.Round((second + (i * 0.4)) * FramesPerSecond)];
            var changed = change(source);
            using var frame = FrameOf(changed);
            sampler.Add(frame);
            if (!ReferenceEquals(changed, source))
            {
                changed.Dispose(); // the footage's own frames are shared by the tests
            }
        }

        return sampler.Median()!;
    }

    private static ViewPicture Picture(Mat mat)
    {
        using var frame = FrameOf(mat);
        return ViewPicture.Of(frame);
    }

    private static Frame FrameOf(Mat mat)
    {
        var frame = new FramePool().Rent("cam1", mat.Cols, mat.Rows);
        MatCopy.ResizeInto(mat, frame);
        return frame;
    }

    private static double Difference(ViewPicture a, ViewPicture b)
    {
        var (x, y) = (a.ToBytes(), b.ToBytes());
        return x.Zip(y, (p, q) => Math.Abs(p - q)).Average();
    }

    private static Mat Warp(Mat source, double dx, double dy, double degrees)
    {
        using var rotation = Cv2.GetRotationMatrix2D(new Point2f((source.Cols - 1) / 2f, (source.Rows - 1) / 2f), -degrees, 1);
        rotation.Set(0, 2, rotation.At<double>(0, 2) + dx);
        rotation.Set(1, 2, rotation.At<double>(1, 2) + dy);
        var warped = new Mat();
        Cv2.WarpAffine(source, warped, rotation, source.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
        return warped;
    }

    private static Mat Painted(Mat source, Rect rect, Scalar colour)
    {
        var painted = source.Clone();
        painted.Rectangle(rect, colour, -1);
        return painted;
    }

    private static Mat Blurred(Mat source, double sigma)
    {
        var blurred = new Mat();
        Cv2.GaussianBlur(source, blurred, new Size(0, 0), sigma);
        return blurred;
    }

    private static Mat Scaled(Mat source, double factor)
    {
        var scaled = new Mat();
        source.ConvertTo(scaled, -1, factor, 0);
        return scaled;
    }

    /// <summary>The footage's frames: 143 over its 13 s (11 a second).</summary>
    private static Mat[] ReadFootage()
    {
        using var capture = new VideoCapture(TestAssets.CrosswalkFootage);
        var frames = new List<Mat>();
        var count = (int)capture.Get(VideoCaptureProperties.FrameCount);
        using var frame = new Mat();
        for (var index = 0; index < count; index++)
        {
            // The file has a few undecodable frames; a camera sends such too. Step over them.
            if (capture.Read(frame) && !frame.Empty())
            {
                frames.Add(frame.Clone());
            }
        }

        Assert.True(frames.Count > 120, $"read {frames.Count} frames from {TestAssets.CrosswalkFootage}");
        return [.. frames];
    }
}
