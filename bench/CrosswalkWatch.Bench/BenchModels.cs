using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.Models;

namespace CrosswalkWatch.Bench;

/// <summary>The models every benchmark runs: the repository's manifest, installed once into a temporary folder from the shared assets.</summary>
internal static class BenchModels
{
    /// <summary>The shared assets folder (<c>CWW_ASSETS</c>, default ../shared).</summary>
    public static string AssetsRoot => Assets.Root() ?? throw new InvalidOperationException($"set {Assets.Variable} to the shared assets folder");

    public static ModelStore Install()
    {
        string repository = Assets.RepositoryRoot() ?? throw new InvalidOperationException("run from inside the repository");
        var store = new ModelStore(
            ModelManifest.Load(Path.Combine(repository, "models", "manifest.json")),
            Path.Combine(Path.GetTempPath(), "cww-bench-models"));
        store.InstallAsync(AssetsRoot, Path.Combine(repository, "node_modules")).GetAwaiter().GetResult();
        return store;
    }
}
