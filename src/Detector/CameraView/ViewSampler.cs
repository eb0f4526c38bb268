using System.Runtime.InteropServices;
using CrosswalkWatch.Domain.Frames;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.CameraView;

/// <summary>
/// Keeps the last <see cref="Samples"/> frames of a camera, small and grey, and gives their per-pixel median
/// (<see cref="Median"/>): what stays in the picture while traffic passes. A vehicle that stands still in all of
/// them stays too; that is why a view is judged over several checks. A frame of another size (the stream came back
/// at another resolution) starts the samples again. Not thread-safe: one sampler per camera.
/// </summary>
public sealed class ViewSampler
{
    /// <summary>Frames the median is taken over (odd).</summary>
    public const int Samples = 5;

    private readonly byte[][] _samples = new byte[Samples][];
    private (int Width, int Height) _size;
    private int _next;

    /// <summary>Frames kept so far, up to <see cref="Samples"/>.</summary>
    public int Count { get; private set; }

    public bool Full => Count == Samples;

    /// <summary>Takes one frame (the caller keeps it).</summary>
    public void Add(Frame frame)
    {
        using var picture = ViewPicture.Of(frame);
        var size = (picture.Grey.Cols, picture.Grey.Rows);
        if (size != _size)
        {
            _size = size;
            Clear();
        }

        var sample = _samples[_next] ??= new byte[size.Cols * size.Rows];
        if (sample.Length != size.Cols * size.Rows)
        {
            sample = _samples[_next] = new byte[size.Cols * size.Rows];
        }

        Marshal.Copy(picture.Grey.Data, sample, 0, sample.Length);
        _next = (_next + 1) % Samples;
        Count = Math.Min(Samples, Count + 1);
    }

    public void Clear()
    {
        Count = 0;
        _next = 0;
    }

    /// <summary>The per-pixel median of the frames kept; null until <see cref="Samples"/> frames are kept.</summary>
    public ViewPicture? Median()
    {
        if (!Full)
        {
            return null;
        }

        var length = _size.Width * _size.Height;
        var median = new byte[length];
        Span<byte> values = stackalloc byte[Samples];
        for (var i = 0; i < length; i++)
        {
            for (var s = 0; s < Samples; s++)
            {
                values[s] = _samples[s][i];
            }

            values.Sort();
            median[i] = values[Samples / 2];
        }

        var grey = new Mat(_size.Height, _size.Width, MatType.CV_8UC1);
        Marshal.Copy(median, 0, grey.Data, length);
        return new ViewPicture(grey);
    }
}
