using OpenCvSharp;

namespace CrosswalkWatch.IntegrationTests.Plates;

/// <summary><c>cww plates read|eval</c> run as an operator runs them, on the real data and the installed models.</summary>
public sealed class PlateCliTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task PlatesRead_PolicePhotoAndBlankImage_PrintsThePlateAndSaysNoPlateFound()
    {
        using var temp = new TempFolder();
        var blank = temp.File("blank.png");
        using (var image = new Mat(240, 320, MatType.CV_8UC3, Scalar.Gray))
        {
            Cv2.ImWrite(blank, image);
        }

        var result = await CwwProcess.RunAsync(Patience, "plates", "read", Path.Combine(TestAssets.Plates("vehicles"), "we_police.png"), blank);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("we_police.png: 1 plate(s)", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"1\. 鄂F8888警  white  single-layer  valid  detector 0\.\d\d at \[", result.Output);
        Assert.Matches(@"per character: 鄂 \d\.\d\d F \d\.\d\d", result.Output);
        Assert.Contains("blank.png: no plate found", result.Output, StringComparison.Ordinal);
    }

    /// <summary>A crop folder named by plate (with HyperLPR's _N_ prefixes), and a photo folder with a ground_truth.csv.</summary>
    [Theory]
    [InlineData("hyperlpr_crops", "exact 4/4 = 100.0 %")]
    [InlineData("ccpd_full", "exact 18/18 = 100.0 %")]
    public async Task PlatesEval_LabelledFolder_PrintsExactAccuracyAndErrorsPerPosition(string folder, string exact)
    {
        var result = await CwwProcess.RunAsync(Patience, "plates", "eval", TestAssets.Plates(folder));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains(exact, result.Output, StringComparison.Ordinal);
        Assert.Contains("errors per position (reads of the right length): none", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlatesEval_FolderWithoutLabels_ExitsTwoSayingWhatItExpects()
    {
        using var temp = new TempFolder();

        var result = await CwwProcess.RunAsync(Patience, "plates", "eval", temp.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no labelled images", result.Error, StringComparison.Ordinal);
    }
}
