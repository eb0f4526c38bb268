using System.Buffers;
using System.Security.Cryptography;

namespace CrosswalkWatch.Detector.Models;

/// <summary>
/// Puts every file of the manifest into the models folder: left alone when already there with the right sha256,
/// else copied from the assets folder, else from node_modules, else downloaded. Each copy is written to a
/// temporary file beside the target, hashed on the way, and renamed into place only when the sha256 matches,
/// so a half-written or wrong file is never taken for a model.
/// </summary>
internal sealed class ModelInstaller(
    ModelManifest manifest,
    string modelsDirectory,
    HttpClient http,
    IProgress<ModelInstallProgress>? progress)
{
    private const int BufferSize = 1 << 20;

    public async Task<IReadOnlyList<InstalledModelFile>> RunAsync(
        string? fromFolder, string? assetsRoot, string? npmRoot, CancellationToken cancellationToken)
    {
        var installed = new List<InstalledModelFile>();
        var failures = new List<string>();
        foreach ((ModelFile file, string models) in UniqueFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            string target = ModelFiles.PathOf(modelsDirectory, file.Name);
            var attempts = new List<string>();

            FileProblem? present = ModelFiles.Check(target, file);
            if (present is null)
            {
                progress?.Report(new ModelInstallProgress(file.Name, ModelInstallStep.AlreadyPresent, file.Size, file.Size));
                installed.Add(new InstalledModelFile(file.Name, target, ModelFileOrigin.AlreadyPresent));
                continue;
            }

            if (!present.Missing)
            {
                attempts.Add($"{target} (models folder): sha256 {present.ActualSha256}, expected {file.Sha256}; it will be replaced");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            ModelFileOrigin? origin = null;
            if (fromFolder is not null
                && await TryCopyAsync(ModelFiles.PathOf(fromFolder, file.Name), $"--from {fromFolder}", file, target, attempts, cancellationToken).ConfigureAwait(false))
            {
                origin = ModelFileOrigin.Folder;
            }

            if (origin is null && file.Assets is { } assets)
            {
                if (assetsRoot is null)
                {
                    attempts.Add($"assets folder: none ({ModelFiles.AssetsVariable} is not set and there is no `shared` folder beside the repository)");
                }
                else if (await TryCopyAsync(Path.Combine(assetsRoot, assets), $"{ModelFiles.AssetsVariable} {assetsRoot}", file, target, attempts, cancellationToken).ConfigureAwait(false))
                {
                    origin = ModelFileOrigin.Assets;
                }
            }

            if (origin is null && file.Npm is { } npm)
            {
                if (npmRoot is null)
                {
                    attempts.Add($"npm package {npm.Package}@{npm.Version}: no node_modules folder");
                }
                else
                {
                    string source = Path.Combine(npmRoot, npm.Package.Replace('/', Path.DirectorySeparatorChar), npm.Path);
                    if (await TryCopyAsync(source, $"npm package {npm.Package}@{npm.Version}", file, target, attempts, cancellationToken).ConfigureAwait(false))
                    {
                        origin = ModelFileOrigin.Npm;
                    }
                }
            }

            if (origin is null && file.Url is not null
                && await TryDownloadAsync(file, target, attempts, cancellationToken).ConfigureAwait(false))
            {
                origin = ModelFileOrigin.Download;
            }

            if (origin is { } from)
            {
                progress?.Report(new ModelInstallProgress(file.Name, ModelInstallStep.Installed, file.Size, file.Size));
                installed.Add(new InstalledModelFile(file.Name, target, from));
            }
            else
            {
                progress?.Report(new ModelInstallProgress(file.Name, ModelInstallStep.Failed, 0, file.Size));
                failures.Add(
                    $"Model file '{file.Name}' ({models}) could not be installed into {target}. Looked in:" +
                    string.Concat(attempts.Select(a => $"{Environment.NewLine}    - {a}")) +
                    $"{Environment.NewLine}  To get it: {HowToGetAfterFailure(file, target)}");
            }
        }

        if (failures.Count > 0)
        {
            string summary = failures.Count == 1 ? "A model file is missing." : $"{failures.Count} model files are missing.";
            throw new ModelException(summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
        }

        return installed;
    }

    /// <summary>Each installed name once (coco.names serves two models), with the models that use it.</summary>
    private List<(ModelFile File, string Models)> UniqueFiles()
    {
        var order = new List<ModelFile>();
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach ((string key, ModelEntry entry) in manifest.Models)
        {
            foreach (ModelFile file in entry.Files)
            {
                if (!users.TryGetValue(file.Name, out List<string>? keys))
                {
                    users[file.Name] = keys = [];
                    order.Add(file);
                }

                keys.Add(key);
            }
        }

        return order.ConvertAll(f => (f, ModelsText(users[f.Name])));
    }

    internal static string ModelsText(IReadOnlyList<string> keys) =>
        keys.Count == 1 ? $"model '{keys[0]}'" : $"models {string.Join(", ", keys.Select(k => $"'{k}'"))}";

    private static string HowToGetAfterFailure(ModelFile file, string target)
    {
        if (file.Npm is { } npm)
        {
            return $"run `npm ci` in the repository root (scripts/setup.sh does it) to install {npm.Package}@{npm.Version}, " +
                   "then `./cww models install` again.";
        }

        string copy = file.Assets is { } assets
            ? $"set {ModelFiles.AssetsVariable}=<a folder holding {assets}, such as a copy of the shared folder> and run `./cww models install` again"
            : "run `./cww models install` again";
        return file.Url is null ? copy + "." : $"{copy}, or download {file.Url} yourself and save it as {target}.";
    }

    private async Task<bool> TryCopyAsync(
        string source, string label, ModelFile file, string target, List<string> attempts, CancellationToken cancellationToken)
    {
        if (!File.Exists(source))
        {
            attempts.Add($"{source} ({label}): not found");
            return false;
        }

        try
        {
            var stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                string? refused = await WriteVerifiedAsync(stream, file, target, ModelInstallStep.Copying, cancellationToken).ConfigureAwait(false);
                if (refused is not null)
                {
                    attempts.Add($"{source} ({label}): {refused}; refused");
                    return false;
                }

                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            attempts.Add($"{source} ({label}): could not be copied: {ex.Message}");
            return false;
        }
    }

    private async Task<bool> TryDownloadAsync(
        ModelFile file, string target, List<string> attempts, CancellationToken cancellationToken)
    {
        Uri url = file.Url!;
        string label = url.ToString();
        try
        {
            using HttpResponseMessage response = await http
                .GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                attempts.Add($"{label}: download failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                return false;
            }

            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                string? refused = await WriteVerifiedAsync(body, file, target, ModelInstallStep.Downloading, cancellationToken).ConfigureAwait(false);

                if (refused is not null)
                {
                    attempts.Add($"{label}: {refused}; refused");
                    return false;
                }

                return true;
            }
        }
        catch (HttpRequestException ex)
        {
            attempts.Add($"{label}: download failed: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            attempts.Add($"{label}: download timed out: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            attempts.Add($"{label}: download failed: {ex.Message}");
        }

        return false;
    }

    /// <summary>
    /// Copies <paramref name="source"/> to a temporary file beside <paramref name="target"/>, hashing it on the way,
    /// and renames it into place when the sha256 matches. Returns null on success, else why it was refused.
    /// </summary>
    private async Task<string?> WriteVerifiedAsync(
        Stream source, ModelFile file, string target, ModelInstallStep step, CancellationToken cancellationToken)
    {
        string directory = Path.GetDirectoryName(target)!;
        string? temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                progress?.Report(new ModelInstallProgress(file.Name, step, 0, file.Size));
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > file.Size)
                    {
                        return $"longer than the expected {file.Size} bytes";
                    }

                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    progress?.Report(new ModelInstallProgress(file.Name, step, total, file.Size));
                }

                output.Flush(flushToDisk: true);
            }

            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != file.Sha256)
            {
                return $"sha256 {actual} ({total} bytes), expected {file.Sha256} ({file.Size} bytes)";
            }

            File.Move(temporary, target, overwrite: true);
            temporary = null;
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }
    }
}
