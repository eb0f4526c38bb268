using OpenCvSharp;
using SkiaSharp;

namespace CrosswalkWatch.Media.Imaging;

/// <summary>
/// Text with Chinese characters on BGR pictures (evidence overlays, rendered plates), drawn with Skia in a Noto CJK
/// font and blended onto the OpenCV image. OpenCV's own text is ASCII-only, and OpenCvSharp 4.13 binds no FreeType.
/// </summary>
public static class CjkText
{
    /// <summary>The font (Debian package fonts-noto-cjk, installed by scripts/setup.sh).</summary>
    public const string FontFile = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    public const string BoldFontFile = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";

    private static readonly Lazy<SKTypeface> Regular = new(() => Load(FontFile));
    private static readonly Lazy<SKTypeface> Bold = new(() => Load(BoldFontFile));

    /// <summary>Width and height in pixels of the text at the given font size.</summary>
    public static Size Measure(string text, float pixelHeight, bool bold = false)
    {
        using var font = new SKFont(bold ? Bold.Value : Regular.Value, pixelHeight);
        var width = font.MeasureText(text);
        return new Size((int)Math.Ceiling(width), (int)Math.Ceiling(font.Spacing));
    }

    /// <summary>Draws the text with its top-left corner at <paramref name="topLeft"/>, clipped to the image.</summary>
    public static void Draw(Mat image, string text, Point topLeft, float pixelHeight, Scalar colour, bool bold = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var font = new SKFont(bold ? Bold.Value : Regular.Value, pixelHeight);
        var width = (int)Math.Ceiling(font.MeasureText(text)) + 2;
        var height = (int)Math.Ceiling(font.Spacing) + 2;
        using var bitmap = new SKBitmap(width, height, SKColorType.Bgra8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.White, IsAntialias = true })
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawText(text, 1, 1 - font.Metrics.Ascent, SKTextAlign.Left, font, paint);
        }

        // Blend the rendered coverage (alpha) of each pixel onto the image in the wanted colour.
        var x0 = Math.Max(0, topLeft.X);
        var y0 = Math.Max(0, topLeft.Y);
        var x1 = Math.Min(image.Width, topLeft.X + width);
        var y1 = Math.Min(image.Height, topLeft.Y + height);
        if (x1 <= x0 || y1 <= y0)
        {
            return;
        }

        var pixels = bitmap.GetPixelSpan();
        for (var y = y0; y < y1; y++)
        {
            var row = image.RowSpan<Vec3b>(y);
            for (var x = x0; x < x1; x++)
            {
                var alpha = pixels[((((y - topLeft.Y) * width) + (x - topLeft.X)) * 4) + 3] / 255.0;
                if (alpha <= 0)
                {
                    continue;
                }

                var under = row[x];
                row[x] = new Vec3b(
                    (byte)((under.Item0 * (1 - alpha)) + (colour.Val0 * alpha)),
                    (byte)((under.Item1 * (1 - alpha)) + (colour.Val1 * alpha)),
                    (byte)((under.Item2 * (1 - alpha)) + (colour.Val2 * alpha)));
            }
        }
    }

    private static SKTypeface Load(string path) =>
        File.Exists(path)
            ? SKTypeface.FromFile(path, 0) ?? throw new MediaException($"{path} is not a font Skia can read")
            : throw new MediaException($"font {path} not found: install the Debian package fonts-noto-cjk (scripts/setup.sh does)", permanent: true);
}
