using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge.Pipeline;
using CrosswalkWatch.Ingest.Cameras;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Measure;

/// <summary>Measuring commands: real streams through the real pipeline on this machine; figures go to bench/README.md.</summary>
public static class BenchCommands
{
    /// <param name="logging">The program's console logging at a level (the command line's own).</param>
    public static Command Create(Func<LogLevel, ILoggerFactory> logging)
    {
        var command = new Command("bench", "Measure throughput, CPU and memory on this machine (micro-benchmarks: bench/CrosswalkWatch.Bench).");
        command.Add(Ingest(logging));
        command.Add(Pipeline(logging));
        command.Add(CapacityBench.Create(logging));
        command.Add(DeliveryBench.Create());
        return command;
    }

    private static Command Pipeline(Func<LogLevel, ILoggerFactory> logging)
    {
        var video = new Option<FileInfo?>("--video") { Description = "Video to run (default: the sample footage)." };
        var scene = new Option<FileInfo?>("--scene") { Description = "Its scene file (default: the sample footage's)." };
        var fps = new Option<double>("--fps") { Description = "Detection frames per second of video (60 = every frame).", DefaultValueFactory = _ => 60 };
        var model = new Option<string>("--detector") { Description = "yolox-nano or fastestdet.", DefaultValueFactory = _ => "yolox-nano" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads.", DefaultValueFactory = _ => 2 };
        var trim = new Option<bool>("--trim-input") { Description = "YOLOX-Nano on the letterboxed picture without its padding (detector.trimInput), the bare runs at the same size." };
        var command = new Command("pipeline", "Frames per second of the whole edge pipeline on a file (decode, detect, track, rule) beside bare ONNX Runtime inference of the same model in the same run, and peak memory.")
        {
            video, scene, fps, model, threads, trim,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var file = result.GetValue(video)?.FullName ?? Assets.SampleFootage();
            var repo = Assets.RepositoryRoot() ?? Environment.CurrentDirectory;
            var sceneFile = result.GetValue(scene)?.FullName ?? Path.Combine(repo, "samples", "scenes", "rox_crosswalk_elevated.yaml");
            var store = PipelineFactory.OpenModels();
            var key = result.GetRequiredValue(model);
            using var detector = PipelineFactory.CreateDetector(store, key, result.GetValue(threads), trimInput: result.GetValue(trim));
            // Not gated on motion: the ratio is the pipeline's cost around each run of the model, not the runs it saves.
            using var pipeline = PipelineFactory.CreatePipeline("bench", detector, Config.SceneLoader.Load(sceneFile), new YieldRuleSettings());
            using var loggers = logging(LogLevel.Warning);
            var clock = Stopwatch.StartNew();
            var replayed = await FileReplay.RunAsync(file, result.GetValue(fps), pipeline, DateTimeOffset.UtcNow, loggers, _ => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
            var pipelineSeconds = clock.Elapsed.TotalSeconds;
            var frames = pipeline.Frames;
            var bare = BareInference.MillisecondsPerRun(store, key, result.GetValue(threads), (int)Math.Max(20, frames), FrameSize(replayed.FrameSize), result.GetValue(trim));
            var pipelineFps = frames / pipelineSeconds;
            var bareFps = 1000 / bare;
            Console.WriteLine($"bench pipeline: {Path.GetFileName(file)}, {key}{(result.GetValue(trim) ? " (input trimmed to the picture)" : "")}, {result.GetValue(threads)} threads, {Environment.ProcessorCount} cores");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"whole pipeline   {frames} frames in {pipelineSeconds:0.00} s = {pipelineFps:0.0} frames/s (decode, resize, detect, track, rule)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bare inference   {bare:0.0} ms per run = {bareFps:0.0} runs/s (session.Run only, same model, threads and input size)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio            {pipelineFps / bareFps:0.00} (pipeline / bare inference)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak memory      {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MB (working set)"));
            return 0;
        });
        return command;
    }

    /// <summary>The size of the frames the pipeline was handed ("640x352" in the camera's health), for bare inference at the same input size.</summary>
    private static (int Width, int Height)? FrameSize(string? text) =>
        text?.Split('x') is [var w, var h] && int.TryParse(w, CultureInfo.InvariantCulture, out var width) && int.TryParse(h, CultureInfo.InvariantCulture, out var height)
            ? (width, height)
            : null;

    private static Command Ingest(Func<LogLevel, ILoggerFactory> logging)
    {
        var streams = new Option<int>("--streams") { Description = "Simultaneous RTSP cameras.", DefaultValueFactory = _ => 1 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds (after a warm-up).", DefaultValueFactory = _ => 20 };
        var video = new Option<FileInfo?>("--video") { Description = "H.264 or H.265 file to serve as it is (default: the sample footage made 1920×1080 at 25 fps in the --codec)." };
        var codec = new Option<StreamCodec?>("--codec") { Description = "Codec of the default test clip, h264 or h265 (as Hikvision, Dahua and Uniview main streams)." };
        var detectFps = new Option<double>("--detect-fps") { Description = "Frames per second handed on per camera (25 = every frame).", DefaultValueFactory = _ => 25 };
        var record = new Option<bool>("--record") { Description = "Also record each main stream into the ring (stream copy).", DefaultValueFactory = _ => true };
        var command = new Command(
            "ingest",
            "N simulated 1080p25 RTSP cameras through ingest (one ffmpeg each: decode, scale to 640×360, BGR, and recording): frames per second and CPU per stream.")
        {
            streams, seconds, video, detectFps, record, codec,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var count = result.GetValue(streams);
            var window = TimeSpan.FromSeconds(result.GetValue(seconds));
            var work = Path.Combine(Assets.RepositoryRoot() ?? Path.GetTempPath(), "var", "bench");
            Directory.CreateDirectory(work);
            var file = result.GetValue(video)?.FullName ?? await MakeTestClipAsync(work, result.GetValue(codec) ?? StreamCodec.H264, cancellationToken).ConfigureAwait(false);

            using var simulator = await CameraSimulator.StartAsync(
                new SimulatorOptions
                {
                    Cameras = Enumerable.Range(1, count).Select(i => ($"cam{i}", file)).ToList(),
                    Port = CameraSimulator.FreePort(),
                    Copy = true,
                    SubStream = false,
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            var recordings = Path.Combine(work, "recordings");
            if (Directory.Exists(recordings))
            {
                Directory.Delete(recordings, recursive: true);
            }

            using var loggers = logging(LogLevel.Warning);
            var pool = new FramePool();
            var runners = Enumerable.Range(1, count).Select(i => CameraFactory.Create(
                new CameraConfig
                {
                    Id = $"cam{i}",
                    Url = simulator.MainUrl($"cam{i}"),
                    Ingest = new IngestSettings { DetectFps = result.GetValue(detectFps), Record = result.GetValue(record), QueueCapacity = 4, MinFreeMegabytes = 64 },
                },
                work,
                pool,
                loggers)).ToList();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var runs = runners.Select(r => Task.Run(() => r.RunAsync(stop.Token), CancellationToken.None)).ToList();
            var drains = runners.Select(r => Task.Run(async () =>
            {
                await foreach (var frame in r.Frames.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    frame.Dispose();
                }
            }, CancellationToken.None)).ToList();

            Console.WriteLine($"bench ingest: {count} stream(s) of {Describe(file)}, detection frames 640x360 at up to {result.GetValue(detectFps)} fps, recording {(result.GetValue(record) ? "on" : "off")}");
            foreach (var runner in runners)
            {
                await runner.WaitForAsync(h => h.State == CameraState.Streaming && h.Frames >= 25, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false); // let every decoder settle
            var simulatorPid = new HashSet<int> { simulator.ProcessId ?? -1 };
            var framesBefore = runners.Select(r => r.Health.Frames).ToList();
            var usageBefore = ProcessTreeUsage.Sample(simulatorPid);
            var clock = Stopwatch.StartNew();
            long peakRss = 0;
            while (clock.Elapsed < window)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                peakRss = Math.Max(peakRss, ProcessTreeUsage.Sample(simulatorPid).ResidentBytes);
            }

            var elapsed = clock.Elapsed.TotalSeconds;
            var usageAfter = ProcessTreeUsage.Sample(simulatorPid);
            var perStream = runners.Select((r, i) => (r.Health.Frames - framesBefore[i]) / elapsed).ToList();
            var drops = runners.Sum(r => r.Health.Drops);
            var reconnects = runners.Sum(r => r.Health.Reconnects);
            var cores = (usageAfter.Cpu - usageBefore.Cpu).TotalSeconds / elapsed;
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(runs).ConfigureAwait(false);
            await Task.WhenAll(drains).ConfigureAwait(false);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measured {elapsed:0.0} s on {Environment.ProcessorCount} cores"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frames/s per stream   mean {perStream.Average():0.0}  min {perStream.Min():0.0}  max {perStream.Max():0.0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frames/s all streams  {perStream.Sum():0.0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU (cww + {usageAfter.Children} ffmpeg)  {cores:0.00} cores in all, {cores / count * 100:0} % of a core per stream (simulator not counted)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory (RSS) peak     {peakRss / (1024.0 * 1024):0} MB (cww + ffmpeg)"));
            Console.WriteLine($"drops {drops}, reconnects {reconnects}, frames still held {pool.Outstanding}");
            foreach (var runner in runners)
            {
                await runner.DisposeAsync().ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The sample footage as a 1920×1080, 25 fps clip without B-frames (a typical camera main stream), in H.264 or H.265.</summary>
    private static async Task<string> MakeTestClipAsync(string work, StreamCodec codec, CancellationToken cancellationToken)
    {
        var clip = Path.Combine(work, codec == StreamCodec.H265 ? "crosswalk_1080p25_h265.mp4" : "crosswalk_1080p25.mp4");
        if (File.Exists(clip))
        {
            return clip;
        }

        Console.WriteLine($"making the 1080p25 test clip {clip} from the sample footage…");
        var partial = clip + ".part.mp4";
        if (codec == StreamCodec.H265)
        {
            await FfmpegAsync(["-i", Assets.SampleFootage(), "-vf", "scale=1920:1080,fps=25", .. H265CameraLike, partial], $"make {partial}", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await EncodeAsync(Assets.SampleFootage(), "fps=25", partial, cancellationToken, size: "1920:1080").ConfigureAwait(false);
        }

        File.Move(partial, clip);
        return clip;
    }

    /// <summary>H.265 as those cameras send it: one key frame a second at 25 fps, no B-frames, no audio, 4:2:0.</summary>
    private static readonly string[] H265CameraLike = ["-an", "-c:v", "libx265", "-preset", "veryfast", "-x265-params", "keyint=25:min-keyint=25:bframes=0:scenecut=0:log-level=error", "-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-f", "mp4"];

    /// <summary>
    /// Re-encodes <paramref name="input"/> as a camera would send it: H.264, one key frame a second at 25 fps, no
    /// B-frames, no audio; optionally scaled to <paramref name="size"/> (W:H).
    /// </summary>
    internal static Task EncodeAsync(string input, string filter, string output, CancellationToken cancellationToken, string? size = null) =>
        FfmpegAsync(
            ["-i", input, "-vf", size is null ? filter : $"scale={size},{filter}", .. CameraLike, output],
            $"make {output} from {input}",
            cancellationToken);

    /// <summary>A picture as a video of <paramref name="seconds"/>, encoded as <see cref="EncodeAsync"/> does.</summary>
    internal static Task StillAsync(string picture, double seconds, string output, CancellationToken cancellationToken) =>
        FfmpegAsync(
            ["-loop", "1", "-framerate", "25", "-t", seconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", picture, .. CameraLike, output],
            $"make {output} from {picture}",
            cancellationToken);

    /// <summary>The videos one after another, each scaled to <paramref name="size"/> (W:H) at 25 fps, as one H.264 file (an intermediate for <see cref="EncodeAsync"/>).</summary>
    internal static Task JoinAsync(IReadOnlyList<string> inputs, string size, string output, CancellationToken cancellationToken)
    {
        var arguments = new List<string>();
        var graph = new System.Text.StringBuilder();
        for (var i = 0; i < inputs.Count; i++)
        {
            arguments.AddRange(["-i", inputs[i]]);
            graph.Append(CultureInfo.InvariantCulture, $"[{i}:v]scale={size},fps=25,setsar=1[v{i}];");
        }

        graph.Append(string.Concat(Enumerable.Range(0, inputs.Count).Select(i => $"[v{i}]"))).Append(CultureInfo.InvariantCulture, $"concat=n={inputs.Count}:v=1:a=0[out]");
        arguments.AddRange(["-filter_complex", graph.ToString(), "-map", "[out]", "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-f", "mp4", output]);
        return FfmpegAsync(arguments, $"join {string.Join(", ", inputs.Select(Path.GetFileName))} into {output}", cancellationToken);
    }

    /// <summary>The video from <paramref name="seconds"/> on, then its start up to there, by stream copy (cut at key frames: give a second where there is one).</summary>
    internal static async Task RotateAsync(string input, int seconds, string output, CancellationToken cancellationToken)
    {
        var list = output + ".txt";
        var quoted = "'" + input.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
        await File.WriteAllTextAsync(list, string.Create(CultureInfo.InvariantCulture, $"ffconcat version 1.0\nfile {quoted}\ninpoint {seconds}\nfile {quoted}\noutpoint {seconds}\n"), cancellationToken).ConfigureAwait(false);
        try
        {
            await FfmpegAsync(["-f", "concat", "-safe", "0", "-i", list, "-map", "0:v:0", "-c", "copy", "-f", "mp4", output], $"rotate {input} by {seconds} s into {output}", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(list);
        }
    }

    /// <summary>H.264 as a camera sends it: one key frame a second at 25 fps, no B-frames, no audio, 4:2:0.</summary>
    private static readonly string[] CameraLike = ["-an", "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p", "-f", "mp4"];

    /// <summary>Runs ffmpeg quietly, overwriting its output; throws saying what it could not <paramref name="what"/>.</summary>
    private static async Task FfmpegAsync(IEnumerable<string> arguments, string what, CancellationToken cancellationToken)
    {
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. arguments]))!;
        await ffmpeg.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not {what} (exit {ffmpeg.ExitCode})");
        }
    }

    /// <summary>The video's length in seconds (ffprobe).</summary>
    internal static async Task<double> DurationAsync(string input, CancellationToken cancellationToken)
    {
        using var ffprobe = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", input]) { RedirectStandardOutput = true })!;
        var text = await ffprobe.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await ffprobe.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw new InvalidOperationException($"ffprobe could not read the length of {input}: '{text.Trim()}'");
    }

    private static string Describe(string file) => Path.GetFileName(file);
}
