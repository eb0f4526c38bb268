using System.CommandLine;
using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Edge.Pipeline;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww models install|verify</c>: the weights of models/manifest.json in the ignored models folder.</summary>
internal static class ModelCommands
{
    public static Command Create()
    {
        var command = new Command("models", "Install and verify the model weights listed in models/manifest.json (never committed).");
        var folder = new Option<DirectoryInfo?>("--models") { Description = "Installed models folder (default: var/models in the repository)." };

        var from = new Option<DirectoryInfo?>("--from") { Description = "Another models folder to copy from first (a box's /var/lib/crosswalkwatch/models, or a repository's var/models, e.g. on a USB stick): files at their installed names, each checked against its sha256." };
        var install = new Command("install", "Copy the weights from --from, CWW_ASSETS (default ../shared) or node_modules, or download them; check every sha256.") { folder, from };
        install.SetAction(async (result, cancellationToken) =>
        {
            var store = PipelineFactory.OpenModels(result.GetValue(folder)?.FullName);
            if (result.GetValue(from) is { Exists: false } missing)
            {
                await Console.Error.WriteLineAsync($"--from {missing.FullName}: no such folder").ConfigureAwait(false);
                return 2;
            }

            // An installed copy has no repository, so no node_modules: its models come --from a folder or are downloaded.
            var npm = Assets.RepositoryRoot() is { } repo ? Path.Combine(repo, "node_modules") : null;
            var progress = new ConsoleProgress();
            var installed = await store.InstallAsync(Assets.Root(), npm, progress, result.GetValue(from)?.FullName, cancellationToken).ConfigureAwait(false);
            var fresh = installed.Count(f => f.Origin != ModelFileOrigin.AlreadyPresent);
            Console.WriteLine($"models: {installed.Count} files verified in {store.ModelsDirectory} ({fresh} newly installed)");
            return 0;
        });
        command.Add(install);

        var verify = new Command("verify", "Check that every model file is installed with the right sha256 and that each model opens.") { folder };
        verify.SetAction(result =>
        {
            var store = PipelineFactory.OpenModels(result.GetValue(folder)?.FullName);
            store.Verify();
            foreach (var key in store.Manifest.Models.Keys)
            {
                using var session = store.OpenSession(key);
                Console.WriteLine($"  ok  {key}");
            }

            Console.WriteLine($"models: all verified in {store.ModelsDirectory}");
            return 0;
        });
        command.Add(verify);
        return command;
    }

    /// <summary>Prints as it happens (Progress&lt;T&gt; would post to the thread pool and print out of order).</summary>
    private sealed class ConsoleProgress : IProgress<ModelInstallProgress>
    {
        public void Report(ModelInstallProgress value)
        {
            if (value.Step is ModelInstallStep.Installed or ModelInstallStep.Failed)
            {
                Console.WriteLine($"  {value.Step,-9} {value.File}");
            }
        }
    }
}
