using System.Globalization;
using CrosswalkWatch.Ingest.Recording;

namespace CrosswalkWatch.UnitTests.Ingest;

/// <summary>The ring's bookkeeping over files laid out as ffmpeg's segment muxer writes them.</summary>
public class RecordingRingTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-28T08:00:00Z", CultureInfo.InvariantCulture);

    private static double Unix(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>A ring whose mending of first segments runs no ffmpeg (these segments are not video).</summary>
    private static RecordingRing Ring(string folder) => new(folder, _ => Task.CompletedTask);

    [Fact]
    public void Segments_ASessionsFirstSegment_MendedOnceBeforeItIsListed_OnlyIt()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "a", T0, 3);
        WriteSession(temp.Path, "b", T0.AddSeconds(10), 2);
        var mended = new List<string>();
        var listedWhileMending = -1;
        RecordingRing? ring = null;
        ring = new RecordingRing(temp.Path, path =>
        {
            mended.Add(Path.GetFileName(path));
            listedWhileMending = ring!.Segments().Count(s => s.Path == path); // another reader meanwhile
            return Task.CompletedTask;
        });

        var first = ring.Segments();
        var again = ring.Segments();

        Assert.Equal(["a_000000.ts", "b_000000.ts"], mended.Order());
        Assert.Equal(0, listedWhileMending);
        Assert.Equal(5, first.Count);
        Assert.Equal(first.Select(s => s.Path), again.Select(s => s.Path));
        Assert.Equal(T0, first[0].Start);
    }

    [Fact]
    public void Segments_MendingFails_TheSegmentIsUsedAsItIs()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "a", T0, 2);
        var ring = new RecordingRing(temp.Path, path => throw new CrosswalkWatch.Media.MediaException($"{path}: ffprobe could not read its packets"));

        Assert.Equal(["a_000000.ts", "a_000001.ts"], ring.Segments().Select(s => Path.GetFileName(s.Path)));
    }

    /// <summary>Writes a session of one-second segments of the given sizes starting at <paramref name="start"/>.</summary>
    private static void WriteSession(string folder, string name, DateTimeOffset start, int segments, int bytes = 1000, bool listLast = true)
    {
        var lines = new List<string>();
        for (var i = 0; i < segments; i++)
        {
            var file = $"{name}_{i:000000}.ts";
            File.WriteAllBytes(Path.Combine(folder, file), new byte[bytes]);
            if (i < segments - 1 || listLast)
            {
                // ffmpeg lists the first segment's start as 0; the session's .start file holds the real time.
                var from = i == 0 ? "0.000000" : Unix(start.AddSeconds(i)).ToString("0.000000", CultureInfo.InvariantCulture);
                lines.Add($"{file},{from},{Unix(start.AddSeconds(i + 1)).ToString("0.000000", CultureInfo.InvariantCulture)}");
            }
        }

        File.WriteAllLines(Path.Combine(folder, name + ".csv"), lines);
        File.WriteAllText(Path.Combine(folder, name + ".start"), Unix(start).ToString("0.000000", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Segments_EmptyOrMissingFolder_None()
    {
        using var temp = new TempFolder();
        Assert.Empty(Ring(temp.File("nothing-here")).Segments());
        Assert.Empty(Ring(temp.Path).Segments());
    }

    [Fact]
    public void Segments_TwoSessions_WallClockSpansInOrderWithFirstStartFromStartFile()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "b", T0.AddSeconds(10), 2);
        WriteSession(temp.Path, "a", T0, 3);
        File.AppendAllText(temp.File("a.csv"), "a_000009.ts,1795829243.2"); // a line being written: ignored

        var segments = Ring(temp.Path).Segments();

        Assert.Equal(["a_000000.ts", "a_000001.ts", "a_000002.ts", "b_000000.ts", "b_000001.ts"], segments.Select(s => Path.GetFileName(s.Path)));
        Assert.Equal(T0, segments[0].Start);
        Assert.Equal(T0.AddSeconds(1), segments[0].End);
        Assert.Equal(T0.AddSeconds(10), segments[3].Start);
    }

    [Fact]
    public void Segments_AsFfmpegAppends_ReadsOnlyWhatIsNewAndAHalfWrittenLineOnceComplete()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "a", T0, 3);
        var ring = Ring(temp.Path);
        Assert.Equal(3, ring.Segments().Count);

        // ffmpeg finishes a segment and writes its line in two pieces; the ring looks in between.
        File.WriteAllBytes(temp.File("a_000003.ts"), new byte[1000]);
        var line = $"a_000003.ts,{Unix(T0.AddSeconds(3)).ToString("0.000000", CultureInfo.InvariantCulture)},{Unix(T0.AddSeconds(4)).ToString("0.000000", CultureInfo.InvariantCulture)}\n";
        File.AppendAllText(temp.File("a.csv"), line[..12]);
        Assert.Equal(3, ring.Segments().Count);
        File.AppendAllText(temp.File("a.csv"), line[12..]);

        var segments = ring.Segments();
        Assert.Equal(4, segments.Count);
        Assert.Equal((T0.AddSeconds(3), T0.AddSeconds(4)), (segments[3].Start, segments[3].End));
        Assert.Equal(4, Ring(temp.Path).Segments().Count); // a ring reading the list whole agrees
    }

    [Fact]
    public void Segments_FileDeletedAfterARead_GoneFromTheNextRead()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "a", T0, 3);
        var ring = Ring(temp.Path);
        Assert.Equal(3, ring.Segments().Count);

        File.Delete(temp.File("a_000000.ts"));

        Assert.Equal(["a_000001.ts", "a_000002.ts"], ring.Segments().Select(s => Path.GetFileName(s.Path)));
    }

    [Fact]
    public void Segments_NoStartFile_FirstSegmentWithUnknownStartLeftOut()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "a", T0, 3);
        File.Delete(temp.File("a.start"));

        var segments = Ring(temp.Path).Segments();

        Assert.Equal(["a_000001.ts", "a_000002.ts"], segments.Select(s => Path.GetFileName(s.Path)));
    }

    [Fact]
    public void Prune_OlderThanKeep_DeletesOnlyThose()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "a", T0, 10);
        var ring = Ring(temp.Path);

        var deleted = ring.Prune(T0.AddSeconds(10), TimeSpan.FromSeconds(4), long.MaxValue, 0, activeSession: "a");

        Assert.Equal(5, deleted); // the segments that ended before 08:00:06; the one ending at 08:00:06 stays
        Assert.Equal(T0.AddSeconds(5), ring.Segments()[0].Start);
    }

    [Fact]
    public void Prune_OverByteBudget_DeletesOldestUntilItFits()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "a", T0, 10, bytes: 1000);
        var ring = Ring(temp.Path);

        ring.Prune(T0.AddSeconds(10), TimeSpan.FromHours(1), maxBytes: 3500, 0, activeSession: "a");

        Assert.Equal(3, ring.Segments().Count);
        Assert.True(ring.Bytes() <= 3500);
        Assert.Equal(T0.AddSeconds(7), ring.Segments()[0].Start);
    }

    [Fact]
    public void Prune_MomentKept_KeepsTheRecordingFromThereOnPastAgeAndSizeUntilReleased()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "a", T0, 10, bytes: 1000);
        var ring = Ring(temp.Path);
        var kept = ring.Keep(T0.AddSeconds(3.5)); // a candidate whose package is still waiting in the queue
        using var later = ring.Keep(T0.AddSeconds(6));

        ring.Prune(T0.AddSeconds(10), TimeSpan.FromSeconds(2), maxBytes: 2500, 0, activeSession: "a");

        Assert.Equal(T0.AddSeconds(3), ring.Segments()[0].Start); // the segment holding 08:00:03.5 and all after it
        Assert.Equal(T0.AddSeconds(3.5), ring.KeptFrom());

        kept.Dispose();
        kept.Dispose(); // twice: released once, the other moment still kept
        Assert.Equal(T0.AddSeconds(6), ring.KeptFrom());
        ring.Prune(T0.AddSeconds(10), TimeSpan.FromSeconds(2), maxBytes: 2500, 0, activeSession: "a");
        Assert.Equal(T0.AddSeconds(6), ring.Segments()[0].Start);
    }

    [Fact]
    public void Prune_MomentKeptButTheDiskBelowItsReserve_DeletesTheOldestAnyway()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "a", T0, 3);
        var ring = Ring(temp.Path);
        using var kept = ring.Keep(T0);

        ring.Prune(T0.AddSeconds(3), TimeSpan.FromHours(1), long.MaxValue, minFreeBytes: long.MaxValue, activeSession: "a");

        Assert.Empty(ring.Segments()); // a full disk would stop every camera's recording: the reserve comes first
    }

    [Fact]
    public void Prune_FinishedSessions_RemovesUnlistedLeftoversAndEmptiedLists_KeepsActiveSessionsOpenSegment()
    {
        using var temp = new TempFolder();
        WriteSession(temp.Path, "old", T0, 2, listLast: false);          // cut short by a crash: last segment unlisted
        WriteSession(temp.Path, "gone", T0.AddSeconds(-100), 2);          // every segment past keep
        WriteSession(temp.Path, "live", T0.AddSeconds(5), 3, listLast: false); // ffmpeg is writing its last segment
        var ring = Ring(temp.Path);

        ring.Prune(T0.AddSeconds(10), TimeSpan.FromSeconds(60), long.MaxValue, 0, activeSession: "live");

        Assert.False(File.Exists(temp.File("old_000001.ts")));
        Assert.True(File.Exists(temp.File("old_000000.ts")));
        Assert.False(File.Exists(temp.File("gone.csv")));
        Assert.False(File.Exists(temp.File("gone.start")));
        Assert.True(File.Exists(temp.File("live_000002.ts")), "the segment being written stays");
    }

    [Fact]
    public void RecordingSession_Files_NamedAfterTheSessionInTheRingFolder()
    {
        using var temp = new TempFolder();
        var session = Ring(temp.Path).BeginSession(T0);

        Assert.Equal("20261128T080000000", session.Name);
        Assert.Equal(temp.File("20261128T080000000_%06d.ts"), session.SegmentPattern);
        Assert.Equal(temp.File("20261128T080000000.csv"), session.ListPath);
    }
}
