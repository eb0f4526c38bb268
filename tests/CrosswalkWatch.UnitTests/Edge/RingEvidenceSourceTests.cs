using System.Globalization;
using CrosswalkWatch.Edge.EvidenceQueue;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Ingest.Recording;

namespace CrosswalkWatch.UnitTests.Edge;

/// <summary>Where a moment of a candidate is in a live camera's recording ring (files laid out as ffmpeg's segment muxer writes them).</summary>
public class RingEvidenceSourceTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-08T02:44:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Locate_AMomentBetweenTwoSegmentsOfASession_IsTheNextSegmentsFirstFrame()
    {
        // Seen live (an H.265 camera on a loaded box, 10 fps): a segment's listed end, its last packet, 0.35 s before
        // the next segment's key frame; three violations running, each one's moment fell in such a gap and no package
        // was built ("no recording of …").
        using var temp = new TempFolder();
        Write(temp.Path, "a", (0.2, 1.0), (1.35, 2.1), (2.3, 3.0));
        Write(temp.Path, "b", (5.0, 6.0)); // the camera reconnected: another session
        var source = new RingEvidenceSource(new RecordingRing(temp.Path, _ => Task.CompletedTask), TimeSpan.Zero);

        Assert.Equal(("a_000001.ts", 0.0), Named(await source.LocateAsync(T0.AddSeconds(1.2), CancellationToken.None)));
        Assert.Equal(("a_000002.ts", 0.0), Named(await source.LocateAsync(T0.AddSeconds(2.2), CancellationToken.None)));
        var inside = Named(await source.LocateAsync(T0.AddSeconds(1.6), CancellationToken.None));
        Assert.Equal("a_000001.ts", inside.File);
        Assert.Equal(0.25, inside.Offset, 3);

        // Not a gap within a session: between sessions (the camera was down), or past the end.
        await Assert.ThrowsAsync<EvidenceException>(() => source.LocateAsync(T0.AddSeconds(4.0), CancellationToken.None));
        await Assert.ThrowsAsync<EvidenceException>(() => source.LocateAsync(T0.AddSeconds(6.5), CancellationToken.None));
    }

    [Fact]
    public async Task Locate_AGapOfMoreThanASecondInASession_IsNoRecording()
    {
        using var temp = new TempFolder();
        Write(temp.Path, "a", (0.2, 1.0), (2.5, 3.0));
        var source = new RingEvidenceSource(new RecordingRing(temp.Path, _ => Task.CompletedTask), TimeSpan.Zero);

        await Assert.ThrowsAsync<EvidenceException>(() => source.LocateAsync(T0.AddSeconds(1.5), CancellationToken.None));
    }

    private static (string File, double Offset) Named((string File, double Offset) located) => (Path.GetFileName(located.File), located.Offset);

    /// <summary>A session's segments, each listed from and to the given seconds after <see cref="T0"/> (the first from its .start file).</summary>
    private static void Write(string folder, string session, params (double From, double To)[] segments)
    {
        static string Unix(double seconds) => (T0.AddSeconds(seconds).ToUnixTimeMilliseconds() / 1000.0).ToString("0.000000", CultureInfo.InvariantCulture);
        var lines = new List<string>();
        for (var i = 0; i < segments.Length; i++)
        {
            var file = $"{session}_{i:000000}.ts";
            File.WriteAllBytes(Path.Combine(folder, file), new byte[100]);
            lines.Add($"{file},{(i == 0 ? "0.000000" : Unix(segments[i].From))},{Unix(segments[i].To)}");
        }

        File.WriteAllLines(Path.Combine(folder, session + ".csv"), lines);
        File.WriteAllText(Path.Combine(folder, session + ".start"), Unix(segments[0].From));
    }
}
