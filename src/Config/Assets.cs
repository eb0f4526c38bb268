namespace CrosswalkWatch.Config;

/// <summary>
/// Finds the folder of shared assets (model weights, sample footage, plate photos): the folder named by the
/// environment variable <c>CWW_ASSETS</c>, else <c>../shared</c> beside the repository.
/// </summary>
public static class Assets
{
    public const string Variable = "CWW_ASSETS";

    /// <summary>The repository root (the folder holding CrosswalkWatch.sln) above the current folder or the program; null if none.</summary>
    public static string? RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "CrosswalkWatch.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The model manifest: <c>models/manifest.json</c> beside the program (every build and every installed copy has
    /// one), else in the repository.
    /// </summary>
    public static string ModelManifest()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "models", "manifest.json");
        if (System.IO.File.Exists(beside))
        {
            return beside;
        }

        return RepositoryRoot() is { } repo && System.IO.File.Exists(Path.Combine(repo, "models", "manifest.json"))
            ? Path.Combine(repo, "models", "manifest.json")
            : throw new FileNotFoundException($"the model manifest is neither beside the program ({beside}) nor in a CrosswalkWatch repository above {Environment.CurrentDirectory}", beside);
    }

    /// <summary>
    /// Where model weights are installed when no configuration names a folder (<c>paths.models</c>): var/models in
    /// the repository, or <c>models</c> beside the program of an installed copy.
    /// </summary>
    public static string DefaultModels() =>
        RepositoryRoot() is { } repo ? Path.Combine(repo, "var", "models") : Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The assets folder, or null when neither CWW_ASSETS nor ../shared exists.</summary>
    public static string? Root()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named)
        {
            return Path.GetFullPath(named);
        }

        return RepositoryRoot() is { } repo && Directory.Exists(Path.Combine(repo, "..", "shared"))
            ? Path.GetFullPath(Path.Combine(repo, "..", "shared"))
            : null;
    }

    /// <summary>A file under the assets folder; throws with where it looked and how to get it when missing.</summary>
    public static string File(string relativePath)
    {
        var root = Root();
        var path = root is null ? null : Path.Combine(root, relativePath);
        if (path is null || !System.IO.File.Exists(path))
        {
            var looked = root is null
                ? $"{Variable} is not set and there is no ../shared beside the repository"
                : $"looked in {path}";
            throw new FileNotFoundException(
                $"asset '{relativePath}' not found ({looked}). Set {Variable} to the folder holding data/ and models/ (the project's shared assets), e.g. {Variable}=/path/to/shared.",
                path ?? relativePath);
        }

        return path;
    }

    /// <summary>The sample footage of a real zebra crossing used by the demo and the tests.</summary>
    public static string SampleFootage() => File("data/footage/rox_crosswalk_elevated.mp4");
}
