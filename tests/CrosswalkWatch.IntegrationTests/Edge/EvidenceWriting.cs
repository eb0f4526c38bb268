using CrosswalkWatch.Edge.EvidenceQueue;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage;
using static CrosswalkWatch.IntegrationTests.Evidence.EvidenceTests;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>What the evidence writer's tests share: the real footage as a camera's recording, a case store, a patient wait and the check of what was stored.</summary>
internal static class EvidenceWriting
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>The real footage as the camera's recording.</summary>
    public static FileEvidenceSource Footage() => new(TestAssets.CrosswalkFootage, FileStart);

    public static async Task<SqliteCaseStore> StoreAsync(TempFolder temp)
    {
        var store = new SqliteCaseStore(temp.File("cww.db"));
        await store.MigrateAsync();
        return store;
    }

    /// <summary>Waits for <paramref name="condition"/>; fails with <paramref name="what"/> and the writer's health after two minutes.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what, EvidenceWriter writer)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}: {writer.Health}");
            await Task.Delay(100);
        }
    }

    /// <summary>The stored cases' evidence folders (exactly <paramref name="expected"/>), each checked against its signed manifest.</summary>
    public static async Task<IReadOnlyList<string>> VerifiedPackagesAsync(SqliteCaseStore store, int expected)
    {
        var folders = (await store.ListAsync()).Select(c => c.EvidenceFolder).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, folders.Count);
        foreach (var folder in folders)
        {
            Assert.Empty((await EvidenceVerifier.VerifyAsync(folder, Key)).Problems);
        }

        return folders;
    }
}
