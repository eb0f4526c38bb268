using System.Text.Json;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.UnitTests.Evidence;

/// <summary>
/// A manifest is input like any other: the files it names must be files of its own package, and a manifest that does
/// not verify vouches for nothing, so nothing it names is opened.
/// </summary>
public sealed class EvidenceVerifierTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Verify_SignedManifestNamingFilesOutsideItsFolder_RefusesEachUnopened()
    {
        var folder = EvidencePackages.Write(_temp.Path, "a", At);
        var outside = _temp.File("outside.txt");
        await File.WriteAllTextAsync(outside, "someone else's file");
        File.CreateSymbolicLink(Path.Combine(folder, "link.jpg"), outside);
        Resign(folder, m => m with
        {
            Files = [.. m.Files, new EvidenceFile("../outside.txt", "photo", new string('0', 64), 1), new EvidenceFile("/dev/zero", "clip", new string('0', 64), 1), new EvidenceFile("link.jpg", "photo", new string('0', 64), 1)],
        });

        // Before, /dev/zero was hashed for ever: the wait turns a hang into a failure.
        var problems = (await Task.Run(() => EvidenceVerifier.VerifyAsync(folder, EvidencePackages.Keys)).WaitAsync(TimeSpan.FromSeconds(60))).Problems;

        Assert.Equal(
            ["../outside.txt: not a file of this package (outside its folder, or a link); not opened", "/dev/zero: not a file of this package (outside its folder, or a link); not opened", "link.jpg: not a file of this package (outside its folder, or a link); not opened"],
            problems);
    }

    [Fact]
    public async Task Verify_SignatureDoesNotMatch_HashesNoFile()
    {
        var folder = EvidencePackages.Write(_temp.Path, "a", At);
        await File.AppendAllTextAsync(Path.Combine(folder, "clip.mp4"), "changed");
        File.Delete(Path.Combine(folder, "candidate.json"));

        using var madeUp = EvidenceSigner.CreateEphemeral();
        var problems = (await EvidenceVerifier.VerifyAsync(folder, EvidenceKeys.Of(EvidencePackages.Site, madeUp))).Problems;

        Assert.Equal(2, problems.Count);
        Assert.Contains("which is not a key of site site-01", problems[0], StringComparison.Ordinal);
        Assert.Equal("candidate.json: missing", problems[1]);
        Assert.Contains((await EvidenceVerifier.VerifyAsync(folder, EvidencePackages.Keys)).Problems, p => p.StartsWith("clip.mp4: sha256", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_IntactPackage_HasNoProblem_AndAManifestThatIsALinkIsNotRead()
    {
        var folder = EvidencePackages.Write(_temp.Path, "a", At);
        Assert.Empty((await EvidenceVerifier.VerifyAsync(folder, EvidencePackages.Keys)).Problems);

        var other = EvidencePackages.Write(_temp.Path, "b", At);
        File.Delete(Path.Combine(other, "manifest.json"));
        File.CreateSymbolicLink(Path.Combine(other, "manifest.json"), Path.Combine(folder, "manifest.json"));

        Assert.Null(EvidenceVerifier.ReadManifest(other));
        Assert.Equal("a", EvidenceVerifier.ReadManifest(folder)!.CaseId);
    }

    public void Dispose() => _temp.Dispose();

    private static void Resign(string folder, Func<EvidenceManifest, EvidenceManifest> change)
    {
        var path = Path.Combine(folder, "manifest.json");
        var manifest = change(JsonSerializer.Deserialize<EvidenceManifest>(File.ReadAllText(path), EvidenceJson.Files)!).SignedBy(EvidencePackages.Signer);
        File.WriteAllText(path, JsonSerializer.Serialize(manifest, EvidenceJson.Files));
    }
}
