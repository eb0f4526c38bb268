using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Frames;
using OpenCvSharp;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// Turns a BGR24 frame (or a crop of it) into a model's NCHW float input as its manifest entry says: resize mode,
/// pad value, channel order and <c>(pixel * scale - mean[c]) / std[c]</c>. The resize is OpenCV's over the pinned
/// frame pixels; the conversion is one pass over the resized pixels through a 256-entry table per channel.
/// </summary>
internal sealed class Preprocessor
{
    private readonly float[] _lut;
    private readonly int[] _sourceChannel;
    private readonly float[] _pad;

    /// <param name="trimTo">Trim a top-left letterbox to the picture rounded up to this multiple (<see cref="ModelInput.TrimTo"/>); 0 for the full input.</param>
    public Preprocessor(ModelInput input, int trimTo = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        Mode = input.Resize;
        TrimTo = trimTo;
        Height = checked((int)input.Shape[2]);
        // A dynamic width (PP-OCR) is the least width a tensor is padded to.
        Width = input.Shape[3] > 0
            ? checked((int)input.Shape[3])
            : input.MinWidth ?? throw new ArgumentException("a dynamic input width needs minWidth in the manifest", nameof(input));
        _lut = new float[3 * 256];
        _pad = new float[3];
        _sourceChannel = input.ChannelOrder == ChannelOrder.Bgr ? [0, 1, 2] : [2, 1, 0];
        double padValue = input.PadValue ?? 0;
        for (int c = 0; c < 3; c++)
        {
            for (int v = 0; v < 256; v++)
            {
                _lut[(c * 256) + v] = (float)(((v * input.Scale) - input.Mean[c]) / input.Std[c]);
            }

            // A pixel pad goes through the normalisation like any pixel; a tensor pad (PP-OCR's right padding) is the value itself.
            _pad[c] = input.PadIn == PadTarget.Tensor
                ? (float)padValue
                : (float)(((padValue * input.Scale) - input.Mean[c]) / input.Std[c]);
        }
    }

    public ResizeMode Mode { get; }

    /// <summary>The multiple a letterboxed input is trimmed to (<see cref="ModelInput.TrimTo"/>); 0 for none.</summary>
    public int TrimTo { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Floats in one input tensor of the model's full size (3 × height × width): a trimmed one takes fewer.</summary>
    public int TensorLength => 3 * Width * Height;

    /// <summary>
    /// Fills <paramref name="tensor"/> from the <paramref name="crop"/> of the frame; the resized pixels go through a
    /// buffer rented from <paramref name="scratch"/> and returned before this returns.
    /// </summary>
    public Letterbox Run(Frame frame, PixelRect crop, Span<float> tensor, CountingArrayPool<byte> scratch)
    {
        Letterbox letterbox = Letterbox.Compute(Mode, crop, frame.Width, frame.Height, Width, Height, TrimTo);
        byte[] pixels = frame.Buffer;
        if (letterbox.ResizedWidth == crop.Width && letterbox.ResizedHeight == crop.Height)
        {
            // Already the right size: read the crop in place.
            FillTensor(pixels.AsSpan((crop.Y * frame.Stride) + (crop.X * 3)), frame.Stride, letterbox, tensor);
            return letterbox;
        }

        int rowBytes = letterbox.ResizedWidth * 3;
        int length = rowBytes * letterbox.ResizedHeight;
        byte[] resized = scratch.Rent(length);
        try
        {
            Resize(pixels, frame.Width, frame.Height, crop, resized, letterbox.ResizedWidth, letterbox.ResizedHeight);
            FillTensor(resized.AsSpan(0, length), rowBytes, letterbox, tensor);
        }
        finally
        {
            scratch.Return(resized);
        }

        return letterbox;
    }

    /// <summary>Bilinear resize of a crop of packed BGR24 pixels into packed BGR24 pixels, both pinned for OpenCV.</summary>
    internal static void Resize(byte[] source, int width, int height, PixelRect crop, byte[] target, int targetWidth, int targetHeight)
    {
        GCHandle sourcePin = GCHandle.Alloc(source, GCHandleType.Pinned);
        GCHandle targetPin = GCHandle.Alloc(target, GCHandleType.Pinned);
        try
        {
            nint targetAddress = targetPin.AddrOfPinnedObject();
            using Mat whole = Mat.FromPixelData(height, width, MatType.CV_8UC3, sourcePin.AddrOfPinnedObject(), width * 3);
            using Mat roi = new(whole, new Rect(crop.X, crop.Y, crop.Width, crop.Height));
            ResizeInto(roi, targetAddress, targetWidth, targetHeight);
        }
        finally
        {
            targetPin.Free();
            sourcePin.Free();
        }
    }

    /// <summary>
    /// The place of a <paramref name="width"/> × <paramref name="height"/> BGR image in this model's input; its
    /// <see cref="Letterbox.InputWidth"/> is the tensor's width (above <see cref="Width"/> for a wide image when the
    /// width is dynamic).
    /// </summary>
    public Letterbox Place(int width, int height) =>
        Letterbox.Compute(Mode, new PixelRect(0, 0, width, height), width, height, Width, Height, TrimTo);

    /// <summary>
    /// Fills <paramref name="tensor"/> (3 × the letterbox's input size) from a packed BGR24 OpenCV image placed by
    /// <see cref="Place"/>; the resized pixels go through a buffer rented from <paramref name="scratch"/> and
    /// returned before this returns.
    /// </summary>
    public void Run(Mat image, in Letterbox letterbox, Span<float> tensor, CountingArrayPool<byte> scratch)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Type() != MatType.CV_8UC3 || !image.IsContinuous())
        {
            throw new ArgumentException($"expected a continuous BGR24 image (CV_8UC3), got {image.Type()}", nameof(image));
        }

