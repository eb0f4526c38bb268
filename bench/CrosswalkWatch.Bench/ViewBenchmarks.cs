using BenchmarkDotNet.Attributes;
using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.CameraView;
using CrosswalkWatch.Domain.Frames;
using OpenCvSharp;

namespace CrosswalkWatch.Bench;

/// <summary>
/// The view check's work for one camera, on the sample footage: a frame taken as a sample (shrunk and made grey), the
/// median of five samples, and one comparison of a live median (the footage moved 16 px) with the reference. The
/// comparison is what runs on the detector's thread every <c>viewCheckSeconds</c>; its baseline measures the move on
/// the whole 320-wide picture, the contender on the picture halved.
/// </summary>
[MemoryDiagnoser]
public class ViewBenchmarks
{
    private readonly FramePool _pool = new();
    private readonly ViewSampler _sampler = new();
    private readonly List<Frame> _frames = [];
    private ViewPicture _reference = null!;
    private ViewPicture _live = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var capture = new VideoCapture(Assets.SampleFootage());
        using var decoded = new Mat();
        for (var i = 0; i < 60 && capture.Read(decoded); i++)
        {
            if (i % 4 != 0)
            {
                continue;
            }

            using var moved = i >= 30 ? Shifted(decoded, 16) : decoded.Clone();
            var frame = _pool.Rent("bench", moved.Cols, moved.Rows);
            moved.AsSpan<byte>().CopyTo(frame.Pixels);
            _frames.Add(frame);
        }

        _reference = MedianOf(_frames.Take(ViewSampler.Samples));
        _live = MedianOf(_frames.Skip(_frames.Count - ViewSampler.Samples));
        var reading = ViewCompare.Compare(_reference, _live);
        if (Math.Abs((reading.Shift.X * 640) - 16) > 1.5)
        {
            throw new InvalidOperationException($"the comparison does not find the 16 px move: {reading}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reference.Dispose();
        _live.Dispose();
        _frames.ForEach(f => f.Dispose());
    }

    [Benchmark(Description = "sample: a 640x352 frame shrunk and made grey")]
    public int Sample()
    {
        _sampler.Add(_frames[0]);
        return _sampler.Count;
    }

    [Benchmark(Description = "median of 5 samples")]
    public int Median()
    {
        using var median = MedianOf(_frames.Take(ViewSampler.Samples));
        return median.Height;
    }

    [Benchmark(Baseline = true, Description = "compare, the move measured on the 320-wide picture")]
    public double CompareWhole() => ViewCompare.Compare(_reference, _live, ViewPicture.Width).Shift.X;

    [Benchmark(Description = "compare, the move measured on the picture halved (as the box does)")]
    public double CompareHalved() => ViewCompare.Compare(_reference, _live).Shift.X;

    [Benchmark(Description = "compare, halved, the view unchanged (the usual case)")]
    public double CompareUnchanged() => ViewCompare.Compare(_reference, _reference).Shift.X;

    private ViewPicture MedianOf(IEnumerable<Frame> frames)
    {
        _sampler.Clear();
        foreach (var frame in frames)
        {
            _sampler.Add(frame);
        }

        return _sampler.Median()!;
    }

    private static Mat Shifted(Mat source, int dx)
    {
        using var shift = Mat.FromArray(new double[,] { { 1, 0, dx }, { 0, 1, 0 } });
        var moved = new Mat();
        Cv2.WarpAffine(source, moved, shift, source.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
        return moved;
    }
}
