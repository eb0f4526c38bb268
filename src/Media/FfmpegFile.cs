namespace CrosswalkWatch.Media;

/// <summary>
/// Runs ffmpeg to write one file: into a hidden partial file beside the target, renamed over it only when ffmpeg
/// succeeded and wrote something, so a half-written file is never seen and a failure leaves nothing behind; and
/// ffprobe to read what a file holds.
/// </summary>
public static class FfmpegFile
{
    /// <param name="arguments">ffmpeg's arguments up to its output, which this adds.</param>
    /// <param name="output">The file to write.</param>
    /// <param name="what">What is being made, for the error: "cutting x.mp4".</param>
    public static async Task WriteAsync(IReadOnlyList<string> arguments, string output, string what, CancellationToken cancellationToken = default)
    {
        var partial = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $".{Path.GetFileName(output)}.{Environment.ProcessId}.part{Path.GetExtension(output)}");
        try
        {
            using var ffmpeg = ChildProcess.Start("ffmpeg", [.. arguments, partial]);
            var errors = ffmpeg.StandardError.ReadToEndAsync(cancellationToken);
            await ffmpeg.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var message = (await errors.ConfigureAwait(false)).Trim();
            if (ffmpeg.ExitCode != 0 || !File.Exists(partial) || new FileInfo(partial).Length == 0)
            {
                throw new MediaException($"{what} failed (ffmpeg exit {ffmpeg.ExitCode}): {message}");
            }

            File.Move(partial, output, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>ffmpeg's codec name as operators know it: h264 is H.264, hevc is H.265; others as ffmpeg names them.</summary>
    public static string CodecName(string ffmpegName) => ffmpegName switch
    {
        "h264" => "H.264",
        "hevc" => "H.265",
        _ => ffmpegName,
    };

    /// <summary>ffprobe's name of the first video stream's codec ("h264", "hevc", …).</summary>
    public static async Task<string> CodecOfAsync(string file, CancellationToken cancellationToken = default)
    {
        const string what = "no video stream could be read";
        var (codec, errors) = await ProbeAsync(file, ["-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0"], what, cancellationToken).ConfigureAwait(false);
        codec = codec.Trim();
        return codec.Length > 0 ? codec : throw new MediaException($"{file}: {what} (ffprobe exit 0): {errors}");
    }

    /// <summary>
    /// What ffprobe prints on its output for <paramref name="file"/> with <paramref name="arguments"/> (errors only on its
    /// error output), and that error output trimmed.
    /// </summary>
    /// <exception cref="MediaException">ffprobe failed: the file, <paramref name="what"/>, its exit code and its words.</exception>
    public static async Task<(string Output, string Errors)> ProbeAsync(string file, IReadOnlyList<string> arguments, string what, CancellationToken cancellationToken = default)
    {
        using var ffprobe = ChildProcess.Start("ffprobe", ["-v", "error", .. arguments, file]);
        var output = new StreamReader(ffprobe.StandardOutput).ReadToEndAsync(cancellationToken);
        var errors = ffprobe.StandardError.ReadToEndAsync(cancellationToken);
        await ffprobe.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var said = (await errors.ConfigureAwait(false)).Trim();
        if (ffprobe.ExitCode != 0)
        {
            throw new MediaException($"{file}: {what} (ffprobe exit {ffprobe.ExitCode}): {said}");
        }

        return (await output.ConfigureAwait(false), said);
    }
}
