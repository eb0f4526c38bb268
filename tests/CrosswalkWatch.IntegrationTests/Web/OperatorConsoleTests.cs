using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Ingest.Cameras;
using CrosswalkWatch.Scenarios;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Web.Operators;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>
/// The operator's pages against a real <c>cww serve</c>: a camera served over RTSP by the camera simulator, its health
/// written by a real <c>cww run</c> running beside the console, the snapshot with the scene drawn over it, a crosswalk
/// point dragged and a turning movement drawn and saved into a copy of the sample scene, and a crossed polygon refused.
/// </summary>
public sealed class OperatorConsoleTests
{
    private static readonly double[] Corner = [0.98, 0.585];
    private static readonly double[] MoveTo = [0.95, 0.56];
    private static readonly double[] CrossTo = [0.2, 0.95];
    private static readonly double[][] Entry = [[0.80, 0.93], [0.95, 0.90], [0.99, 0.97], [0.82, 0.99]];
    private const string Movement = "right turn from the side road";

    [Fact]
    public async Task Browser_OperatorDragsACrosswalkPointAndDrawsATurningMovement_SavesTheSceneFileWithBackupAndAudit_AndACrossedPolygonIsRefused()
    {
        using var simulator = await TestCameras.StartSimulatorAsync();
        await using var server = new ConsoleServer();
        var scenes = server.Folder.File("scenes");
        Directory.CreateDirectory(scenes);
        var scene = Path.Combine(scenes, "cam1.yaml");
        File.Copy(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml"), scene);
        await File.AppendAllTextAsync(scene, "signals:\n  - name: far kerb head\n    box: [[0.62, 0.18], [0.64, 0.26]]\n"); // kept through the editor's save
        var original = await File.ReadAllTextAsync(scene);
        var unplugged = $"rtsp://127.0.0.1:{CameraSimulator.FreePort()}/nothing";

        // The console and the edge box are separate processes on one data folder; the edge box only watches (no scene, no detector).
        var serveConfig = server.Folder.File("cww.yaml");
        await File.WriteAllTextAsync(serveConfig, Config(simulator, unplugged, "scene: scenes/cam1.yaml"));
        var runConfig = server.Folder.File("run.yaml");
        await File.WriteAllTextAsync(runConfig, Config(simulator, unplugged, "ingest:\n      record: false"));
        await server.AddAccountsAsync();
        using var edge = CwwProcess.Start("run", "--config", runConfig);
        await server.StartAsync(serveConfig);

        var movement = new { name = Movement, turn = "right", entry = Entry, lane = "A1" };
        var output = await Browser.RunAsync("operator-scene", new { baseUrl = server.Address.ToString(), password = ConsoleServer.Password, corner = Corner, moveTo = MoveTo, crossTo = CrossTo, movement });
        Assert.Contains("scenario operator-scene: passed", output, StringComparison.Ordinal);

        // On disk: the point moved and the movement drawn (and nothing else), the old file kept beside it, the refused polygon never written.
        var saved = SceneLoader.Load(scene);
        var before = SceneLoader.Parse(original, scene);
        Assert.InRange(saved.Crosswalk[1][0], MoveTo[0] - 0.01, MoveTo[0] + 0.01);
        Assert.InRange(saved.Crosswalk[1][1], MoveTo[1] - 0.01, MoveTo[1] + 0.01);
        Assert.Equal(before.Crosswalk[0], saved.Crosswalk[0]);
        Assert.Equal(before.Approaches[1].Lanes[0].Polygon.SelectMany(p => p), saved.Approaches[1].Lanes[0].Polygon.SelectMany(p => p));
        var drawn = Assert.Single(saved.Movements);
        Assert.Equal((Movement, TurnDirection.Right, "A1"), (drawn.Name, drawn.Turn, Assert.Single(drawn.Lanes)));
        Assert.Equal(Entry.Length, drawn.Entry.Count);
        Assert.All(Entry.Zip(drawn.Entry), p => Assert.True(Math.Abs(p.First[0] - p.Second[0]) < 0.01 && Math.Abs(p.First[1] - p.Second[1]) < 0.01, $"entry point {string.Join(", ", p.Second)} where it was clicked"));
        Assert.Empty(before.Movements);
        var head = Assert.Single(saved.Signals);
        Assert.Equal("far kerb head", head.Name);
        Assert.Equal([0.62, 0.18, 0.64, 0.26], head.Box.SelectMany(p => p));
        var text = await File.ReadAllTextAsync(scene);
        Assert.StartsWith("# Saved from the CrosswalkWatch console by operator at ", text, StringComparison.Ordinal);
        Assert.Matches($@"\nmovements:\n  - name: {Movement}\n    turn: right\n    entry: \[\[[0-9., \[\]]+\]\]\n    lanes: \[A1\]\n", text);
        Assert.Contains("# Coordinates are [x, y] in 0-1 of the image.", text, StringComparison.Ordinal);
        var backup = Assert.Single(Directory.GetFiles(scenes, "cam1.yaml.*.bak"));
        Assert.Matches(@"cam1\.yaml\.\d{4}-\d\d-\d\dT\d{6}Z\.bak$", backup);
        Assert.Equal(original, await File.ReadAllTextAsync(backup));

        // The audit log: who changed which camera's scene, before and after.
        using var cases = Stores.OpenCases(new StorageConfig(), server.Data);
        var change = Assert.Single(await cases.AuditAsync("scene:cam1"));
        Assert.Equal(("operator", "scene-changed"), (change.Actor, change.Action));
        Assert.Contains("[0.98,0.585]", change.BeforeJson, StringComparison.Ordinal);
        Assert.DoesNotContain("[0.98,0.585]", change.AfterJson, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(backup), change.AfterJson, StringComparison.Ordinal);
    }

    [Fact]
    public void FileCameraHealth_WrittenRecently_IsLive_AndAnOldOrMissingFileSaysSo()
    {
        using var data = new TempFolder();
        var source = new FileCameraHealth(data.Path);
        var now = new DateTimeOffset(2026, 11, 28, 7, 15, 0, TimeSpan.Zero);

        var missing = source.Read(now);
        Assert.Empty(missing.Cameras);
        Assert.Contains("no health file", missing.Problem, StringComparison.Ordinal);

        CameraHealth[] cameras = [new() { CameraId = "cam1", State = CameraState.Streaming, Fps = 5, Frames = 120, LastFrameAt = now.AddSeconds(-1) }];
        CameraHealthFile.Write(data.Path, cameras, now.AddSeconds(-5), "cww (process 1)");
        var live = source.Read(now);
        Assert.False(live.Stale);
        Assert.Null(live.Problem);
        Assert.Equal(CameraState.Streaming, Assert.Single(live.Cameras).State);
        Assert.Contains("written by cww (process 1)", live.Source, StringComparison.Ordinal);

        var stale = source.Read(now.AddMinutes(3));
        Assert.True(stale.Stale);
        Assert.Contains("3 minutes old", stale.Problem, StringComparison.Ordinal);
        Assert.Equal(CameraState.Streaming, Assert.Single(stale.Cameras).State);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(CameraHealthFile.PathIn(data.Path))!, "*.tmp"));
    }

    private static string Config(CameraSimulator simulator, string unplugged, string cam1Extra) => $"""
        site:
          id: operator-test
          name: Operator test crossing
        paths:
          data: data
        messaging:
          broker: none
        ingest:
          reconnectMaxSeconds: 2
        cameras:
          - id: cam1
            place: Sample crossing
            direction: eastbound
            url: {simulator.MainUrl("cam1")}
            subUrl: {simulator.SubUrl("cam1")}
            {cam1Extra}
          - id: cam9
            place: Unplugged camera
            url: {unplugged}
        """;
}

