using System.Globalization;
using System.Text.RegularExpressions;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Scenarios;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Cli;

/// <summary>
/// The long-running commands stopped as a service manager stops them: SIGTERM (systemd, container runtimes, `kill`).
/// A shell's background jobs and nohup ignore SIGINT, so SIGTERM is the signal a box in the field actually gets.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed partial class StopTests(GeneratedSuite suite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Run_SigtermRightAfterACandidate_FinishesItsEvidenceAndKeepsTheCaseInTheOutbox()
    {
        var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        using var simulator = await CameraSimulator.StartAsync(new SimulatorOptions
        {
            Cameras = [("cam1", clip.VideoPath)],
            Port = CameraSimulator.FreePort(),
            Fps = 10,
        });
        using var temp = new TempFolder();
        var config = temp.File("cww.yaml");

        // The broker is external and down: every stored case must wait in the outbox for the next start.
        await File.WriteAllTextAsync(config, $"""
            site:
              id: stop-test
            paths:
              data: data
              models: {suite.ModelsDirectory}
            messaging:
              broker: external
              port: {CameraSimulator.FreePort()}
            cameras:
              - id: cam1
                url: {simulator.MainUrl("cam1")}
                subUrl: {simulator.SubUrl("cam1")}
                scene: {Path.Combine(suite.Folder, "scene.yaml")}
                ingest:
                  detectFps: 5
                  minFreeMegabytes: 64
            """);
        using var run = CwwProcess.Start("run", "--config", config);

        // The package of a candidate waits for 5 s of recording after its event: SIGTERM arrives while the second
        // candidate's is pending (the first loop's event may come before the recording's first segment: that one is
        // parked with its reason, as any candidate without recording is).
        var deadline = DateTime.UtcNow + Patience;
        while (run.Output.Split("candidate {").Length < 3)
        {
            Assert.False(run.HasExited, run.Output);
            Assert.True(DateTime.UtcNow < deadline, $"no second candidate within {Patience.TotalSeconds:0} s:\n{run.Output}");
            await Task.Delay(100);
        }

        var exit = await run.StopAsync(Patience);

        Assert.True(exit == 0, run.Output);
        Assert.Contains("stopped; final health:", run.Output, StringComparison.Ordinal);
        var summary = Summary().Match(run.Output);
        Assert.True(summary.Success, run.Output);
        var candidates = int.Parse(summary.Groups["candidates"].Value, CultureInfo.InvariantCulture);
        var written = int.Parse(summary.Groups["written"].Value, CultureInfo.InvariantCulture);
        var failed = int.Parse(summary.Groups["failed"].Value, CultureInfo.InvariantCulture);
        var held = int.Parse(summary.Groups["held"].Value, CultureInfo.InvariantCulture);
        Assert.True(candidates >= 2, run.Output);

        // Nothing decided is lost: every candidate is a stored case or a parked file with its reason.
        Assert.Equal(candidates, written + failed + held);
        var parked = temp.File(Path.Combine("data", "evidence", "parked"));
        Assert.Equal(failed + held, Directory.Exists(parked) ? Directory.GetFiles(parked, "*.json").Length : 0);

        using var store = new SqliteCaseStore(temp.File(Path.Combine("data", "cww.db")));
        var cases = await store.ListAsync();
        Assert.Equal(written, cases.Count);
        Assert.True(written >= 1, run.Output);
        using var signer = EvidenceSigner.Load(EvidenceSigner.DefaultPath(temp.File("data")));
        foreach (var stored in cases)
        {
            Assert.Empty((await EvidenceVerifier.VerifyAsync(stored.EvidenceFolder, EvidenceKeys.Of(stored.SiteId, signer))).Problems);
        }

        Assert.Equal(cases.Count, await store.PendingCountAsync());
    }

    [Fact]
    public async Task Serve_Sigterm_StopsTheConsoleAndExitsZero()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync();
        using (var http = await server.SignedInClientAsync("police"))
        {
            Assert.True((await http.GetAsync(new Uri("/api/cases", UriKind.Relative))).IsSuccessStatusCode);
        }

        Assert.Equal(0, await server.StopAsync());
        Assert.Contains("web console stopped", server.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"violation candidates: (?<candidates>\d+), evidence packages: (?<written>\d+) \((?<failed>\d+) failed, (?<held>\d+) held")]
    private static partial Regex Summary();
}
