using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.UnitTests.Evidence;

/// <summary>The site key: owner-only from its first byte, and never written through a planted link.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EvidenceKeyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void LoadOrCreate_NewKey_IsOwnerOnlyAndReadBackTheSame()
    {
        var path = Path.Combine(_temp.Path, "keys", "site.key");

        var key = EvidenceKey.LoadOrCreate(path);

        Assert.Equal(32, key.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(key, EvidenceKey.LoadOrCreate(path));
        Assert.False(File.Exists(path + ".part"));
    }

    [Fact]
    public async Task LoadOrCreate_APlantedLinkAtTheTemporaryName_IsNotWrittenThrough()
    {
        var path = Path.Combine(_temp.Path, "site.key");
        var stolen = _temp.File("stolen");
        await File.WriteAllTextAsync(stolen, "the attacker's file");
        File.CreateSymbolicLink(path + ".part", stolen);

        var key = EvidenceKey.LoadOrCreate(path);

        Assert.Equal("the attacker's file", await File.ReadAllTextAsync(stolen));
        Assert.Equal(key, await File.ReadAllBytesAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    public void Dispose() => _temp.Dispose();
}
