using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Signals;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.Signals;

/// <summary>What one signal head showed in one picture: the state, and the lit share of each half.</summary>
/// <param name="RedShare">Share of the upper half's pixels that are a lit red lamp.</param>
/// <param name="GreenShare">Share of the lower half's pixels that are a lit green lamp.</param>
public readonly record struct SignalLook(SignalState State, double RedShare, double GreenShare);

/// <summary>
/// Reads the pedestrian signal heads marked in a camera's scene from its frames: red man above, green man below, as
/// Chinese heads are. Each head's box is cropped from the frame (a few hundred pixels at the detection size) and
/// converted to HSV with OpenCV; a pixel is a lit red lamp when its hue is red (OpenCV hue up to
/// <see cref="RedHueMax"/> or from <see cref="RedHueMin"/>), a lit green lamp when its hue is green to cyan
/// (<see cref="GreenHueMin"/>–<see cref="GreenHueMax"/>, Chinese green men are bluish), and either only when it is
/// saturated (<see cref="MinSaturation"/>) and bright (<see cref="MinValue"/>) — a dark lamp's tint in daylight is
/// neither. A half is lit when at least <see cref="LitShare"/> of its pixels are: red lit and green dark is red, green
/// lit and red dark is green, both dark is off, both lit is unknown. A box smaller than <see cref="MinWidth"/> ×
/// <see cref="MinHeight"/> pixels in the frame, or outside it, reads unknown.
/// <para>
/// The hot path (<see cref="Read"/>, every frame the detector processes) allocates no managed memory of its own: each
/// head keeps its crop, its HSV picture and its rectangle for the frame size, and the crop is copied in row by row;
/// only OpenCvSharp's argument wrappers of the one colour conversion are made per call. Not thread-safe: one reader per
/// camera pipeline.
/// </para>
/// </summary>
public sealed class SignalHeadReader : IDisposable
{
    /// <summary>Red hues (OpenCV 0–179) up to this one.</summary>
    public const int RedHueMax = 10;

    /// <summary>…and from this one.</summary>
    public const int RedHueMin = 165;

    /// <summary>Green to cyan hues, from this one…</summary>
    public const int GreenHueMin = 40;

    /// <summary>…to this one.</summary>
    public const int GreenHueMax = 100;

    /// <summary>A lit lamp's pixel is at least this saturated (0–255).</summary>
    public const int MinSaturation = 90;

    /// <summary>A lit lamp's pixel is at least this bright (HSV value, 0–255).</summary>
    public const int MinValue = 150;

    /// <summary>The share of a half's pixels that must be lit for its lamp to be on.</summary>
    public const double LitShare = 0.06;

    /// <summary>The smallest box read, in frame pixels.</summary>
    public const int MinWidth = 3;

    /// <summary>The smallest box read, in frame pixels (each half then has at least 3 rows).</summary>
    public const int MinHeight = 6;

    private readonly Head[] _heads;

    /// <param name="boxes">The heads' boxes in 0–1 of the picture, in the scene's order.</param>
    public SignalHeadReader(IReadOnlyList<Box> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        _heads = boxes.Select(b => new Head(b)).ToArray();
    }

    /// <summary>A reader of the heads a scene marks (<c>signals:</c>), in its order.</summary>
    public static SignalHeadReader For(IReadOnlyList<SignalDefinition> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        return new SignalHeadReader(signals.Select(BoxOf).ToList());
    }

    /// <summary>A scene's signal head box (two corners, as the scene loader checked them) as a <see cref="Box"/>.</summary>
    public static Box BoxOf(SignalDefinition signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return new Box((float)signal.Box[0][0], (float)signal.Box[0][1], (float)signal.Box[1][0], (float)signal.Box[1][1]);
    }

    /// <summary>How many heads are read.</summary>
    public int Count => _heads.Length;

    /// <summary>Reads every head on <paramref name="frame"/> (the caller keeps it) into <paramref name="states"/>, in order.</summary>
    public void Read(Frame frame, Span<SignalState> states)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (states.Length != _heads.Length)
        {
            throw new ArgumentException($"room for {states.Length} states, {_heads.Length} heads to read", nameof(states));
        }

