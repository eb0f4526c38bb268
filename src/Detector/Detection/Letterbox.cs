using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>A rectangle of whole pixels inside a frame.</summary>
internal readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>
    /// The pixels a normalised region covers (outwards to whole pixels, clamped to the frame); the whole frame when
    /// <paramref name="region"/> is null.
    /// </summary>
    /// <exception cref="DetectorException">The region is not finite or covers no pixel of the frame.</exception>
    public static PixelRect FromRegion(Box? region, int frameWidth, int frameHeight)
    {
        if (region is not { } r)
        {
            return new PixelRect(0, 0, frameWidth, frameHeight);
        }

        if (!float.IsFinite(r.X1) || !float.IsFinite(r.Y1) || !float.IsFinite(r.X2) || !float.IsFinite(r.Y2))
        {
            throw new DetectorException($"The detection region {r} is not finite; expected normalised 0–1 coordinates of the frame.");
        }

        float left = Math.Clamp(r.X1, 0f, 1f);
        float top = Math.Clamp(r.Y1, 0f, 1f);
        float right = Math.Clamp(r.X2, 0f, 1f);
        float bottom = Math.Clamp(r.Y2, 0f, 1f);
        if (!(right > left && bottom > top))
        {
            throw Empty(r, frameWidth, frameHeight);
        }

        // Outwards to whole pixels, forgiving float rounding (0.2f × 1000 is 200.000003, which is pixel 200).
        const double Slack = 1e-3;
        int x1 = (int)Math.Floor((left * (double)frameWidth) + Slack);
        int y1 = (int)Math.Floor((top * (double)frameHeight) + Slack);
        int x2 = (int)Math.Ceiling((right * (double)frameWidth) - Slack);
        int y2 = (int)Math.Ceiling((bottom * (double)frameHeight) - Slack);
        if (x2 - x1 < 1 || y2 - y1 < 1)
        {
            throw Empty(r, frameWidth, frameHeight);
        }

        return new PixelRect(x1, y1, x2 - x1, y2 - y1);
    }

    private static DetectorException Empty(Box region, int frameWidth, int frameHeight) =>
        new($"The detection region {region} is empty within the {frameWidth}x{frameHeight} frame: expected X1 < X2 and " +
            "Y1 < Y2 overlapping 0–1 (normalised to the frame).");
}

/// <summary>
/// Where a crop of a frame lands in the model input, and back: the crop is resized to
/// <see cref="ResizedWidth"/> × <see cref="ResizedHeight"/> and placed at (<see cref="PadX"/>, <see cref="PadY"/>) of
/// the input, the rest padded.
/// </summary>
internal readonly record struct Letterbox(
    PixelRect Crop,
    int FrameWidth,
    int FrameHeight,
    int InputWidth,
    int InputHeight,
    int ResizedWidth,
    int ResizedHeight,
    int PadX,
    int PadY)
{
    /// <summary>Model pixels per frame pixel, across.</summary>
    public float ScaleX => (float)ResizedWidth / Crop.Width;

    /// <summary>Model pixels per frame pixel, down.</summary>
    public float ScaleY => (float)ResizedHeight / Crop.Height;

    /// <param name="trimTo">
    /// With a letterbox at the top left, cut the input down to the resized picture rounded up to this multiple (a
    /// fully convolutional model; see <see cref="Models.ModelInput.TrimTo"/>); 0 keeps the model's input size.
    /// </param>
    public static Letterbox Compute(ResizeMode mode, PixelRect crop, int frameWidth, int frameHeight, int inputWidth, int inputHeight, int trimTo = 0)
    {
        if (mode == ResizeMode.Stretch)
        {
            return new Letterbox(crop, frameWidth, frameHeight, inputWidth, inputHeight, inputWidth, inputHeight, 0, 0);
        }

        if (mode == ResizeMode.FixedHeightPadRight)
        {
            // PaddleOCR's recogniser: the input height, aspect kept (rounded up), padded on the right to at least
            // inputWidth; a wider crop makes a wider tensor (its width is dynamic).
            int resized = Math.Max(1, (int)Math.Ceiling(crop.Width * (double)inputHeight / crop.Height));
            return new Letterbox(crop, frameWidth, frameHeight, Math.Max(inputWidth, resized), inputHeight, resized, inputHeight, 0, 0);
        }

        if (mode is not (ResizeMode.LetterboxTopLeft or ResizeMode.LetterboxCentred))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "an image input is a letterbox, a stretch or a fixed height padded right");
        }

        double r = Math.Min((double)inputWidth / crop.Width, (double)inputHeight / crop.Height);
        int width = Math.Clamp((int)Math.Round(crop.Width * r), 1, inputWidth);
        int height = Math.Clamp((int)Math.Round(crop.Height * r), 1, inputHeight);
        if (mode == ResizeMode.LetterboxTopLeft && trimTo > 0)
        {
            inputWidth = Math.Min(inputWidth, RoundUp(width, trimTo));
            inputHeight = Math.Min(inputHeight, RoundUp(height, trimTo));
        }

        return mode == ResizeMode.LetterboxTopLeft
            ? new Letterbox(crop, frameWidth, frameHeight, inputWidth, inputHeight, width, height, 0, 0)
            : new Letterbox(crop, frameWidth, frameHeight, inputWidth, inputHeight, width, height,
                (inputWidth - width) / 2, (inputHeight - height) / 2);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A box in model-input pixels as a box normalised to the whole frame, clamped to 0–1.</summary>
    public Box ToFrame(Box model)
    {
        float sx = ScaleX;
        float sy = ScaleY;
        return new Box(
            Math.Clamp((((model.X1 - PadX) / sx) + Crop.X) / FrameWidth, 0f, 1f),
            Math.Clamp((((model.Y1 - PadY) / sy) + Crop.Y) / FrameHeight, 0f, 1f),
            Math.Clamp((((model.X2 - PadX) / sx) + Crop.X) / FrameWidth, 0f, 1f),
            Math.Clamp((((model.Y2 - PadY) / sy) + Crop.Y) / FrameHeight, 0f, 1f));
    }

    /// <summary>A box normalised to the whole frame in model-input pixels (the inverse of <see cref="ToFrame"/>, unclamped).</summary>
    public Box ToModel(Box frame)
    {
        float sx = ScaleX;
        float sy = ScaleY;
        return new Box(
            (((frame.X1 * FrameWidth) - Crop.X) * sx) + PadX,
            (((frame.Y1 * FrameHeight) - Crop.Y) * sy) + PadY,
            (((frame.X2 * FrameWidth) - Crop.X) * sx) + PadX,
            (((frame.Y2 * FrameHeight) - Crop.Y) * sy) + PadY);
    }
}
