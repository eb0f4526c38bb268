namespace CrosswalkWatch.Detector.Models;

/// <summary>Progress of one file during <see cref="ModelStore.InstallAsync"/>.</summary>
public sealed record ModelInstallProgress(string File, ModelInstallStep Step, long BytesDone, long BytesTotal);

public enum ModelInstallStep
{
    AlreadyPresent,
    Copying,
    Downloading,
    Installed,
    Failed,
}

/// <summary>A file that <see cref="ModelStore.InstallAsync"/> left in the models folder, and where it came from.</summary>
public sealed record InstalledModelFile(string Name, string Path, ModelFileOrigin Origin);

public enum ModelFileOrigin
{
    /// <summary>Already in the models folder with the right sha256; left alone.</summary>
    AlreadyPresent,

    /// <summary>Copied from another models folder named by the operator (<c>cww models install --from</c>).</summary>
    Folder,

    /// <summary>Copied from the assets folder (<c>CWW_ASSETS</c>).</summary>
    Assets,

    /// <summary>Copied from an npm package under <c>node_modules</c>.</summary>
    Npm,

    /// <summary>Downloaded from the manifest's <c>url</c>.</summary>
    Download,
}

/// <summary>A model whose files are all present with the right sha256.</summary>
public sealed record ResolvedModel(
    string Key,
    ModelEntry Entry,
    string ModelPath,
    string? LabelsPath,
    IReadOnlyDictionary<string, string> Files);
