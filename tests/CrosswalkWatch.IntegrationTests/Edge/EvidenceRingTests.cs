using System.Globalization;
using CrosswalkWatch.Edge.EvidenceQueue;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Ingest.Recording;
using CrosswalkWatch.Media;
using CrosswalkWatch.Media.Clips;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using static CrosswalkWatch.IntegrationTests.Edge.EvidenceWriting;
using static CrosswalkWatch.IntegrationTests.Evidence.EvidenceTests;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// The recording ring and the evidence queue together, on real segments of the footage cut by ffmpeg as the camera's
/// recording writes them: a candidate waiting behind a slow package keeps its recording, however short the ring.
/// </summary>
public sealed class EvidenceRingTests
{
    [Fact]
    public async Task EvidenceWriter_SlowPackageAndAShortRing_TheCandidatesWaitingKeepTheirRecordingAndNoneIsLost()
    {
        using var temp = new TempFolder();
        var ring = await RingOfTheFootageAsync(temp.File("ring"));
        var source = new RingEvidenceSource(ring, TimeSpan.Zero);
        using var store = await StoreAsync(temp);
        await using var writer = new EvidenceWriter(new EvidenceBuilder(temp.File("evidence"), Site), store, temp.File("parked"), NullLogger.Instance);
        var slow = new TaskCompletionSource();

        writer.Enqueue(Candidate(1), Camera, new HeldUntil(slow.Task, source)); // the writer is busy on this one…
        writer.Enqueue(Candidate(2), Camera, source);                           // …while this one waits in the queue
        // A minute later the camera's ring (10 s long) prunes: everything of the footage is older than that.
        var deleted = ring.Prune(FileStart.AddMinutes(1), TimeSpan.FromSeconds(10), long.MaxValue, 0, activeSession: null);
        slow.SetResult();
        await WaitForAsync(() => writer.Pending == 0, "the packages", writer);

        Assert.Equal(0, deleted);
        Assert.Equal((2, 0), (writer.Written, writer.Failed));
        await VerifiedPackagesAsync(store, 2);

        // Built: the recording is let go, and the next prune takes it.
        Assert.Null(ring.KeptFrom());
        Assert.True(ring.Prune(FileStart.AddMinutes(1), TimeSpan.FromSeconds(10), long.MaxValue, 0, activeSession: null) > 0);
        Assert.Empty(ring.Segments());
    }

    /// <summary>
    /// The footage as one recording session: MPEG-TS segments at its key frames (every 2.6 s) with the list in
    /// wall-clock time from <see cref="FileStart"/>, as the camera's recording writes them.
    /// </summary>
    private static async Task<RecordingRing> RingOfTheFootageAsync(string folder)
    {
        var ring = new RecordingRing(folder);
        var session = ring.BeginSession(FileStart);
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", TestAssets.CrosswalkFootage, "-map", "0:v:0", "-c", "copy",
            "-f", "segment", "-segment_time", "2", "-segment_list", session.ListPath + ".relative", "-segment_list_type", "csv",
            "-reset_timestamps", "1", session.SegmentPattern,
        ];
        using (var ffmpeg = ChildProcess.Start("ffmpeg", arguments))
        {
            var errors = ffmpeg.StandardError.ReadToEndAsync();
            await ffmpeg.WaitForExitAsync();
            Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg could not segment the footage: {await errors}");
        }

        var start = FileStart.ToUnixTimeMilliseconds() / 1000.0;
        var lines = File.ReadAllLines(session.ListPath + ".relative").Select(line =>
        {
            var parts = line.Split(',');
            var (from, to) = (double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
            return string.Create(CultureInfo.InvariantCulture, $"{parts[0]},{start + from:0.000000},{start + to:0.000000}");
        });
        File.WriteAllLines(session.ListPath, lines);
        File.Delete(session.ListPath + ".relative");
        session.MarkStart(start);
        Assert.True(ring.Segments().Count >= 4, "the footage is in the ring");
        return ring;
    }

    /// <summary>A source whose pictures come only once <paramref name="until"/> completes: a package that takes long to build.</summary>
    private sealed class HeldUntil(Task until, IEvidenceSource inner) : IEvidenceSource
    {
        public async Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken)
        {
            await until.WaitAsync(cancellationToken);
            return await inner.LocateAsync(at, cancellationToken);
        }

        public async Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken)
        {
            await until.WaitAsync(cancellationToken);
            return await inner.CutClipAsync(windowStart, windowEnd, output, cancellationToken);
        }

        public IDisposable Keep(DateTimeOffset from) => inner.Keep(from);

        public Task WaitForRecordingAsync(DateTimeOffset until, CancellationToken cancellationToken) => inner.WaitForRecordingAsync(until, cancellationToken);
    }
}
