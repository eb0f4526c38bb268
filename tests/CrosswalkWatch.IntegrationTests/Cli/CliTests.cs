using CrosswalkWatch.CameraSim;

namespace CrosswalkWatch.IntegrationTests.Cli;

/// <summary>The operators' commands, run as they would run them: the real cww process, real files, a real RTSP server.</summary>
[Collection("rtsp")]
public class CliTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConfigCheck_MalformedFile_ExitsTwoNamingFileLineKeyAndExpectation()
    {
        using var temp = new TempFolder();
        var path = temp.File("cww.yaml");
        await File.WriteAllTextAsync(path, "ingest:\n  detectFps: 500\ncameras:\n  - id: cam1\n    url: rtps://10.0.0.7/stream\n    colour: red\n");

        var result = await CwwProcess.RunAsync(Patience, "config", "check", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cww.yaml:2:14: ingest.detectFps: 500 is out of range: expected a number from 0.1 to 60 (default 5)", result.Error, StringComparison.Ordinal);
        Assert.Contains("cameras[0].url", result.Error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'rtsp://'?", result.Error, StringComparison.Ordinal);
        Assert.Contains("cameras[0].colour: camera 'cam1': unknown key 'colour'", result.Error, StringComparison.Ordinal);
        Assert.Contains("3 error(s)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CwwScript_FromAnotherFolder_TakesPathsRelativeToWhereTheUserStands()
    {
        // Before, ./cww changed to the repository first and looked for `cww.yaml` there.
        using var temp = new TempFolder();
        await File.WriteAllTextAsync(temp.File("cww.yaml"), "ingest:\n  detectFps: 500\n");

        var result = await CwwProcess.RunScriptAsync(temp.Path, TimeSpan.FromMinutes(5), "config", "check", "cww.yaml");

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains("cww.yaml:2:14: ingest.detectFps: 500 is out of range", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_DefaultsPrinted_CheckAsValid()
    {
        using var temp = new TempFolder();
        var defaults = await CwwProcess.RunAsync(Patience, "config", "defaults");
        Assert.Equal(0, defaults.ExitCode);
        Assert.Contains("detectFps: 5", defaults.Output, StringComparison.Ordinal);
        await File.WriteAllTextAsync(temp.File("cww.yaml"), defaults.Output);

        var check = await CwwProcess.RunAsync(Patience, "config", "check", temp.File("cww.yaml"));

        Assert.Equal(0, check.ExitCode);
        Assert.Contains("ok", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_RealCamera_PrintsResolutionFpsFramesAndDrops()
    {
        using var simulator = await TestCameras.StartSimulatorAsync();

        var result = await CwwProcess.RunAsync(Patience, "probe", simulator.SubUrl("cam1"), "--seconds", "4");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("resolution  640x360", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"fps\s+2[0-9]\.\d\d", result.Output); // the simulator sends 25 fps
        Assert.Matches(@"frames\s+[1-9]\d+ in", result.Output);
        Assert.Contains("drops       0", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_NothingListening_ExitsOneWithTheCause()
    {
        var result = await CwwProcess.RunAsync(Patience, "probe", $"rtsp://127.0.0.1:{CameraSimulator.FreePort()}/cam1", "--seconds", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("connection refused", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clip_FromDemoLikeRecording_WritesAPlayableMp4()
    {
        using var simulator = await TestCameras.StartSimulatorAsync();
        using var temp = new TempFolder();
        var config = temp.File("cww.yaml");
        await File.WriteAllTextAsync(config, $"paths:\n  data: data\ningest:\n  segmentSeconds: 1\ncameras:\n  - id: cam1\n    url: {simulator.MainUrl("cam1")}\n    subUrl: {simulator.SubUrl("cam1")}\n");
        using var run = CwwProcess.Start("run", "--config", config, "--seconds", "20");

        // Once it streams (and so records), ask for a clip of 4 s around 3 s from now: the command waits for the
        // recording to get there.
        await run.WaitForOutputAsync("cam1        Streaming", Patience);
        var clip = await CwwProcess.RunAsync(Patience, "clip", "--config", config, "--camera", "cam1", "--at", "now+3s", "--before", "2", "--after", "2", "--out", temp.File("case.mp4"));
        var done = await run.WaitForExitAsync(Patience);

        Assert.True(clip.ExitCode == 0, clip.All);
        Assert.True(done == 0, run.Output);
        Assert.Contains("case.mp4", clip.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("does not cover", clip.Error, StringComparison.Ordinal);
        Assert.True(new FileInfo(temp.File("case.mp4")).Length > 10_000);
        Assert.Contains("frames handed on", run.Output, StringComparison.Ordinal);
        Assert.Contains("still held: 0", run.Output, StringComparison.Ordinal);

        // A box on its own (the embedded default) registered its own public key for its site, so its review needs no setup.
        using var signer = CrosswalkWatch.Evidence.EvidenceSigner.Load(CrosswalkWatch.Evidence.EvidenceSigner.DefaultPath(temp.File("data")));
        using var keys = CrosswalkWatch.Storage.SiteKeyStore.Open(new Domain.Config.StorageConfig(), temp.File("data"));
        var registered = Assert.Single(await keys.ListAsync());
        Assert.Equal((signer.KeyId, signer.PublicKeyPem, (DateTimeOffset?)null), (registered.KeyId, registered.PublicKeyPem, registered.RetiredAt));
    }
}
