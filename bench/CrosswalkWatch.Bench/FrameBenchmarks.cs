using BenchmarkDotNet.Attributes;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Ingest.Sources;
using OpenCvSharp;

namespace CrosswalkWatch.Bench;

/// <summary>
/// The per-frame work on the C# side of ingest: getting a buffer for a 640×360 BGR frame, and resizing a decoded
/// 1080p picture into it. Each contender stands beside the plain hand-written way it replaces.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FrameBenchmarks
{
    private const int Width = 640;
    private const int Height = 360;
    private readonly FramePool _pool = new();
    private Mat _decoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _decoded = new Mat(1080, 1920, MatType.CV_8UC3);
        Cv2.Randu(_decoded, Scalar.All(0), Scalar.All(255));
    }

    [GlobalCleanup]
    public void Cleanup() => _decoded.Dispose();

    [Benchmark(Baseline = true, Description = "new byte[] per frame")]
    [BenchmarkCategory("buffer")]
    public byte[] NewArrayPerFrame() => new byte[Width * Height * 3];

    [Benchmark(Description = "FramePool rent + dispose")]
    [BenchmarkCategory("buffer")]
    public int PooledFrame()
    {
        using var frame = _pool.Rent("bench", Width, Height);
        return frame.Length;
    }

    [Benchmark(Baseline = true, Description = "resize to new Mat, copy out to byte[]")]
    [BenchmarkCategory("resize")]
    public byte[] ResizeThenCopy()
    {
        using var resized = new Mat();
        Cv2.Resize(_decoded, resized, new Size(Width, Height), interpolation: InterpolationFlags.Area);
        var pixels = new byte[Width * Height * 3];
        System.Runtime.InteropServices.Marshal.Copy(resized.Data, pixels, 0, pixels.Length);
        return pixels;
    }

    [Benchmark(Description = "resize straight into a pooled frame")]
    [BenchmarkCategory("resize")]
    public int ResizeIntoPooledFrame()
    {
        using var frame = _pool.Rent("bench", Width, Height);
        MatCopy.ResizeInto(_decoded, frame);
        return frame.Length;
    }
}
