using System.Runtime.InteropServices;
using CrosswalkWatch.Domain.Frames;
using OpenCvSharp;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>Resizes an OpenCV image straight into a pooled frame's pixels (no intermediate copy).</summary>
internal static class MatCopy
{
    public static void ResizeInto(Mat source, Frame frame)
    {
        if (source.Type() != MatType.CV_8UC3)
        {
            throw new IngestException($"expected an 8-bit BGR image, got {source.Type()}");
        }

        var handle = GCHandle.Alloc(frame.Buffer, GCHandleType.Pinned);
        try
        {
            using var target = Mat.FromPixelData(frame.Height, frame.Width, MatType.CV_8UC3, handle.AddrOfPinnedObject(), frame.Stride);
            if (source.Width == frame.Width && source.Height == frame.Height)
            {
                source.CopyTo(target);
            }
            else
            {
                Cv2.Resize(source, target, new Size(frame.Width, frame.Height), interpolation: InterpolationFlags.Area);
            }
        }
        finally
        {
            handle.Free();
        }
    }
}
