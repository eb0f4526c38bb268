using CrosswalkWatch.Evidence;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Evidence;

/// <summary>A page view does not hash a package again while it is unchanged on disk; a changed file is seen at once.</summary>
public sealed class VerificationCacheTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task VerifyFor_UnchangedPackageTwice_HashedOnce_AndAChangedFileIsSeenAtTheNextView()
    {
        var at = Local(2026, 3, 1);
        var record = Case("a", at, folder: EvidencePackages.Write(_temp.Path, "a", at, plate: "京A12345"));
        var cache = new VerificationCache(EvidencePackages.Keys);

        Assert.True((await cache.VerifyForAsync(record)).Intact);
        Assert.True((await cache.VerifyForAsync(record)).Intact);
        Assert.Equal(1, cache.Verifications);

        await File.AppendAllTextAsync(Path.Combine(record.EvidenceFolder, "clip.mp4"), "retouched");
        var changed = await cache.VerifyForAsync(record);

        Assert.Contains(changed.Problems, p => p.StartsWith("clip.mp4: sha256", StringComparison.Ordinal));
        Assert.Equal(2, cache.Verifications);
    }

    public void Dispose() => _temp.Dispose();
}
