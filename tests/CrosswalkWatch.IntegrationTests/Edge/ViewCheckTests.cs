using System.Collections.Concurrent;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Cli.Commands;
using CrosswalkWatch.Detector.CameraView;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// The view check on real cameras: the crossing footage, made moved (shifted, turned), blocked (a patch over the
/// lens), blurred and darkened with ffmpeg, is served over RTSP by the camera simulator, each camera's file being
/// 13 s of the footage as it is, then 13 s changed, in a loop. One live box watches all of them and the unchanged
/// footage beside them: each fault is found while its part plays and cleared when the footage comes round again;
/// moved and blocked cameras are not judged meanwhile (no frame reaches the tracker and the rule) and are judged
/// again after; the unchanged camera never leaves OK.
/// </summary>
[Collection(UsesDetectionModels.Name)]
public sealed class ViewCheckTests(DetectionModels models, ITestOutputHelper output)
{
    private static readonly (string Camera, string? Filter, ViewState Expected)[] Variants =
    [
        ("unchanged", null, ViewState.Ok),
        ("shifted", FootageVariants.Shifted, ViewState.Moved),
        ("turned", FootageVariants.Turned, ViewState.Moved),
        ("blocked", FootageVariants.Blocked, ViewState.Blocked),
        ("blurred", FootageVariants.Blurred, ViewState.Blurred),
        ("dark", FootageVariants.Dark, ViewState.Exposure),
    ];

    [Fact]
    public async Task EdgeBox_FootageMovedBlockedBlurredDark_EachFoundWhileItPlaysAndClearedAfter()
    {
        using var temp = new TempFolder();
        var files = await Task.WhenAll(Variants.Select(v => FootageVariants.MakeAsync(temp.Path, v.Camera, v.Filter)));
        using var simulator = await CameraSimulator.StartAsync(new SimulatorOptions
        {
            Cameras = [.. Variants.Select((v, i) => (v.Camera, files[i]))],
            Port = CameraSimulator.FreePort(),
            Copy = true,
            SubStream = false,
        });
        var config = new CwwConfig
        {
            Site = new SiteConfig { Id = "view-site", Name = "test" },
            Paths = new PathsConfig { Data = temp.File("data"), Models = models.ModelsDirectory },
            Messaging = new MessagingConfig { Broker = BrokerKind.None },
            Metrics = new MetricsConfig { Port = CameraSimulator.FreePort() },
            Cameras = [.. Variants.Select(v => new CameraConfig
            {
                Id = v.Camera,
                Place = "the crossing",
                Direction = "southbound",
                Url = simulator.MainUrl(v.Camera),
                Scene = Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml"),
                Ingest = new IngestSettings { DetectFps = 2, Record = false, ViewCheckSeconds = 1 },
            })],
        };

        using var loggers = Logging.Create(LogLevel.Warning);
        var seen = new ConcurrentDictionary<string, List<(DateTimeOffset At, ViewState State, long FirstJudged, long Judged, string? Why, string? Detection)>>();
        await using (var box = await EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: null, CancellationToken.None))
        {
            // Watch until every faulty camera was found and then cleared (the footage comes round every 26 s).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(100);
            while (!Variants.Where(v => v.Expected != ViewState.Ok).All(v => FoundAndCleared(seen.GetValueOrDefault(v.Camera), v.Expected)))
            {
                Assert.True(DateTime.UtcNow < deadline, $"not every fault was found and cleared within 100 s:\n{Describe(seen)}");
                foreach (var health in box.Health())
                {
                    var judged = box.Pipelines.Single(p => p.CameraId == health.CameraId).Frames;
                    var states = seen.GetOrAdd(health.CameraId, _ => []);
                    if (states.Count == 0 || states[^1].State != health.View)
                    {
                        states.Add((DateTimeOffset.UtcNow, health.View, judged, judged, health.ViewDetail, health.Detection));
                    }
                    else
                    {
                        states[^1] = states[^1] with { Judged = judged };
                    }
                }

                await Task.Delay(200);
            }

            // Prometheus sees the same: one view per camera at 1 (the unchanged one OK).
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(box.Metrics!.Address);
            Assert.Contains("cww_camera_view{camera=\"unchanged\",view=\"ok\"} 1", metrics, StringComparison.Ordinal);
            foreach (var (camera, _, _) in Variants)
            {
                Assert.Single(metrics.Split('\n'), l => l.StartsWith($"cww_camera_view{{camera=\"{camera}\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
            }
        }

        output.WriteLine(Describe(seen));
        foreach (var (camera, _, expected) in Variants)
        {
            var states = seen[camera];
            if (expected == ViewState.Ok)
            {
                // The unchanged footage, traffic and all, is never taken for a fault.
                Assert.All(states.Skip(1), s => Assert.Equal(ViewState.Ok, s.State));
                continue;
            }

            var fault = states.FindIndex(s => s.State == expected);
            Assert.DoesNotContain(states, s => s.State is not (ViewState.Learning or ViewState.Ok) && s.State != expected);
            if (!expected.Judges())
            {
                // Paused: not one frame reached the rule from the first look that saw the fault to the last one (frames
                // judged between the last look before and the check that found it were judged while the view was sound);
                // judged again once it cleared.
                Assert.True(states[fault].FirstJudged == states[fault].Judged, $"{camera}: {states[fault].Judged - states[fault].FirstJudged} frames judged while {expected}");
                Assert.StartsWith($"paused: camera {expected.ToString().ToLowerInvariant()}", states[fault].Detection, StringComparison.Ordinal);
                Assert.True(states[^1].Judged > states[fault].Judged, $"{camera} was not judged again after it cleared");
            }
        }

        // What the box compared with is there for the console's side-by-side.
        Assert.True(File.Exists(ViewReferenceFile.PicturePath(config.Paths.Data, "shifted")));
        Assert.True(File.Exists(ViewReferenceFile.LivePath(config.Paths.Data, "shifted")));
    }

    private static bool FoundAndCleared(List<(DateTimeOffset At, ViewState State, long FirstJudged, long Judged, string? Why, string? Detection)>? states, ViewState expected)
    {
        if (states is null)
        {
            return false;
        }

        var fault = states.FindIndex(s => s.State == expected);
        return fault >= 0 && states.Skip(fault + 1).Any(s => s.State == ViewState.Ok);
    }

    private static string Describe(ConcurrentDictionary<string, List<(DateTimeOffset At, ViewState State, long FirstJudged, long Judged, string? Why, string? Detection)>> seen) =>
        string.Join("\n", seen.OrderBy(p => p.Key).Select(p => $"{p.Key}: " + string.Join(" → ", p.Value.Select(s => $"{s.State} at {s.At:HH:mm:ss.f} (judged {s.FirstJudged}–{s.Judged}; {s.Why}; {s.Detection})"))));
}