/// <summary>
/// The operator's thresholds against a real <c>cww serve</c>: a generated violation stored as a case, its clip
/// replayed through the real detector, tracker and rule with a changed threshold, the change saved into the scene
/// file's <c>rule:</c> block (which the edge box applies over the configuration's), and a value out of bounds refused.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed class OperatorReplayTests(GeneratedSuite suite)
{
    [Fact]
    public async Task Browser_ReplayWithMorePedestriansNeeded_ShowsTheCandidateGone_AndSavingKeepsItInTheSceneFile()
    {
        await using var server = new ConsoleServer();
        var (configPath, scene) = await StartAsync(server);

        var output = await Browser.RunAsync("operator-replay", new { baseUrl = server.Address.ToString(), password = ConsoleServer.Password, camera = "cam2", caseId = "case-1", places = ConflictKinds.All.Select(k => k.Text()) }, TimeSpan.FromMinutes(5));
        Assert.Contains("scenario operator-replay: passed", output, StringComparison.Ordinal);

        // The scene file keeps only the changed threshold, and the edge box's loader lays it over the configuration's rule.
        var configured = ConfigLoader.Load(configPath).Cameras[0];
        var saved = SceneLoader.Load(scene);
        Assert.Equal(["minPedestrians"], saved.Rule?.Keys);
        Assert.Equal(2, saved.RuleFor(configured.Rule).MinPedestrians);
        Assert.Equal(configured.Rule with { MinPedestrians = 2 }, saved.RuleFor(configured.Rule));
        Assert.Contains("rule:\n  minPedestrians: 2\n", await File.ReadAllTextAsync(scene), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(server.Folder.Path, "cam2.yaml.*.bak"));

        using var store = Stores.OpenCases(new StorageConfig(), server.Data);
        var change = Assert.Single(await store.AuditAsync("rule:cam2"));
        Assert.Equal(("operator", "rule-changed"), (change.Actor, change.Action));
        Assert.Contains("\"overrides\":{\"minPedestrians\":2}", change.AfterJson, StringComparison.Ordinal);
        Assert.Contains("\"overrides\":{}", change.BeforeJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_FourReplaysAtOnce_OneRunsTwoWaitTheirTurnAndTheFourthGets429()
    {
        await using var server = new ConsoleServer();
        await StartAsync(server);
        // Three replays one after the other can take minutes on a busy 2-core box.
        using var http = server.ClientFrom("127.0.0.1");
        http.Timeout = TimeSpan.FromMinutes(10);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await ConsoleServer.SignInAsync(http, "operator")).StatusCode);
        var token = await ConsoleServer.TokenAsync(http, "/operator");

        var replays = Enumerable.Range(0, 4).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/cameras/cam2/replay", UriKind.Relative))
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { caseId = "case-1", values = new Dictionary<string, object>() }),
            };
            request.Headers.Add("X-CSRF-TOKEN", token);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        var answers = await Task.WhenAll(replays);

        var refused = Assert.Single(answers, a => a.StatusCode == System.Net.HttpStatusCode.TooManyRequests);
        Assert.Equal(CrosswalkWatch.Web.Operators.ReplayTurns.RetryAfter, refused.RetryAfter);
        Assert.Contains("a clip replay is running", refused.Body, StringComparison.Ordinal);
        Assert.Equal(3, answers.Count(a => a.StatusCode == System.Net.HttpStatusCode.OK));
    }

    /// <summary>A console with camera cam2 on the generated violation, its scene, and a stored case of it whose clip that is.</summary>
    private async Task<(string ConfigPath, string Scene)> StartAsync(ConsoleServer server)
    {
        var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        var scene = server.Folder.File("cam2.yaml");
        File.Copy(Path.Combine(suite.Folder, "scene.yaml"), scene);
        var configPath = server.Folder.File("cww.yaml");
        await File.WriteAllTextAsync(configPath, $"""
            site:
              id: operator-test
              name: Operator test crossing
            paths:
              data: data
              models: {suite.ModelsDirectory}
            messaging:
              broker: none
            cameras:
              - id: cam2
                place: Generated crossing
                direction: towards the camera
                url: {clip.VideoPath}
                scene: cam2.yaml
            """);

        // A stored case of the camera, its evidence clip the generated violation.
        var evidence = server.Folder.File("evidence-case-1");
        Directory.CreateDirectory(evidence);
        File.Copy(clip.VideoPath, Path.Combine(evidence, "clip.mp4"));
        using (var cases = Stores.OpenCases(new StorageConfig(), server.Data))
        {
            await cases.MigrateAsync();
            var at = DateTimeOffset.UtcNow.AddHours(-1);
            await cases.AddAsync(new CaseRecord("case-1", "operator-test", "cam2", at, "T1", "towards the camera", 2, CaseStatus.Candidate, evidence, "{}", "", at));
        }

        await server.AddAccountsAsync();
        await server.StartAsync(configPath);
        return (configPath, scene);
    }
}