        for (var i = 0; i < _heads.Length; i++)
        {
            states[i] = _heads[i].Read(frame).State;
        }
    }

    /// <summary>Reads head <paramref name="index"/> on <paramref name="frame"/>, with the shares (for operators and tests).</summary>
    public SignalLook Look(int index, Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return _heads[index].Read(frame);
    }

    /// <summary>Reads the head in <paramref name="box"/> (0–1) of a BGR picture (allocates: for tools and tests, not the frame loop).</summary>
    public static SignalLook Look(Mat bgr, Box box)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"a BGR picture (8-bit, 3 channels) is needed, not {bgr.Type()}", nameof(bgr));
        }

        if (PixelRect(box, bgr.Width, bgr.Height) is not { } rect)
        {
            return new SignalLook(SignalState.Unknown, 0, 0);
        }

        using var crop = new Mat(bgr, rect);
        using var hsv = new Mat();
        Cv2.CvtColor(crop, hsv, ColorConversionCodes.BGR2HSV);
        return Classify(hsv.AsSpan<byte>(), rect.Width, rect.Height);
    }

    public void Dispose()
    {
        foreach (var head in _heads)
        {
            head.Dispose();
        }
    }

    /// <summary>The box in pixels of a picture of this size, clipped to it; null when what is left is too small to read.</summary>
    internal static Rect? PixelRect(Box box, int width, int height)
    {
        var x1 = Math.Max(0, (int)Math.Floor(box.X1 * width));
        var y1 = Math.Max(0, (int)Math.Floor(box.Y1 * height));
        var x2 = Math.Min(width, (int)Math.Ceiling(box.X2 * width));
        var y2 = Math.Min(height, (int)Math.Ceiling(box.Y2 * height));
        return x2 - x1 >= MinWidth && y2 - y1 >= MinHeight ? new Rect(x1, y1, x2 - x1, y2 - y1) : null;
    }

    /// <summary>Counts lit red pixels in the upper half and lit green ones in the lower half of a packed HSV crop.</summary>
    internal static SignalLook Classify(ReadOnlySpan<byte> hsv, int width, int height)
    {
        var upperRows = height / 2;
        var lowerStart = height - upperRows; // an odd middle row belongs to neither half
        int red = 0, green = 0;
        for (var row = 0; row < upperRows; row++)
        {
            red += CountLit(hsv.Slice(row * width * 3, width * 3), green: false);
        }

        for (var row = lowerStart; row < height; row++)
        {
            green += CountLit(hsv.Slice(row * width * 3, width * 3), green: true);
        }

        var half = (double)(upperRows * width);
        var redShare = red / half;
        var greenShare = green / half;
        var state = (redShare >= LitShare, greenShare >= LitShare) switch
        {
            (true, false) => SignalState.Red,
            (false, true) => SignalState.Green,
            (false, false) => SignalState.Off,
            _ => SignalState.Unknown,
        };
        return new SignalLook(state, Math.Round(redShare, 4), Math.Round(greenShare, 4));
    }

    private static int CountLit(ReadOnlySpan<byte> row, bool green)
    {
        var lit = 0;
        for (var i = 0; i + 2 < row.Length; i += 3)
        {
            int h = row[i], s = row[i + 1], v = row[i + 2];
            if (s < MinSaturation || v < MinValue)
            {
                continue;
            }

            lit += green
                ? (h >= GreenHueMin && h <= GreenHueMax ? 1 : 0)
                : (h <= RedHueMax || h >= RedHueMin ? 1 : 0);
        }

        return lit;
    }

    /// <summary>One head: its box, and for the frame size last seen its pixel rectangle, crop and HSV picture.</summary>
    private sealed class Head(Box box) : IDisposable
    {
        private int _width;
        private int _height;
        private Rect? _rect;
        private Mat? _crop;
        private Mat? _hsv;

        public SignalLook Read(Frame frame)
        {
            if (frame.Width != _width || frame.Height != _height)
            {
                Prepare(frame.Width, frame.Height);
            }

            if (_rect is not { } rect)
            {
                return new SignalLook(SignalState.Unknown, 0, 0);
            }

            // The crop, row by row from the frame's packed BGR rows into the head's own continuous picture.
            var pixels = frame.Pixels;
            var target = _crop!.AsSpan<byte>();
            var rowBytes = rect.Width * 3;
            for (var row = 0; row < rect.Height; row++)
            {
                pixels.Slice(((rect.Y + row) * frame.Stride) + (rect.X * 3), rowBytes).CopyTo(target.Slice(row * rowBytes, rowBytes));
            }

            Cv2.CvtColor(_crop, _hsv!, ColorConversionCodes.BGR2HSV);
            return Classify(_hsv!.AsSpan<byte>(), rect.Width, rect.Height);
        }

        private void Prepare(int width, int height)
        {
            _width = width;
            _height = height;
            _crop?.Dispose();
            _hsv?.Dispose();
            _crop = null;
            _hsv = null;
            _rect = PixelRect(box, width, height);
            if (_rect is { } rect)
            {
                _crop = new Mat(rect.Height, rect.Width, MatType.CV_8UC3);
                _hsv = new Mat(rect.Height, rect.Width, MatType.CV_8UC3);
            }
        }

        public void Dispose()
        {
            _crop?.Dispose();
            _hsv?.Dispose();
        }
    }
}
