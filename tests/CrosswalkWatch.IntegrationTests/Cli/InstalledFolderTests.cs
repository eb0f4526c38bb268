using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CrosswalkWatch.IntegrationTests.Cli;

/// <summary>
/// A box runs from an installed folder, not only from a source checkout: <c>dotnet publish</c>'s output, copied where
/// no CrosswalkWatch.sln is above it, runs <c>cww run --config /some/where/cww.yaml</c> from yet another folder. The
/// model manifest comes from beside the program, the weights from <c>paths.models</c>, every relative path of the
/// configuration from the configuration's folder.
/// </summary>
[Collection(UsesDetectionModels.Name)]
public sealed partial class InstalledFolderTests(DetectionModels models)
{
    [Fact]
    public async Task PublishedCww_RunFromAnotherFolder_FindsItsManifestModelsAndSceneAndDetects()
    {
        using var temp = new TempFolder();
        var app = temp.File("app");
        using (var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", Path.Combine(TestAssets.RepositoryRoot, "src", "Cli", "Cli.csproj"), "-c", "Release", "--no-build", "--nologo", "-v", "quiet", "-o", app])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!)
        {
            var said = publish.StandardOutput.ReadToEndAsync();
            var complained = publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            Assert.True(publish.ExitCode == 0, await said + await complained);
        }

        Assert.True(File.Exists(Path.Combine(app, "models", "manifest.json")), "the manifest is not beside the published program");

        // As an operator lays out a site: the config, its scene beside it, relative paths; the program elsewhere.
        var site = temp.File("site");
        Directory.CreateDirectory(Path.Combine(site, "scenes"));
        File.Copy(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml"), Path.Combine(site, "scenes", "cam1.yaml"));
        await File.WriteAllTextAsync(Path.Combine(site, "cww.yaml"), $"""
            paths:
              data: data
              models: {models.ModelsDirectory}
            messaging:
              broker: none
            cameras:
              - id: cam1
                url: {TestAssets.CrosswalkFootage}
                scene: scenes/cam1.yaml
                ingest:
                  record: false
                  detectFps: 5
            """);
        var elsewhere = temp.File("elsewhere");
        Directory.CreateDirectory(elsewhere);

        using var run = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(app, "cww.dll"), "run", "--config", Path.Combine(site, "cww.yaml"), "--seconds", "10"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = elsewhere,
        })!;
        var output = run.StandardOutput.ReadToEndAsync();
        var error = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var all = await output + await error;

        Assert.True(run.ExitCode == 0, all);
        var detected = FramesDetected().Match(all);
        Assert.True(detected.Success && int.Parse(detected.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, all);
        Assert.True(Directory.Exists(Path.Combine(site, "data")), "the data folder is not beside the configuration");
        Assert.False(Directory.Exists(Path.Combine(elsewhere, "data")), "something was written where the user stood");
    }

    [GeneratedRegex(@"camera cam1: (\d+) frames detected")]
    private static partial Regex FramesDetected();
}