        int rowBytes = letterbox.ResizedWidth * 3;
        int length = rowBytes * letterbox.ResizedHeight;
        byte[] resized = scratch.Rent(length);
        GCHandle pin = GCHandle.Alloc(resized, GCHandleType.Pinned);
        try
        {
            ResizeInto(image, pin.AddrOfPinnedObject(), letterbox.ResizedWidth, letterbox.ResizedHeight);
            FillTensor(resized.AsSpan(0, length), rowBytes, letterbox, tensor);
        }
        finally
        {
            pin.Free();
            scratch.Return(resized);
        }
    }

    /// <summary>Bilinear resize of <paramref name="source"/> into packed BGR24 pixels at a pinned address.</summary>
    private static void ResizeInto(Mat source, nint targetAddress, int targetWidth, int targetHeight)
    {
        using Mat resized = Mat.FromPixelData(targetHeight, targetWidth, MatType.CV_8UC3, targetAddress, targetWidth * 3);
        Cv2.Resize(source, resized, new Size(targetWidth, targetHeight), 0, 0, InterpolationFlags.Linear);
        if (resized.Data != targetAddress)
        {
            throw new InvalidOperationException("OpenCV reallocated the resize target instead of writing into the pooled buffer.");
        }
    }

    /// <summary>
    /// Writes the NCHW tensor of <see cref="Letterbox.InputWidth"/> × <see cref="Letterbox.InputHeight"/> (the model's
    /// size, or for a dynamic width the width of this batch): the <see cref="Letterbox.ResizedWidth"/> ×
    /// <see cref="Letterbox.ResizedHeight"/> BGR24 pixels (rows <paramref name="stride"/> bytes apart) at the
    /// letterbox's place, the pad value around them.
    /// </summary>
    internal void FillTensor(ReadOnlySpan<byte> pixels, int stride, in Letterbox letterbox, Span<float> tensor)
    {
        int inputWidth = letterbox.InputWidth;
        int inputHeight = letterbox.InputHeight;
        int plane = inputWidth * inputHeight;
        if (tensor.Length < 3 * plane)
        {
            throw new ArgumentException($"expected room for {3 * plane} floats, got {tensor.Length}", nameof(tensor));
        }

        Span<float> plane0 = tensor.Slice(0, plane);
        Span<float> plane1 = tensor.Slice(plane, plane);
        Span<float> plane2 = tensor.Slice(2 * plane, plane);
        ReadOnlySpan<float> lut0 = _lut.AsSpan(0, 256);
        ReadOnlySpan<float> lut1 = _lut.AsSpan(256, 256);
        ReadOnlySpan<float> lut2 = _lut.AsSpan(512, 256);
        int source0 = _sourceChannel[0];
        int source1 = _sourceChannel[1];
        int source2 = _sourceChannel[2];
        float pad0 = _pad[0];
        float pad1 = _pad[1];
        float pad2 = _pad[2];
        int width = letterbox.ResizedWidth;
        int padX = letterbox.PadX;
        int padY = letterbox.PadY;
        int right = inputWidth - padX - width;

        for (int y = 0; y < inputHeight; y++)
        {
            int row = y * inputWidth;
            int sourceY = y - padY;
            if (sourceY < 0 || sourceY >= letterbox.ResizedHeight)
            {
                plane0.Slice(row, inputWidth).Fill(pad0);
                plane1.Slice(row, inputWidth).Fill(pad1);
                plane2.Slice(row, inputWidth).Fill(pad2);
                continue;
            }

            if (padX > 0)
            {
                plane0.Slice(row, padX).Fill(pad0);
                plane1.Slice(row, padX).Fill(pad1);
                plane2.Slice(row, padX).Fill(pad2);
            }

            if (right > 0)
            {
                plane0.Slice(row + padX + width, right).Fill(pad0);
                plane1.Slice(row + padX + width, right).Fill(pad1);
                plane2.Slice(row + padX + width, right).Fill(pad2);
            }

            // Slicing checks the row's bounds once; inside it, refs walk the row without a check per value
            // (a byte indexes a 256-entry table, and x stays below the row's width).
            ReadOnlySpan<byte> source = pixels.Slice(sourceY * stride, width * 3);
            ref byte from = ref MemoryMarshal.GetReference(source);
            ref float to0 = ref MemoryMarshal.GetReference(plane0.Slice(row + padX, width));
            ref float to1 = ref MemoryMarshal.GetReference(plane1.Slice(row + padX, width));
            ref float to2 = ref MemoryMarshal.GetReference(plane2.Slice(row + padX, width));
            ref float table0 = ref MemoryMarshal.GetReference(lut0);
            ref float table1 = ref MemoryMarshal.GetReference(lut1);
            ref float table2 = ref MemoryMarshal.GetReference(lut2);
            for (int x = 0, i = 0; x < width; x++, i += 3)
            {
                Unsafe.Add(ref to0, x) = Unsafe.Add(ref table0, Unsafe.Add(ref from, i + source0));
                Unsafe.Add(ref to1, x) = Unsafe.Add(ref table1, Unsafe.Add(ref from, i + source1));
                Unsafe.Add(ref to2, x) = Unsafe.Add(ref table2, Unsafe.Add(ref from, i + source2));
            }
        }
    }
}
