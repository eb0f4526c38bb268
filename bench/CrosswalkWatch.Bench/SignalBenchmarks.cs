using BenchmarkDotNet.Attributes;
using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.Signals;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Scenarios;
using OpenCvSharp;

namespace CrosswalkWatch.Bench;

/// <summary>
/// Reading a camera's pedestrian signal heads on one 640×360 frame, as the pipeline does on every frame it processes:
/// a frame of the sample footage with two heads drawn (the generated scene's, about 18×36 pixels, lit red; a far one,
/// about 9×18, lit green). <see cref="SignalHeadReader.Read"/> (each head's crop and HSV picture kept, the crop copied
/// in row by row, the lit pixels counted over a span) beside the plain OpenCV a first version would write (a Mat over
/// the pinned frame, a new crop, HSV picture and masks per head per frame, InRange and CountNonZero), and a
/// hand-written C# loop that needs no OpenCV at all.
/// </summary>
[MemoryDiagnoser]
public class SignalBenchmarks
{
    private static readonly Box[] Heads = [new(0.277f, 0.24f, 0.305f, 0.34f), new(0.60f, 0.08f, 0.614f, 0.13f)];

    private readonly FramePool _pool = new();
    private readonly SignalState[] _states = new SignalState[Heads.Length];
    private Frame _frame = null!;
    private SignalHeadReader _reader = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var capture = new VideoCapture(Assets.SampleFootage());
        using var decoded = new Mat();
        for (var i = 0; i < 30 && capture.Read(decoded); i++)
        {
        }

        using var full = new Mat();
        Cv2.Resize(decoded, full, new Size(1920, 1080), 0, 0, InterpolationFlags.Lanczos4);
        SignalHead.Draw(full, Pixels(Heads[0], 1920, 1080), SignalState.Red);
        SignalHead.Draw(full, Pixels(Heads[1], 1920, 1080), SignalState.Green);
        using var small = new Mat();
        Cv2.Resize(full, small, new Size(640, 360), 0, 0, InterpolationFlags.Area);
        _frame = _pool.Rent("bench", 640, 360);
        small.AsSpan<byte>().CopyTo(_frame.Pixels);
        _reader = new SignalHeadReader(Heads);
        _reader.Read(_frame, _states);
        if (_states[0] != SignalState.Red || _states[1] != SignalState.Green || NewMatsPerFrame() != 2 || HandWritten() != 2)
        {
            throw new InvalidOperationException($"the contenders do not read the drawn heads: {string.Join(", ", _states)}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _frame.Dispose();
    }

    [Benchmark(Baseline = true, Description = "new Mats per head per frame, InRange + CountNonZero")]
    public int NewMatsPerFrame()
    {
        var read = 0;
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(_frame.Buffer, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            using var whole = Mat.FromPixelData(_frame.Height, _frame.Width, MatType.CV_8UC3, handle.AddrOfPinnedObject(), _frame.Stride);
            foreach (var box in Heads)
            {
                var rect = Pixels(box, _frame.Width, _frame.Height);
                using var crop = new Mat(whole, rect);
                using var hsv = new Mat();
                Cv2.CvtColor(crop, hsv, ColorConversionCodes.BGR2HSV);
                using var upper = new Mat(hsv, new Rect(0, 0, rect.Width, rect.Height / 2));
                using var lower = new Mat(hsv, new Rect(0, rect.Height - (rect.Height / 2), rect.Width, rect.Height / 2));
                using var low = new Mat();
                using var high = new Mat();
                using var green = new Mat();
                Cv2.InRange(upper, new Scalar(0, SignalHeadReader.MinSaturation, SignalHeadReader.MinValue), new Scalar(SignalHeadReader.RedHueMax, 255, 255), low);
                Cv2.InRange(upper, new Scalar(SignalHeadReader.RedHueMin, SignalHeadReader.MinSaturation, SignalHeadReader.MinValue), new Scalar(179, 255, 255), high);
                Cv2.InRange(lower, new Scalar(SignalHeadReader.GreenHueMin, SignalHeadReader.MinSaturation, SignalHeadReader.MinValue), new Scalar(SignalHeadReader.GreenHueMax, 255, 255), green);
                var half = (double)(rect.Width * (rect.Height / 2));
                var redLit = (Cv2.CountNonZero(low) + Cv2.CountNonZero(high)) / half >= SignalHeadReader.LitShare;
                var greenLit = Cv2.CountNonZero(green) / half >= SignalHeadReader.LitShare;
                read += redLit != greenLit ? 1 : 0;
            }
        }
        finally
        {
            handle.Free();
        }

        return read;
    }

    [Benchmark(Description = "SignalHeadReader.Read")]
    public int Reader()
    {
        _reader.Read(_frame, _states);
        return _states.Length;
    }

    [Benchmark(Description = "hand-written BGR loop, no OpenCV")]
    public int HandWritten()
    {
        var read = 0;
        var pixels = _frame.Pixels;
        foreach (var box in Heads)
        {
            var rect = Pixels(box, _frame.Width, _frame.Height);
            var rows = rect.Height / 2;
            int red = 0, green = 0;
            for (var row = 0; row < rows; row++)
            {
                red += Lit(pixels.Slice(((rect.Y + row) * _frame.Stride) + (rect.X * 3), rect.Width * 3), wantGreen: false);
                green += Lit(pixels.Slice(((rect.Y + rect.Height - rows + row) * _frame.Stride) + (rect.X * 3), rect.Width * 3), wantGreen: true);
            }

            var half = (double)(rect.Width * rows);
            read += (red / half >= SignalHeadReader.LitShare) != (green / half >= SignalHeadReader.LitShare) ? 1 : 0;
        }

        return read;
    }

    /// <summary>Lit pixels of one BGR row: OpenCV's 8-bit HSV (hue 0–179) worked out per pixel.</summary>
    private static int Lit(ReadOnlySpan<byte> row, bool wantGreen)
    {
        var lit = 0;
        for (var i = 0; i < row.Length; i += 3)
        {
            int b = row[i], g = row[i + 1], r = row[i + 2];
            var max = Math.Max(r, Math.Max(g, b));
            var min = Math.Min(r, Math.Min(g, b));
            var chroma = max - min;
            if (max < SignalHeadReader.MinValue || max == 0 || chroma * 255 < SignalHeadReader.MinSaturation * max)
            {
                continue;
            }

            var degrees = max == r ? 60.0 * (g - b) / chroma : max == g ? 120 + (60.0 * (b - r) / chroma) : 240 + (60.0 * (r - g) / chroma);
            var hue = (int)Math.Round((degrees < 0 ? degrees + 360 : degrees) / 2);
            lit += wantGreen
                ? (hue >= SignalHeadReader.GreenHueMin && hue <= SignalHeadReader.GreenHueMax ? 1 : 0)
                : (hue <= SignalHeadReader.RedHueMax || hue >= SignalHeadReader.RedHueMin ? 1 : 0);
        }

        return lit;
    }

    private static Rect Pixels(Box box, int width, int height) =>
        new((int)Math.Floor(box.X1 * width), (int)Math.Floor(box.Y1 * height), (int)Math.Ceiling(box.X2 * width) - (int)Math.Floor(box.X1 * width), (int)Math.Ceiling(box.Y2 * height) - (int)Math.Floor(box.Y1 * height));
}
