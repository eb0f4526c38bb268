using CrosswalkWatch.Evidence;
using OpenCvSharp;

namespace CrosswalkWatch.UnitTests.Evidence;

public class CropQualityTests
{
    private static Mat Checkerboard(int width, int height, int blur)
    {
        var mat = new Mat(height, width, MatType.CV_8UC3, Scalar.All(0));
        for (var y = 0; y < height; y += 8)
        {
            for (var x = (y / 8 % 2) * 8; x < width; x += 16)
            {
                Cv2.Rectangle(mat, new Rect(x, y, 8, 8), Scalar.All(255), -1);
            }
        }

        if (blur > 0)
        {
            Cv2.GaussianBlur(mat, mat, new Size(0, 0), blur);
        }

        return mat;
    }

    [Fact]
    public void Best_CropsOfSizesAndSharpness_PrefersLargeSharpOnesAndKeepsCount()
    {
        using var smallSharp = Checkerboard(80, 60, 0);
        using var largeSharp = Checkerboard(320, 240, 0);
        using var largeBlurred = Checkerboard(320, 240, 6);
        using var flat = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(128));
        var crops = new List<(string, Mat)> { ("small sharp", smallSharp), ("large blurred", largeBlurred), ("flat", flat), ("large sharp", largeSharp) };

        var best = CropQuality.Best(crops, 2);

        Assert.Equal(["large sharp", "small sharp"], best.Select(b => b.Name));
        Assert.Equal(0, CropQuality.Score(flat));
        Assert.True(CropQuality.Score(largeBlurred) < CropQuality.Score(largeSharp));
    }

    [Fact]
    public void Best_EmptyInput_GivesNothing()
    {
        Assert.Empty(CropQuality.Best([], 3));
        using var empty = new Mat();
        Assert.Equal(0, CropQuality.Score(empty));
    }
}
