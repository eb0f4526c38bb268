using System.Text.Json;
using CrosswalkWatch.Cli.Commands;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge.EvidenceQueue;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Messaging.Payloads;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using static CrosswalkWatch.IntegrationTests.Edge.EvidenceWriting;
using static CrosswalkWatch.IntegrationTests.Evidence.EvidenceTests;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// A full evidence disk, for real: the evidence folder is a small tmpfs filled up with a file, the packages are built
/// from the real footage, the cases go into a real SQLite store on another disk. New candidates are held (parked with
/// the reason) and the health says "disk full"; nothing stored is touched; freeing space resumes by itself.
/// </summary>
public sealed class EvidenceDiskFullTests
{
    private const long MB = 1024 * 1024;

    [Fact]
    public async Task EvidenceWriter_DiskBelowTheReserve_HoldsNewCandidatesWithAHealthErrorKeepsStoredPackagesAndResumesWhenFreed()
    {
        using var temp = new TempFolder();
        using var disk = SmallDisk.Mount(temp.File("evidence"), megabytes: 48);
        using var store = await StoreAsync(temp);
        await using var writer = Writer(disk, store, temp, reserve: 8 * MB);

        Enqueue(writer, 1, 2);
        await WaitForAsync(() => writer.Written == 2, "the first two packages", writer);
        var before = await VerifiedPackagesAsync(store, 2);
        Assert.True(writer.Health.StoredSeconds > 0, $"the time to store them is counted for the metrics ({writer.Health.StoredSeconds} s)");

        var filler = disk.Fill(leaveFreeBytes: 4 * MB);
        Enqueue(writer, 3, 4);
        await WaitForAsync(() => writer.Health.Held == 2, "the two new candidates held", writer);

        var health = writer.Health;
        Assert.Equal(EvidenceState.DiskFull, health.State);
        Assert.StartsWith($"{disk.Path}: evidence disk full: ", health.LastError, StringComparison.Ordinal);
        Assert.Contains("below the reserve of 8 MB (evidence.minFreeMegabytes)", health.LastError, StringComparison.Ordinal);
        Assert.Contains("no new evidence package until there is room", health.LastError, StringComparison.Ordinal);
        var table = HealthTable.Render(health);
        Assert.Contains("DISK FULL", table, StringComparison.Ordinal);
        Assert.Contains(disk.Path, table, StringComparison.Ordinal);
        var (topic, payload) = Announcements.BoxHealth("jn-0417", health);
        Assert.Equal("cww/v1/sites/jn-0417/health", topic);
        Assert.True(MessageCodec.TryDecode<BoxHealthMessage>(payload, BoxHealthMessage.Schema, BoxHealthMessage.Version, out var message, out var error), error);
        Assert.Equal(("diskFull", disk.Path, 2), (message.Body.Evidence.State, message.Body.Evidence.Directory, message.Body.Evidence.Held));

        // Nothing lost: both are parked with the reason (in the reserve); nothing stored was touched, nothing half-built left.
        Assert.Equal([3, 4], ParkedTracks(Path.Combine(disk.Path, "parked"), "evidence disk full"));
        Assert.Equal(0, health.HeldInMemoryOnly);
        Assert.Equal(0, writer.Failed);
        Assert.Equal(before, await VerifiedPackagesAsync(store, 2));
        Assert.Empty(Directory.GetDirectories(Path.Combine(disk.Path, ".incoming")));

        // Space comes back: the writer notices by itself, builds the held candidates and clears their parked files.
        File.Delete(filler);
        await WaitForAsync(() => writer.Written == 4 && writer.Health.Held == 0, "the held candidates built once there is room", writer);
        Assert.Equal(EvidenceState.Writing, writer.Health.State);
        Assert.Empty(Directory.GetFiles(Path.Combine(disk.Path, "parked"), "*.json"));
        Assert.Superset(before.ToHashSet(), (await VerifiedPackagesAsync(store, 4)).ToHashSet());
    }

    [Fact]
    public async Task EvidenceWriter_DiskFillsWhileAPackageIsWritten_NoHalfPackageTheCandidateKeptAndBuiltAfterARestartOnceFreed()
    {
        using var temp = new TempFolder();
        using var disk = SmallDisk.Mount(temp.File("evidence"), megabytes: 48);
        using var store = await StoreAsync(temp);
        string filler;
        string parked;
        IReadOnlyList<string> before;
        await using (var writer = Writer(disk, store, temp, reserve: 0)) // no reserve to warn: the write itself fails
        {
            Enqueue(writer, 1);
            await WaitForAsync(() => writer.Written == 1, "the first package", writer);
            before = await VerifiedPackagesAsync(store, 1);

            filler = disk.Fill(leaveFreeBytes: 300 * 1024); // less than one clip
            Enqueue(writer, 2);
            await WaitForAsync(() => writer.Health.Held == 1, "the candidate held after its write failed", writer);

            var health = writer.Health;
            Assert.Equal(EvidenceState.DiskFull, health.State);
            Assert.StartsWith($"{disk.Path}: evidence disk full: ", health.LastError, StringComparison.Ordinal);
            Assert.Contains("No space left on device", health.LastError, StringComparison.Ordinal);
            Assert.Empty(Directory.GetDirectories(Path.Combine(disk.Path, ".incoming")));
            Assert.Equal(before, await VerifiedPackagesAsync(store, 1));
            Assert.Single(Directory.GetDirectories(disk.Path, "jn-0417-*", SearchOption.AllDirectories)); // the half-written one is gone
            parked = health.ParkedIn!;
            Assert.Equal([2], ParkedTracks(parked, "No space left on device"));
        }

        // The box restarts while the disk is still full: the held candidate is taken up again from its parked file,
        // held again, and built once there is room.
        await using var restarted = Writer(disk, store, temp, reserve: 0);
        Assert.Equal(1, restarted.ResumeParked(camera => camera == Camera.Id ? (Camera, Footage()) : null));
        await WaitForAsync(() => restarted.Health.Held == 1, "the parked candidate held again", restarted);
        Assert.Equal([2], ParkedTracks(parked, "evidence disk full"));

        File.Delete(filler);
        await WaitForAsync(() => restarted.Written == 1 && restarted.Health.Held == 0, "the held candidate built once there is room", restarted);
        Assert.Equal(EvidenceState.Writing, restarted.Health.State);
        Assert.Empty(Directory.GetFiles(parked, "*.json"));
        Assert.Superset(before.ToHashSet(), (await VerifiedPackagesAsync(store, 2)).ToHashSet());
    }

    private static EvidenceWriter Writer(SmallDisk disk, SqliteCaseStore store, TempFolder temp, long reserve) => new(
        new EvidenceBuilder(disk.Path, Site),
        store,
        Path.Combine(disk.Path, "parked"),
        NullLogger.Instance,
        reserveBytes: reserve,
        fallbackParked: temp.File("parked"));

    private static void Enqueue(EvidenceWriter writer, params int[] tracks)
    {
        foreach (var track in tracks)
        {
            writer.Enqueue(Candidate(track), Camera, Footage());
        }
    }

    /// <summary>The vehicle tracks of the candidates parked in <paramref name="folder"/>, each with a reason that says <paramref name="why"/>.</summary>
    private static List<int> ParkedTracks(string folder, string why) =>
        Directory.GetFiles(folder, "*.json").Select(file =>
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            Assert.Contains(why, json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
            return json.RootElement.GetProperty("candidate").GetProperty("vehicleTrackId").GetInt32();
        }).Order().ToList();
}
