using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Cli.Commands;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Edge;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Media.Clips;
using CrosswalkWatch.Scenarios;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// An H.265 camera, as Hikvision, Dahua and Uniview ship them: the simulator sends a generated violation as H.265 on
/// both the 1080p main stream and the 640x360 sub-stream; the live box detects on the sub-stream, records the main
/// stream by stream copy, and builds a package whose clip stays H.265 beside a signed H.264 rendition, which Chromium
/// plays on the police console's case page.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed class H265CameraTests(GeneratedSuite suite)
{
    [Fact]
    public async Task EdgeBox_H265Camera_StoresAVerifiedPackageWithTheOriginalClipAndAnH264RenditionChromiumPlays()
    {
        var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
        using var simulator = await CameraSimulator.StartAsync(new SimulatorOptions
        {
            Cameras = [("cam1", clip.VideoPath)],
            Port = CameraSimulator.FreePort(),
            Fps = 10,
            Codec = StreamCodec.H265,
        });
        await using var server = new ConsoleServer();
        var config = new CwwConfig
        {
            Site = new SiteConfig { Id = "h265-site", Name = "test" },
            Paths = new PathsConfig { Data = server.Data, Models = suite.ModelsDirectory },
            Messaging = new MessagingConfig { Broker = BrokerKind.None },
            Cameras = [suite.LiveCamera(simulator)],
        };
        var stored = new TaskCompletionSource<CaseRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var loggers = Logging.Create(LogLevel.Warning);
        CaseRecord record;
        await using (var box = await EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: c => stored.TrySetResult(c), CancellationToken.None))
        {
            await Task.WhenAny(stored.Task, Task.Delay(TimeSpan.FromMinutes(3)));
            Assert.True(stored.Task.IsCompleted, $"no case stored within 3 min:\n{Assert.Single(box.Health())}\n{box.Evidence.Health}");
            record = await stored.Task;
            Assert.Equal("H.265", Assert.Single(box.Health()).Codec); // both streams H.265, as the box reports it
        }

        // The clip is the camera's H.265, cut without re-encoding; the rendition is H.264; both are signed.
        var folder = record.EvidenceFolder;
        Assert.Equal("hevc", await CrosswalkWatch.Media.FfmpegFile.CodecOfAsync(Path.Combine(folder, "clip.mp4")));
        Assert.Equal("h264", await CrosswalkWatch.Media.FfmpegFile.CodecOfAsync(Path.Combine(folder, ClipRendition.FileName)));
        using var signer = EvidenceSigner.Load(EvidenceSigner.DefaultPath(server.Data));
        var check = await EvidenceVerifier.VerifyAsync(folder, EvidenceKeys.Of("h265-site", signer));
        Assert.Empty(check.Problems);
        var manifest = System.Text.Json.JsonSerializer.Deserialize<EvidenceManifest>(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json")), EvidenceJson.Files)!;
        Assert.Contains(manifest.Files, f => f.Name == ClipRendition.FileName);
        Assert.Equal(3, Directory.GetFiles(folder, "photo*.jpg").Length);

        // A rendition changed after signing is caught like any other file.
        var copy = Path.Combine(server.Folder.Path, "tampered");
        CopyFolder(folder, copy);
        await using (var rendition = File.OpenWrite(Path.Combine(copy, ClipRendition.FileName)))
        {
            rendition.Seek(-16, SeekOrigin.End);
            rendition.Write(new byte[16]);
        }

        Assert.Contains((await EvidenceVerifier.VerifyAsync(copy, EvidenceKeys.Of("h265-site", signer))).Problems, p => p.Contains(ClipRendition.FileName, StringComparison.Ordinal));

        // The police console plays the rendition in Chromium, the original one click away.
        await server.AddAccountsAsync();
        await server.StartAsync();
        var output = await Browser.RunAsync(
            "police-h265",
            new { baseUrl = server.Address.ToString(), password = ConsoleServer.Password, caseId = record.CaseId },
            TimeSpan.FromMinutes(2));
        Assert.Contains("scenario police-h265: passed", output, StringComparison.Ordinal);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
