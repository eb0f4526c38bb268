using System.Threading.Channels;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Ingest.Recording;
using CrosswalkWatch.Media;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>
/// An RTSP camera read through one ffmpeg child process (OpenCvSharp's FFmpeg has no network protocols):
/// scaled, rate-limited BGR frames on its standard output for the detector, and, when a ring is given, the main
/// stream copied into segments. A sub-stream URL, when configured, feeds detection and the main URL is recorded.
/// </summary>
internal sealed class RtspSource : IFrameSource
{
    private static readonly TimeSpan PoliteStop = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FrameTimeWait = TimeSpan.FromSeconds(1);

    private readonly CameraConfig _camera;
    private readonly RecordingRing? _ring;

    public RtspSource(CameraConfig camera, RecordingRing? ring)
    {
        _camera = camera;
        _ring = ring;
        Description = Redact(camera.SubUrl ?? camera.Url);
    }

    public string Description { get; }

    public bool IsLive => true;

    /// <summary>The session being recorded now, for the ring's pruning.</summary>
    public string? ActiveSession { get; private set; }

    /// <summary>Whether the next connection records into the ring (the runner pauses it while the disk is full).</summary>
    public bool Record { get; set; } = true;

    public async Task<SourceEnd> RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        var settings = _camera.Ingest;
        var session = Record ? _ring?.BeginSession(DateTimeOffset.UtcNow) : null;
        ActiveSession = session?.Name;
        var recording = session is null
            ? null
            : new FfmpegArguments.RecordingTarget(session.SegmentPattern, session.ListPath, settings.SegmentSeconds);
        var detectUrl = _camera.SubUrl ?? _camera.Url;
        var arguments = FfmpegArguments.ForRtsp(detectUrl, _camera.Url, settings, recording);

        using var process = ChildProcess.Start("ffmpeg", arguments);
        var log = new FfmpegLog();
        var opened = new TaskCompletionSource<(int Width, int Height)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var frameTimes = Channel.CreateUnbounded<double>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var stderr = Task.Run(() => ReadLog(process, log, sink, opened, frameTimes.Writer), CancellationToken.None);

        // Stop politely (SIGTERM lets ffmpeg close the segment and its list line), then hard.
        await using var stop = cancellationToken.Register(() => StopProcess(process));
        try
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            var first = await Task.WhenAny(opened.Task, exited).ConfigureAwait(false);
            if (first != opened.Task)
            {
                await stderr.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (log.DiskFull)
                {
                    throw new RecordingDiskFullException($"{_ring?.Directory}: the recording disk is full (no space left on device)");
                }

                throw new IngestException($"{Description}: {log.LastError ?? $"ffmpeg exited with code {process.ExitCode} before the stream opened"}");
            }

            var (width, height) = await opened.Task.ConfigureAwait(false);
            if (session is not null && log.InputStart(FfmpegArguments.RecordInput(detectUrl, _camera.Url)) is { } recordStart)
            {
                session.MarkStart(recordStart);
            }

            sink.OnOpened(log.InputSize ?? $"{width}x{height}", width, height, Codecs(log, detectUrl));
            var stdout = process.StandardOutput;
            while (true)
            {
                var frame = sink.Rent(width, height);
                try
                {
                    await stdout.ReadExactlyAsync(frame.Memory, CancellationToken.None).ConfigureAwait(false);
                }
                catch (EndOfStreamException)
                {
                    frame.Dispose();
                    break;
                }

                if (await CaptureTimeAsync(frameTimes.Reader).ConfigureAwait(false) is not { } capturedAt)
                {
                    frame.Dispose(); // the first frame of a connection carries no time of its own
                    continue;
                }

                frame.CapturedAt = capturedAt;
                await sink.OnFrameAsync(frame, cancellationToken).ConfigureAwait(false);
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (log.DiskFull)
            {
                throw new RecordingDiskFullException($"{_ring?.Directory}: the recording disk is full (no space left on device)");
            }

            if (log.LastError is { } error)
            {
                throw new IngestException($"{Description}: {error}");
            }

            return SourceEnd.Disconnected;
        }
        finally
        {
            StopProcess(process);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(PoliteStop * 2, CancellationToken.None)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// The frame's capture time: the wall-clock time its packets reached ffmpeg, from the showinfo line ffmpeg logs
    /// before it writes the frame (so buffering inside ffmpeg does not shift it); now, if that line is missing; null
    /// for a frame stamped 0 (ffmpeg gives the first frame of a connection no wall-clock time).
    /// </summary>
    /// <summary>"H.265" when one stream is read or both are alike, else "H.265 main, H.264 sub"; null before ffmpeg named them.</summary>
    private string? Codecs(FfmpegLog log, string detectUrl)
    {
        if (log.InputCodec(0) is not { } detect)
        {
            return null;
        }

        var sub = detectUrl != _camera.Url;
        var main = sub ? log.InputCodec(1) : detect; // input 1 is the main stream only while it is recorded
        return main == detect ? detect : main is null ? $"{detect} sub" : $"{main} main, {detect} sub";
    }

    private static async Task<DateTimeOffset?> CaptureTimeAsync(ChannelReader<double> frameTimes)
    {
        double seconds;
        try
        {
            seconds = await frameTimes.ReadAsync().AsTask().WaitAsync(FrameTimeWait).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or ChannelClosedException)
        {
            return DateTimeOffset.UtcNow;
        }

        return seconds > 1e9 ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)) : null;
    }

    private static void ReadLog(ChildProcess process, FfmpegLog log, IFrameSink sink, TaskCompletionSource<(int, int)> opened, ChannelWriter<double> frameTimes)
    {
        while (process.StandardError.ReadLine() is { } line)
        {
            if (log.TryFrameTime(line, out var seconds))
            {
                frameTimes.TryWrite(seconds);
                continue;
            }

            var notable = log.Take(line);
            if (log.OutputSize is { } size)
            {
                opened.TrySetResult(size);
            }

            if (notable && FfmpegLog.Explain(line) is { } message)
            {
                sink.OnWarning(message);
            }
        }

        frameTimes.TryComplete();
    }

    private static void StopProcess(ChildProcess process)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            process.Signal(PosixSignalNumber.Term);
        }
        catch (MediaException)
        {
            process.Kill();
            return;
        }

        _ = Task.Delay(PoliteStop).ContinueWith(_ => process.Kill(), TaskScheduler.Default);
    }

    /// <summary>The URL without its password, fit for logs and health.</summary>
    internal static string Redact(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            var user = uri.UserInfo.Split(':')[0];
            return url.Replace(uri.UserInfo + "@", user + ":***@", StringComparison.Ordinal);
        }

        return url;
    }
}
