using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Ingest;
using CrosswalkWatch.Ingest.Cameras;
using CrosswalkWatch.Ingest.Recording;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Cli.Commands;

/// <summary>Camera tools for operators: the RTSP camera simulator, a stream probe, and clip cutting from the ring.</summary>
internal static class CameraCommands
{
    public static Command Simulator()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Video file(s) to serve, one camera each.", Arity = ArgumentArity.OneOrMore };
        var port = new Option<int>("--port") { Description = "RTSP port on 127.0.0.1.", DefaultValueFactory = _ => 8554 };
        var paths = new Option<string[]>("--path") { Description = "Path of each camera, in file order (default cam1, cam2, …).", AllowMultipleArgumentsPerToken = true };
        var fps = new Option<double>("--fps") { Description = "Frames per second of the served streams.", DefaultValueFactory = _ => 25 };
        var size = new Option<string?>("--size") { Description = "Main-stream size WxH (default: the file's own)." };
        var subSize = new Option<string>("--sub-size") { Description = "Sub-stream size WxH.", DefaultValueFactory = _ => "640x360" };
        var noSub = new Option<bool>("--no-sub") { Description = "Serve no sub-stream." };
        var copy = new Option<bool>("--copy") { Description = "Serve the file's H.264 or H.265 without re-encoding (cheap; for many 1080p streams)." };
        var codec = new Option<StreamCodec?>("--codec") { Description = "Main-stream codec, h264 or h265 (H.265 is what Hikvision, Dahua and Uniview send by default). Default h264, or the file's own with --copy." };
        var subCodec = new Option<StreamCodec?>("--sub-codec") { Description = "Sub-stream codec, h264 or h265 (default: the main stream's)." };
        var command = new Command("camera-sim", "Serve video files in a loop over RTSP on 127.0.0.1 as cameras (main stream /PATH and sub-stream /PATH/sub).")
        {
            files, port, paths, fps, size, subSize, noSub, copy, codec, subCodec,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var inputs = result.GetRequiredValue(files);
            var names = result.GetValue(paths) ?? [];
            var cameras = inputs.Select((f, i) => (i < names.Length ? names[i] : $"cam{i + 1}", f.FullName)).ToList();
            using var simulator = await CameraSimulator.StartAsync(
                new SimulatorOptions
                {
                    Cameras = cameras,
                    Port = result.GetValue(port),
                    Fps = result.GetValue(fps),
                    Size = result.GetValue(size),
                    SubSize = result.GetRequiredValue(subSize),
                    SubStream = !result.GetValue(noSub),
                    Copy = result.GetValue(copy),
                    Codec = result.GetValue(codec),
                    SubCodec = result.GetValue(subCodec),
                },
                cancellationToken: cancellationToken);
            Console.WriteLine("camera simulator serving (Ctrl+C to stop):");
            foreach (var url in simulator.Urls)
            {
                Console.WriteLine($"  {url}");
            }

            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return 0;
        });
        return command;
    }

    public static Command Probe()
    {
        var url = new Argument<string>("URL") { Description = "rtsp:// URL, video file or image folder." };
        var seconds = new Option<double>("--seconds") { Description = "How long to read.", DefaultValueFactory = _ => 5 };
        var command = new Command("probe", "Connect to a camera and print its resolution, codec, measured fps, frames received and drops.") { url, seconds };
        command.SetAction(async (result, cancellationToken) =>
        {
            var target = result.GetRequiredValue(url);
            var duration = TimeSpan.FromSeconds(result.GetValue(seconds));
            var camera = new CameraConfig
            {
                Id = "probe",
                Url = target,
                Ingest = new IngestSettings { DetectFps = 60, DetectWidth = 3840, DetectHeight = 2160, Record = false, QueueCapacity = 64 },
            };
            using var loggers = Logging.Create(LogLevel.Warning);
            var pool = new FramePool();
            await using var runner = CameraFactory.Create(camera, Path.GetTempPath(), pool, loggers);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(duration);
            var run = runner.RunAsync(stop.Token);
            var clock = Stopwatch.StartNew();
            long frames = 0;
            DateTimeOffset? first = null;
            DateTimeOffset? last = null;
            await foreach (var frame in runner.Frames.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                frames++;
                first ??= frame.CapturedAt;
                last = frame.CapturedAt;
                frame.Dispose();
            }

            await run.ConfigureAwait(false);
            var health = runner.Health;
            var fps = frames > 1 && last > first ? (frames - 1) / (last.Value - first.Value).TotalSeconds : 0;
            Console.WriteLine($"source      {RtspRedacted(target)}");
            Console.WriteLine($"resolution  {health.SourceSize ?? "unknown"}");
            Console.WriteLine($"codec       {health.Codec ?? "unknown"}");
            Console.WriteLine($"frames      {frames} in {clock.Elapsed.TotalSeconds:0.0} s");
            Console.WriteLine($"fps         {fps:0.00}");
            Console.WriteLine($"drops       {health.Drops}");
            Console.WriteLine($"reconnects  {health.Reconnects}");
            Console.WriteLine($"state       {health.State}{(health.LastError is null ? "" : " — " + health.LastError)}");
            return frames > 0 ? 0 : 1;
        });
        return command;
    }

    public static Command Clip()
    {
        var config = RunCommands.ConfigOption();
        var camera = new Option<string>("--camera") { Description = "Camera id.", Required = true };
        var at = new Option<string>("--at") { Description = "Event time: ISO 8601 (e.g. 2026-11-28T09:30:12.250+08:00; no offset = this machine's zone) or 'now-30s'.", Required = true };
        var before = new Option<double>("--before") { Description = "Seconds before the event.", DefaultValueFactory = _ => 5 };
        var after = new Option<double>("--after") { Description = "Seconds after the event.", DefaultValueFactory = _ => 5 };
        var output = new Option<FileInfo>("--out") { Description = "Output MP4 (H.264, faststart: plays in a browser).", Required = true };
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for the recording to reach the end of the window.", DefaultValueFactory = _ => 20 };
        var command = new Command("clip", "Cut an evidence clip around a time from a camera's recording ring, without re-encoding.")
        {
            config, camera, at, before, after, output, wait,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = ConfigLoader.Load(result.GetRequiredValue(config).FullName);
            var id = result.GetRequiredValue(camera);
            if (settings.Cameras.All(c => c.Id != id))
            {
                Console.Error.WriteLine($"no camera '{id}' in the configuration (cameras: {string.Join(", ", settings.Cameras.Select(c => c.Id))})");
                return 2;
            }

            var when = ParseTime(result.GetRequiredValue(at));
            var from = when.AddSeconds(-result.GetValue(before));
            var to = when.AddSeconds(result.GetValue(after));
            var ring = new RecordingRing(CameraFactory.RecordingDirectory(settings.Paths.Data, id));
            var deadline = DateTimeOffset.UtcNow.AddSeconds(result.GetValue(wait));
            while (ring.Segments() is var segments && (segments.Count == 0 || segments[^1].End < to) && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }

            var clip = await ring.CutClipAsync(from, to, result.GetRequiredValue(output).FullName, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{clip.Path}: {clip.Start.ToLocalTime():O} to {clip.End.ToLocalTime():O} ({clip.Duration.TotalSeconds:0.0} s, {clip.Segments} segments, {Media.FfmpegFile.CodecName(clip.Codec)})");
            if (!clip.CoversWindow)
            {
                Console.Error.WriteLine($"warning: the recording does not cover the whole window {from.ToLocalTime():O} to {to.ToLocalTime():O} (camera down, or too early/late)");
            }

            return 0;
        });
        return command;
    }

    /// <summary>ISO 8601 (no offset: this machine's zone) or <c>now-30s</c> / <c>now-2m</c>.</summary>
    internal static DateTimeOffset ParseTime(string text)
    {
        if (text.StartsWith("now", StringComparison.OrdinalIgnoreCase))
        {
            var rest = text[3..];
            if (rest.Length == 0)
            {
                return DateTimeOffset.UtcNow;
            }

            var unit = rest[^1];
            if (double.TryParse(rest[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && unit is 's' or 'm' or 'h')
            {
                return DateTimeOffset.UtcNow + (unit switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromHours(amount) });
            }
        }
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
        {
            return time;
        }

        throw new IngestException($"'{text}' is not a time: give ISO 8601 (2026-11-28T09:30:12.250+08:00) or now-30s", permanent: true);
    }

    private static string RtspRedacted(string url) => CameraFactory.IsRtsp(url) && url.Contains('@', StringComparison.Ordinal) ? url[..url.IndexOf("://", StringComparison.Ordinal)] + "://***@" + url[(url.IndexOf('@', StringComparison.Ordinal) + 1)..] : url;
}
