using OpenCvSharp;

namespace CrosswalkWatch.Media.Clips;

/// <summary>
/// Full-resolution pictures out of a recorded file, decoded in this process (OpenCV's FFmpeg backend): no ffmpeg
/// run, no picture written and read back. The file is decoded once from its start, which a recorded segment (a couple
/// of seconds) allows; seeking in MPEG-TS can land past a segment's only key frame and decode nothing.
/// </summary>
public static class FrameGrabber
{
    /// <summary>Offsets within this much of a frame's time take that frame (offsets are written to the millisecond).</summary>
    private const double Slack = 0.0005;

    /// <summary>
    /// OpenCV's <c>CAP_PROP_N_THREADS</c> (not named by OpenCvSharp), set to one decoding thread: a grab is a couple of
    /// seconds of video, and one thread costs less CPU and memory than several and leaves the other cores to detection.
    /// </summary>
    private static readonly int[] OneThread = [70, 1];

    /// <summary>
    /// The picture at each offset (seconds after the file's first frame), in their order: the first frame at or after
    /// it, or the last frame for an offset past the end (a segment's list entry ends a little after its last frame).
    /// The caller owns the pictures.
    /// </summary>
    public static List<Mat> Grab(string file, IReadOnlyList<double> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var pictures = new Mat?[offsets.Count];
        var order = Enumerable.Range(0, offsets.Count).OrderBy(i => offsets[i]).ToList();
        using var last = new Mat(); // the latest frame, for offsets past the end
        try
        {
            using var capture = new VideoCapture(file, VideoCaptureAPIs.FFMPEG, OneThread);
            if (!capture.IsOpened())
            {
                throw new MediaException($"{file}: cannot be opened as video (missing, unreadable, or not a recording)");
            }

            using var frame = new Mat();
            var next = 0;
            while (next < order.Count && capture.Read(frame) && !frame.Empty())
            {
                var at = capture.Get(VideoCaptureProperties.PosMsec) / 1000;
                while (next < order.Count && offsets[order[next]] <= at + Slack)
                {
                    pictures[order[next++]] = frame.Clone();
                }

                if (next < order.Count)
                {
                    frame.CopyTo(last);
                }
            }

            for (; next < order.Count; next++)
            {
                pictures[order[next]] = last.Empty() ? throw new MediaException($"{file}: no frame could be decoded") : last.Clone();
            }

            return [.. pictures.Select(p => p!)];
        }
        catch
        {
            foreach (var picture in pictures)
            {
                picture?.Dispose();
            }

            throw;
        }
    }
}
