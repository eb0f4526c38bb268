using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.CameraView;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Ingest.Cameras;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>
/// A knocked camera put right from the console: the footage shifts 5 % 13 s in (served over RTSP), the edge box
/// (<c>cww run</c>) finds it moved; the operator's camera page shows the reference and the live view side by side with
/// the estimated move, and one click moves the scene with the camera (saved with its backup and audited); the box takes
/// the saved scene and a new reference and judges again.
/// </summary>
[Collection(UsesDetectionModels.Name)]
public sealed class ViewShiftConsoleTests(DetectionModels models)
{
    [Fact]
    public async Task Browser_CameraKnocked_OperatorSeesBothViewsAndMovesTheSceneWithIt_TheBoxJudgesAgain()
    {
        await using var server = new ConsoleServer();
        var footage = await FootageVariants.MakeAsync(server.Folder.Path, "cam1", FootageVariants.Shifted, changedSeconds: 90);
        using var simulator = await CameraSimulator.StartAsync(new SimulatorOptions { Cameras = [("cam1", footage)], Port = CameraSimulator.FreePort(), Copy = true, SubStream = false });
        var scenes = server.Folder.File("scenes");
        Directory.CreateDirectory(scenes);
        var scene = Path.Combine(scenes, "cam1.yaml");
        File.Copy(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml"), scene);
        var before = SceneLoader.Load(scene);
        var config = server.Folder.File("cww.yaml");
        await File.WriteAllTextAsync(config, $"""
            paths:
              data: data
              models: {models.ModelsDirectory}
            messaging:
              broker: none
            cameras:
              - id: cam1
                place: the crossing
                url: {simulator.MainUrl("cam1")}
                scene: scenes/cam1.yaml
                ingest:
                  detectFps: 2
                  record: false
                  viewCheckSeconds: 1
            """);
        await server.AddAccountsAsync();
        using var edge = CwwProcess.Start("run", "--config", config);
        await server.StartAsync(config);
        await Eventually.WaitForAsync(() => Task.FromResult(View(server.Data) == ViewState.Moved), "the edge box to find cam1 moved", TimeSpan.FromSeconds(90));

        var output = await Browser.RunAsync("operator-view", new { baseUrl = server.Address.ToString(), password = ConsoleServer.Password, camera = "cam1" });
        Assert.Contains("scenario operator-view: passed", output, StringComparison.Ordinal);

        // On disk: every point moved 5 % to the right (32 px of 640), the old file kept beside it.
        var after = SceneLoader.Load(scene);
        Assert.Equal(before.Crosswalk[0][0] + 0.05, after.Crosswalk[0][0], 0.006);
        Assert.Equal(before.Crosswalk[0][1], after.Crosswalk[0][1], 0.006);
        Assert.Single(Directory.GetFiles(scenes), f => Path.GetFileName(f).StartsWith("cam1.yaml.", StringComparison.Ordinal)); // the backup

        // The box takes the saved scene: a new reference for its version, and the camera is judged again.
        var version = SceneLoader.VersionOf(await File.ReadAllTextAsync(scene));
        await Eventually.WaitForAsync(
            () => Task.FromResult(ViewReferenceFile.ReadInfo(server.Data, "cam1")?.SceneVersion == version && View(server.Data) == ViewState.Ok),
            "the edge box to take the saved scene with a new reference",
            TimeSpan.FromSeconds(60));
        Assert.Contains("judging with it from now on", edge.Output, StringComparison.Ordinal);
    }

    private static ViewState? View(string data)
    {
        try
        {
            return CameraHealthFile.Read(data)?.Cameras.FirstOrDefault(c => c.CameraId == "cam1")?.View;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException)
        {
            return null;
        }
    }
}
