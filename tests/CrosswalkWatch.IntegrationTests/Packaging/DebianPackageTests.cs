namespace CrosswalkWatch.IntegrationTests.Packaging;

/// <summary>
/// The installable service for real: <c>scripts/package.sh</c> builds the .deb, <c>dpkg -i</c> installs it on this
/// machine (weights from a models folder), <c>systemd-analyze verify</c> checks its units, the installed <c>cww</c>
/// checks its configuration and runs as the service's user against the camera simulator, and <c>dpkg -r</c> then
/// <c>dpkg -P</c> remove it: the data kept by the first, gone with the second. Needs root (dpkg), as on the boxes.
/// </summary>
[Collection("rtsp")]
public sealed class DebianPackageTests(DetectionModels models) : IClassFixture<DetectionModels>
{
    private const string Package = "crosswalkwatch";
    private const string Data = "/var/lib/crosswalkwatch";
    private const string Config = "/etc/crosswalkwatch/cww.yaml";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Deb_InstalledRunAsItsUserAgainstACameraThenRemovedAndPurged_KeepsTheDataUntilPurged()
    {
        Assert.True(Environment.UserName == "root", "installing a .deb needs root (dpkg), as on an edge box; run the tests as root");
        using var temp = new TempFolder();
        await PurgeAsync(); // a package left by an earlier run that failed half-way
        try
        {
            var built = await RunAsync("bash", TestAssets.RepositoryRoot, null, Path.Combine(TestAssets.RepositoryRoot, "scripts", "package.sh"), "--out", temp.Path);
            var deb = built.Output.Trim().Split('\n')[^1];
            Assert.True(File.Exists(deb), built.All);

            // Installed with the weights from a models folder, as from a USB stick.
            var installed = await RunAsync("dpkg", "/", new Dictionary<string, string> { ["CWW_MODELS_FROM"] = models.ModelsDirectory }, "-i", deb);
            Assert.Contains("crosswalkwatch: model weights installed in /var/lib/crosswalkwatch/models", installed.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Warning", installed.All, StringComparison.Ordinal);
            Assert.True(File.Exists("/opt/crosswalkwatch/cww") && File.Exists("/usr/bin/cww"), "the program and its command");
            Assert.Equal(("crosswalkwatch", "crosswalkwatch"), await OwnerAsync(Data));
            Assert.Contains("all verified", (await AsServiceAsync("cww", "models", "verify", "--models", $"{Data}/models")).Output, StringComparison.Ordinal);

            // The units are well-formed and point at an installed program.
            await RunAsync("systemd-analyze", "/", null, "verify",
                "/lib/systemd/system/crosswalkwatch-edge.service", "/lib/systemd/system/crosswalkwatch-console.service", "/lib/systemd/system/crosswalkwatch-central@.service");

            // An operator configures a camera; the installed cww checks the file and runs as the service's user.
            using var simulator = await TestCameras.StartSimulatorAsync();
            File.Copy(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml"), "/etc/crosswalkwatch/scenes/cam1.yaml");
            await File.WriteAllTextAsync(Config, $"""
                site:
                  id: deb-site
                paths:
                  data: {Data}
                  models: {Data}/models
                messaging:
                  broker: none
                cameras:
                  - id: cam1
                    url: {simulator.MainUrl("cam1")}
                    subUrl: {simulator.SubUrl("cam1")}
                    scene: scenes/cam1.yaml
                """);
            Assert.Contains("ok", (await AsServiceAsync("cww", "config", "check", Config)).Output, StringComparison.OrdinalIgnoreCase);
            var run = await AsServiceAsync("cww", "run", "--config", Config, "--seconds", "15");
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(run.Output, @"cam1 +\w+ +[0-9.]+ +[1-9][0-9]* "), "cam1 streamed frames:\n" + run.All);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(Data, "recordings", "cam1"), "*.ts"));
            Assert.Equal(("crosswalkwatch", "crosswalkwatch"), await OwnerAsync(Path.Combine(Data, "keys")));

            // Removed: the program goes, the data and the configuration stay.
            await RunAsync("dpkg", "/", null, "-r", Package);
            Assert.False(File.Exists("/opt/crosswalkwatch/cww") || File.Exists("/usr/bin/cww"), "the program is removed");
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(Data, "recordings", "cam1"), "*.ts"));
            Assert.True(File.Exists(Config), "the configuration is kept on remove");

            // Purged: the data, the configuration and the user go too.
            await RunAsync("dpkg", "/", null, "-P", Package);
            Assert.False(Directory.Exists(Data) || Directory.Exists("/etc/crosswalkwatch"), "data and configuration are purged");
            Assert.NotEqual(0, (await CwwProcess.RunProgramAsync("getent", "/", Patience, null, "passwd", "crosswalkwatch")).ExitCode);
        }
        finally
        {
            await PurgeAsync();
        }
    }

    /// <summary>Runs a program; fails the test with its output unless it exits 0.</summary>
    private static async Task<CwwProcess.Result> RunAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var result = await CwwProcess.RunProgramAsync(program, workingDirectory, Patience, environment, arguments);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.All}");
        return result;
    }

    /// <summary>As the service runs: its user, from / (no source checkout around to take for the program's).</summary>
    private static Task<CwwProcess.Result> AsServiceAsync(params string[] arguments) => RunAsync("runuser", "/", null, ["-u", "crosswalkwatch", "--", .. arguments]);

    private static async Task<(string User, string Group)> OwnerAsync(string path)
    {
        var parts = (await RunAsync("stat", "/", null, "-c", "%U %G", path)).Output.Trim().Split(' ');
        return (parts[0], parts[1]);
    }

    private static async Task PurgeAsync()
    {
        if ((await CwwProcess.RunProgramAsync("dpkg", "/", Patience, null, "-s", Package)).ExitCode == 0)
        {
            await RunAsync("dpkg", "/", null, "-P", Package);
        }
    }
}
