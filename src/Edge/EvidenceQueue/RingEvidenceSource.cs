using CrosswalkWatch.Evidence;
using CrosswalkWatch.Ingest.Recording;
using CrosswalkWatch.Media.Clips;

namespace CrosswalkWatch.Edge.EvidenceQueue;

/// <summary>A live camera's recording ring; waits (up to a limit) for the recording to reach the end of the window.</summary>
public sealed class RingEvidenceSource(RecordingRing ring, TimeSpan waitForRecording) : IEvidenceSource
{
    /// <summary>The widest gap between two segments of one session that a moment in it is taken from the nearer one.</summary>
    private static readonly TimeSpan MaxGap = TimeSpan.FromSeconds(1);

    public async Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        await WaitForRecordingAsync(at, cancellationToken).ConfigureAwait(false);
        RecordedSegment? before = null;
        foreach (var segment in ring.Segments())
        {
            if (segment.Start <= at && at < segment.End)
            {
                return (segment.Path, (at - segment.Start).TotalSeconds);
            }

            if (segment.End <= at)
            {
                before = segment;
            }
            else if (before is { } previous && previous.Session == segment.Session && segment.Start - previous.End <= MaxGap)
            {
                // Between two segments of one session: a segment's listed end is its last packet's time and the next
                // starts at its key frame's, a frame or more later as the packets came (a loaded box, a camera's
                // jitter); the moment, one of the sub-stream's frames, fell between. The first frame at or after it, as
                // for every moment, is the next segment's first.
                return (segment.Path, 0);
            }
        }

        throw new EvidenceException($"no recording of {at:O} in {ring.Directory} (camera down then, or the ring already overwrote it)");
    }

    public IDisposable Keep(DateTimeOffset from) => ring.Keep(from);

    public async Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken)
    {
        await WaitForRecordingAsync(windowEnd, cancellationToken).ConfigureAwait(false);
        return await ring.CutClipAsync(windowStart, windowEnd, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the ring's last finished segment ends at or after <paramref name="until"/>, or the patience given runs out.</summary>
    public async Task WaitForRecordingAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + waitForRecording;
        while (ring.Segments() is var segments && (segments.Count == 0 || segments[^1].End < until) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(250, cancellationToken).ConfigureAwait(false); // polling the ring's list files on disk
        }
    }
}
