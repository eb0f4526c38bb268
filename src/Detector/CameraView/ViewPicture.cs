using System.Runtime.InteropServices;
using CrosswalkWatch.Domain.Frames;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.CameraView;

/// <summary>
/// A camera's still view, small and grey (<see cref="Width"/> pixels wide, the height keeping the picture's aspect):
/// the median of a few frames taken over some seconds (<see cref="ViewSampler"/>), so that vehicles and pedestrians
/// passing by fade out and the road, its markings, kerbs, poles and buildings stay. The reference a camera's view is
/// checked against, and each live view it is compared with, are such pictures.
/// </summary>
public sealed class ViewPicture : IDisposable
{
    /// <summary>Width of the small picture, pixels: 1 pixel is about 0.3 % of the width, finer than any shift setting.</summary>
    public const int Width = 320;

    internal ViewPicture(Mat grey)
    {
        Grey = grey;
    }

    internal Mat Grey { get; }

    public int Height => Grey.Rows;

    /// <summary>The small picture's size for a frame of this size.</summary>
    public static Size SizeFor(int frameWidth, int frameHeight) =>
        new(Width, Math.Max(16, (int)Math.Round(frameHeight * (double)Width / frameWidth)));

    /// <summary>One frame, shrunk and made grey (the caller keeps the frame).</summary>
    public static ViewPicture Of(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var size = SizeFor(frame.Width, frame.Height);
        var pin = GCHandle.Alloc(frame.Buffer, GCHandleType.Pinned);
        try
        {
            using var whole = Mat.FromPixelData(frame.Height, frame.Width, MatType.CV_8UC3, pin.AddrOfPinnedObject(), frame.Stride);
            using var small = new Mat();
            Cv2.Resize(whole, small, size, 0, 0, InterpolationFlags.Area);
            var grey = new Mat();
            Cv2.CvtColor(small, grey, ColorConversionCodes.BGR2GRAY);
            return new ViewPicture(grey);
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>Reads a picture written by <see cref="ToJpeg"/> (or any picture: it is shrunk and made grey).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a picture OpenCV can decode.</exception>
    public static ViewPicture FromImage(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var grey = Cv2.ImDecode(encoded, ImreadModes.Grayscale);
        if (grey.Empty())
        {
            grey.Dispose();
            throw new InvalidDataException("not a picture (JPEG or PNG) that can be decoded");
        }

        if (grey.Cols == Width)
        {
            return new ViewPicture(grey);
        }

        using (grey)
        {
            var small = new Mat();
            Cv2.Resize(grey, small, SizeFor(grey.Cols, grey.Rows), 0, 0, InterpolationFlags.Area);
            return new ViewPicture(small);
        }
    }

    /// <summary>The picture as a JPEG (quality 95), for the reference file and the console.</summary>
    public byte[] ToJpeg() => Grey.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 95));

    /// <summary>The grey levels, row by row (for tests that compare pictures).</summary>
    internal byte[] ToBytes()
    {
        var bytes = new byte[Grey.Rows * Grey.Cols];
        Marshal.Copy(Grey.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    public void Dispose() => Grey.Dispose();
}
