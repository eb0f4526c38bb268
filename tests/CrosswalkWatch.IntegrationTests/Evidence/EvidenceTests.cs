using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using OpenCvSharp;

namespace CrosswalkWatch.IntegrationTests.Evidence;

/// <summary>Evidence packages built from the real footage: overlay present, hashes verify, tampering detected, all or nothing.</summary>
public class EvidenceTests
{
    internal static readonly DateTimeOffset FileStart = new(2026, 11, 28, 1, 30, 0, TimeSpan.Zero);
    /// <summary>Site jn-0417's box's signing key (made once per test run).</summary>
    internal static readonly EvidenceSigner Signer = EvidenceSigner.CreateEphemeral();

    /// <summary>What its packages verify with: the box's public key registered for jn-0417.</summary>
    internal static readonly EvidenceKeys Key = EvidenceKeys.Of("jn-0417", Signer);

    internal static readonly EvidenceSite Site = new("jn-0417", "解放路/人民路", TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), Signer);
    internal static readonly EvidenceCamera Camera = new("cam1", "北进口", "southbound");

    /// <summary>A candidate on the real footage (played from <see cref="FileStart"/>): vehicle <paramref name="track"/> crossing at 5–7 s.</summary>
    internal static ViolationCandidate Candidate(int track = 42) => new(
        "cam1",
        track,
        "T1",
        "towards the camera",
        new YieldMoment(25, FileStart.AddSeconds(5.0), new Box(0.05f, 0.50f, 0.30f, 0.72f)),
        new YieldMoment(30, FileStart.AddSeconds(6.0), new Box(0.10f, 0.52f, 0.36f, 0.76f)),
        new YieldMoment(35, FileStart.AddSeconds(7.0), new Box(0.15f, 0.55f, 0.45f, 0.85f)),
        1.6,
        false,
        [new PedestrianReason(7, new Box(0.55f, 0.55f, 0.58f, 0.70f), ConflictKind.NearHalf, 0.4, 0.8, 5)]);

    [Fact]
    public async Task Build_RealFootage_WritesEverythingPoliceNeedAndItVerifies()
    {
        using var temp = new TempFolder();
        var builder = new EvidenceBuilder(temp.Path, Site);

        var package = await builder.BuildAsync(Candidate(), Camera, new FileEvidenceSource(TestAssets.CrosswalkFootage, FileStart));

        Assert.StartsWith(Path.Combine(temp.Path, "2026-11-28"), package.Folder, StringComparison.Ordinal);
        Assert.Equal("jn-0417-cam1-20261128T013006000-v42", package.CaseId);
        string[] expected = ["clip.mp4", "photo1-before-line.jpg", "photo2-on-line.jpg", "photo3-leaving.jpg", "vehicle.jpg", "vehicle.json", "candidate.json"];
        Assert.Equal(expected.Order(), package.Manifest.Files.Select(f => f.Name).Order());
        var check = await EvidenceVerifier.VerifyAsync(package.Folder, Key);
        Assert.Empty(check.Problems);
        Assert.Equal(($"signed by site jn-0417's own key {Signer.KeyId} (ECDSA P-256)", false), (check.SignedBy, check.Legacy));
        Assert.Equal(["photo1-before-line.jpg", "photo2-on-line.jpg", "photo3-leaving.jpg"], package.Manifest.Marks!.Select(m => m.File));
        Assert.Empty(Directory.GetDirectories(Path.Combine(temp.Path, ".incoming")));

        // The reasons keep the text older packages have on the wire ("near half", not "nearHalf"), and read back.
        var reasons = await File.ReadAllTextAsync(Path.Combine(package.Folder, "candidate.json"));
        using (var document = JsonDocument.Parse(reasons))
        {
            Assert.Equal("near half", document.RootElement.GetProperty("pedestrians")[0].GetProperty("where").GetString());
        }

        Assert.Equal(Candidate().Pedestrians, JsonSerializer.Deserialize<ViolationCandidate>(reasons, EvidenceJson.Files)!.Pedestrians);

        // About 10 s around the event: 5 s before the first photo to 5 s after the last.
        Assert.InRange(await DurationAsync(Path.Combine(package.Folder, "clip.mp4")), 11, 13);

        // Each photo is the camera's full picture with the overlay band burned in at the top, and the rest untouched.
        using var raw = await FrameAtAsync(TestAssets.CrosswalkFootage, 5.0, temp);
        using var photo = Cv2.ImRead(Path.Combine(package.Folder, "photo1-before-line.jpg"));
        Assert.Equal((640, 352), (photo.Width, photo.Height));
        var band = photo.Height / 30 * 2;
        Assert.True(MeanDifference(photo, raw, new Rect(0, 0, photo.Width, band)) > 40, "the overlay band differs from the picture");
        Assert.True(MeanDifference(photo, raw, new Rect(0, band + 10, photo.Width, photo.Height - band - 10)) < 4, "below the band the picture is unchanged");
        using var crop = Cv2.ImRead(Path.Combine(package.Folder, "vehicle.jpg"));
        Assert.True(crop.Width > 150 && crop.Height > 70, $"vehicle crop {crop.Width}x{crop.Height}");
    }

    [Fact]
    public async Task Build_CameraWithAPedestrianSignal_BurnsItsStateIntoEachPhotoUnderTheMarkAndKeepsItInCandidateJson()
    {
        using var temp = new TempFolder();
        var plain = Candidate();
        var red = SignalReading.Of(SignalState.Red, SignalSource.Image);
        var candidate = plain with
        {
            BeforeLine = plain.BeforeLine with { Signal = red },
            OnLine = plain.OnLine with { Signal = red },
            Leaving = plain.Leaving with { Signal = SignalReading.Of(SignalState.Green, SignalSource.Feed) },
            Pedestrians = [plain.Pedestrians[0] with { StartedOnSignal = SignalState.Green }],
        };

        var package = await new EvidenceBuilder(temp.Path, Site).BuildAsync(candidate, Camera, new FileEvidenceSource(TestAssets.CrosswalkFootage, FileStart));

        Assert.Empty((await EvidenceVerifier.VerifyAsync(package.Folder, Key)).Problems);
        var marks = package.Manifest.Marks!;
        Assert.EndsWith("\n行人信号 红 (pedestrian signal red, read from the picture)", marks[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("\n行人信号 红 (pedestrian signal red, read from the picture)", marks[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("\n行人信号 绿 (pedestrian signal green, from the signal controller)", marks[2].Text, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(package.Folder, "candidate.json"))))
        {
            var root = document.RootElement;
            Assert.Equal(("red", "image"), (root.GetProperty("onLine").GetProperty("signal").GetProperty("state").GetString(), root.GetProperty("onLine").GetProperty("signal").GetProperty("source").GetString()));
            Assert.Equal("green", root.GetProperty("leaving").GetProperty("signal").GetProperty("state").GetString());
            Assert.Equal("green", root.GetProperty("pedestrians")[0].GetProperty("startedOnSignal").GetString());
        }

        // The overlay band has a third line for the signal: darker than the picture where a plain package's band ends.
        using var raw = await FrameAtAsync(TestAssets.CrosswalkFootage, 5.0, temp);
        using var photo = Cv2.ImRead(Path.Combine(package.Folder, "photo1-before-line.jpg"));
        var line = Math.Max(14, photo.Height / 30);
        Assert.True(MeanDifference(photo, raw, new Rect(0, (2 * line) + (line / 2), photo.Width, line)) > 20, "the third line of the band differs from the picture");
        Assert.True(MeanDifference(photo, raw, new Rect(0, (3 * line) + line, photo.Width, photo.Height - (4 * line))) < 4, "below the band the picture is unchanged");

        // Without a signal the JSON says nothing of one, and the band keeps its two lines.
        var without = await new EvidenceBuilder(temp.File("plain"), Site).BuildAsync(plain, Camera, new FileEvidenceSource(TestAssets.CrosswalkFootage, FileStart));
        Assert.DoesNotContain("signal", await File.ReadAllTextAsync(Path.Combine(without.Folder, "candidate.json")), StringComparison.OrdinalIgnoreCase);
        Assert.All(without.Manifest.Marks!, m => Assert.Equal(1, m.Text.Count(c => c == '\n')));
    }

    [Fact]
    public async Task Verify_TamperedPhotoOrManifestOrOtherKey_IsDetected()
    {
        using var temp = new TempFolder();
        var package = await new EvidenceBuilder(temp.Path, Site).BuildAsync(Candidate(), Camera, new FileEvidenceSource(TestAssets.CrosswalkFootage, FileStart));

        var photo = Path.Combine(package.Folder, "photo2-on-line.jpg");
        var bytes = await File.ReadAllBytesAsync(photo);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(photo, bytes);
        Assert.Contains((await EvidenceVerifier.VerifyAsync(package.Folder, Key)).Problems, p => p.StartsWith("photo2-on-line.jpg: sha256", StringComparison.Ordinal));

        var manifest = Path.Combine(package.Folder, "manifest.json");
        var text = await File.ReadAllTextAsync(manifest);
        await File.WriteAllTextAsync(manifest, text.Replace("\"cameraId\": \"cam1\"", "\"cameraId\": \"cam2\"", StringComparison.Ordinal));
        Assert.Contains((await EvidenceVerifier.VerifyAsync(package.Folder, Key)).Problems, p => p.Contains("signature does not match", StringComparison.Ordinal));

        await File.WriteAllTextAsync(manifest, text);
        File.Delete(Path.Combine(package.Folder, "clip.mp4"));
        using var other = EvidenceSigner.CreateEphemeral();
        var problems = (await EvidenceVerifier.VerifyAsync(package.Folder, EvidenceKeys.Of("jn-0417", other))).Problems;
        Assert.Contains(problems, p => p.Contains($"signed with key {Signer.KeyId}, which is not a key of site jn-0417", StringComparison.Ordinal));
        Assert.Contains("clip.mp4: missing", problems);
    }

    [Fact]
    public async Task VerifyCommand_IntactThenTampered_ExitsZeroThenOneNamingTheFile()
    {
        using var temp = new TempFolder();
        var package = await new EvidenceBuilder(temp.Path, Site).BuildAsync(Candidate(), Camera, new FileEvidenceSource(TestAssets.CrosswalkFootage, FileStart));
        var data = temp.File("central");
        await EvidencePackages.RegisterAsync(new Domain.Config.StorageConfig(), data, Signer, "jn-0417");

        var intact = await CwwProcess.RunAsync(TimeSpan.FromMinutes(1), "evidence", "verify", package.Folder, "--data", data);
        await File.AppendAllTextAsync(Path.Combine(package.Folder, "candidate.json"), " ");
        var tampered = await CwwProcess.RunAsync(TimeSpan.FromMinutes(1), "evidence", "verify", package.Folder, "--data", data);

        Assert.True(intact.ExitCode == 0, intact.All);
        Assert.Contains("intact", intact.Output, StringComparison.Ordinal);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("candidate.json: sha256", tampered.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_SourceFails_LeavesNoPackageBehind()
    {
        using var temp = new TempFolder();
        var builder = new EvidenceBuilder(temp.Path, Site);

        await Assert.ThrowsAsync<EvidenceException>(() => builder.BuildAsync(Candidate(), Camera, new FileEvidenceSource(temp.File("gone.mp4"), FileStart)));

        Assert.DoesNotContain(Directory.GetDirectories(temp.Path, "*", SearchOption.AllDirectories), d => !d.EndsWith(".incoming", StringComparison.Ordinal));
    }

    [Fact]
    public void Mark_DerivesFromTheSitesSignatureOfTheTextAndPixels_WhichOnlyTheSitesKeyVerifies()
    {
        using var picture = new Mat(36, 64, MatType.CV_8UC3, Scalar.All(90));
        var (mark, signed) = EvidenceBuilder.Mark(Signer, "photo1.jpg", "2026-11-28 09:30:12.250 cam1", picture);

        Assert.Equal(16, mark.Length);
        Assert.Equal(mark, EvidenceMark.CodeOf(signed.Signature));
        Assert.True(SitePublicKey.Verifies(Signer.PublicKeyPem, EvidenceMark.Statement(signed.Text, signed.PixelSha256), Convert.FromHexString(signed.Signature)));
        using var other = EvidenceSigner.CreateEphemeral();
        Assert.False(SitePublicKey.Verifies(other.PublicKeyPem, EvidenceMark.Statement(signed.Text, signed.PixelSha256), Convert.FromHexString(signed.Signature)));
        Assert.False(SitePublicKey.Verifies(Signer.PublicKeyPem, EvidenceMark.Statement("2026-11-28 09:30:12.251 cam1", signed.PixelSha256), Convert.FromHexString(signed.Signature)));
        picture.Set(10, 10, new Vec3b(91, 90, 90));
        Assert.NotEqual(signed.PixelSha256, EvidenceBuilder.Mark(Signer, "photo1.jpg", "2026-11-28 09:30:12.250 cam1", picture).Signed.PixelSha256);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void LoadOrCreate_NewKey_Is32PrivateBytesAndStable_ShortKeyRefused()
    {
        using var temp = new TempFolder();
        var path = temp.File("keys/site.key");

        var key = EvidenceKey.LoadOrCreate(path);

        Assert.Equal(32, key.Length);
        Assert.Equal(key, EvidenceKey.LoadOrCreate(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        File.WriteAllBytes(temp.File("short.key"), new byte[8]);
        Assert.Throws<EvidenceException>(() => EvidenceKey.LoadOrCreate(temp.File("short.key")));
    }

    private static double MeanDifference(Mat a, Mat b, Rect region)
    {
        using var left = new Mat(a, region);
        using var right = new Mat(b, region);
        using var difference = new Mat();
        Cv2.Absdiff(left, right, difference);
        var mean = Cv2.Mean(difference);
        return (mean.Val0 + mean.Val1 + mean.Val2) / 3;
    }

    private static async Task<Mat> FrameAtAsync(string video, double seconds, TempFolder temp)
    {
        var png = temp.File($"raw-{seconds}.png");
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-ss", seconds.ToString(CultureInfo.InvariantCulture), "-i", video, "-frames:v", "1", png]))!;
        await ffmpeg.WaitForExitAsync();
        return Cv2.ImRead(png);
    }

    private static async Task<double> DurationAsync(string path)
    {
        using var ffprobe = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path]) { RedirectStandardOutput = true })!;
        var text = await ffprobe.StandardOutput.ReadToEndAsync();
        await ffprobe.WaitForExitAsync();
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }
}
