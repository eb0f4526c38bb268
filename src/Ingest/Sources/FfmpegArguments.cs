using System.Globalization;
using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>
/// Builds the one ffmpeg command line per camera that both feeds the detector (scaled, rate-limited raw BGR on
/// standard output) and records the main stream into the ring (stream copy into short MPEG-TS segments).
/// </summary>
internal static class FfmpegArguments
{
    /// <summary>Where a session's recording goes: the segment pattern and the CSV list ffmpeg appends to.</summary>
    internal sealed record RecordingTarget(string SegmentPattern, string ListPath, double SegmentSeconds);

    /// <summary>The index of the input recorded: the main stream is input 1 when a sub-stream feeds detection.</summary>
    public static int RecordInput(string detectUrl, string? recordUrl) => recordUrl is not null && recordUrl != detectUrl ? 1 : 0;

    public static IReadOnlyList<string> ForRtsp(string detectUrl, string? recordUrl, IngestSettings settings, RecordingTarget? recording)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+info" };
        AddRtspInput(args, detectUrl, settings);
        var recordInput = recording is null ? 0 : RecordInput(detectUrl, recordUrl);
        if (recordInput == 1)
        {
            AddRtspInput(args, recordUrl!, settings);
        }

        // Wall-clock timestamps on every input (as Frigate does): the segment list then holds Unix times, so a
        // clip can be cut by the time of an event. Cameras must send no B-frames (the usual setting for live view).
        args.Add("-copyts");

        // Detection output: every frame passes through the gate before scaling, so scaling and colour conversion
        // cost only the frames the detector gets. passthrough keeps ffmpeg from duplicating frames after a gap.
        var select = settings.DetectFps >= RateGate.EveryFrame ? "" : $"select='{RateGate.FfmpegSelectExpression(settings.DetectFps)}',";
        var filter = select +
                     $"scale=w=min({settings.DetectWidth}\\,iw):h=min({settings.DetectHeight}\\,ih):force_original_aspect_ratio=decrease:force_divisible_by=2," + // fit, never upscale
                     "showinfo=checksum=0"; // one line per frame with its wall-clock time, read by FfmpegLog
        args.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filter, "-fps_mode", "passthrough", "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"]);

        if (recording is not null)
        {
            args.AddRange(
            [
                "-map", $"{recordInput}:v:0", "-c:v", "copy", "-an", "-sn", "-dn",
                "-f", "segment",
                "-segment_time", recording.SegmentSeconds.ToString("0.###", CultureInfo.InvariantCulture),
                "-segment_format", "mpegts",
                "-reset_timestamps", "1",
                "-segment_list", recording.ListPath,
                "-segment_list_type", "csv",
                recording.SegmentPattern,
            ]);
        }

        return args;
    }

    private static void AddRtspInput(List<string> args, string url, IngestSettings settings)
    {
        // -timeout is the socket I/O timeout in microseconds: a frozen server makes ffmpeg give up by itself,
        // although the runner's watchdog acts first.
        var timeoutMicroseconds = (long)(Math.Max(settings.StallTimeoutSeconds, 2) * 2_000_000);
        args.AddRange(
        [
            "-thread_queue_size", "512",
            "-use_wallclock_as_timestamps", "1",
            "-rtsp_transport", settings.Transport == RtspTransport.Udp ? "udp" : "tcp",
            "-timeout", timeoutMicroseconds.ToString(CultureInfo.InvariantCulture),
            // low_delay on the decoder, but not -fflags nobuffer: against GStreamer's RTSP server it lost about a
            // third of the frames (measured: 107 instead of 151 in 6 s).
            "-flags", "low_delay",
            // Probe half a second, not the default five: ffmpeg holds back what it reads while probing and then sends it
            // all at once, a burst the detector does not want. Cameras name the size in their SDP; this is plenty.
            "-analyzeduration", "500000",
            "-i", url,
        ]);
    }
}
