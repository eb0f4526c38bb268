using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Edge.EvidenceQueue;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Media.Clips;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using static CrosswalkWatch.IntegrationTests.Edge.EvidenceWriting;
using static CrosswalkWatch.IntegrationTests.Evidence.EvidenceTests;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// The evidence writer's builders, on real packages of the footage: a slow package holds up neither the other
/// cameras' packages nor a builder while it waits for its recording, and each camera's cases are stored in the order
/// of its candidates.
/// </summary>
public sealed class EvidencePoolTests
{
    private static readonly EvidenceCamera Camera2 = new("cam2", "南进口", "northbound");

    [Fact]
    public async Task EvidenceWriter_SlowPackage_OthersAreBuiltMeanwhileAndItsCameraStoresInOrder()
    {
        using var temp = new TempFolder();
        using var store = await StoreAsync(temp);
        var stored = new List<(string Camera, int Track)>();
        await using var writer = Writer(temp, store, stored, builders: 2);
        var slow = new TaskCompletionSource();
        using var release = new Releaser(slow); // a failed assertion must not leave the writer waiting on it

        writer.Enqueue(Candidate(1), Camera, new Gated(Footage(), building: slow.Task)); // takes a builder and keeps it
        writer.Enqueue(Candidate(2) with { CameraId = "cam2" }, Camera2, Footage());      // built by the other meanwhile
        writer.Enqueue(Candidate(3), Camera, Footage());                                // built next, stored after cam1's first

        await WaitForAsync(() => Stored(stored).Contains(("cam2", 2)), "the other camera's case", writer);
        await WaitForAsync(() => Directory.GetDirectories(temp.File("evidence"), "*-v3", SearchOption.AllDirectories).Length == 1, "cam1's second package", writer);
        await Task.Delay(500); // it had every chance to be stored before its camera's first
        Assert.Equal([("cam2", 2)], Stored(stored));

        slow.SetResult();
        await WaitForAsync(() => writer.Pending == 0, "every package", writer);
        Assert.Equal([("cam2", 2), ("cam1", 1), ("cam1", 3)], Stored(stored));
        Assert.Equal((3, 0), (writer.Written, writer.Failed));
        await VerifiedPackagesAsync(store, 3);
    }

    [Fact]
    public async Task EvidenceWriter_RecordingNotThereYet_TheWaitTakesNoBuilder()
    {
        using var temp = new TempFolder();
        using var store = await StoreAsync(temp);
        var stored = new List<(string Camera, int Track)>();
        await using var writer = Writer(temp, store, stored, builders: 1);
        var recorded = new TaskCompletionSource();
        using var release = new Releaser(recorded);

        writer.Enqueue(Candidate(1), Camera, new Gated(Footage(), recording: recorded.Task)); // the 5 s after its event not recorded yet
        writer.Enqueue(Candidate(2) with { CameraId = "cam2" }, Camera2, Footage());

        await WaitForAsync(() => Stored(stored).Contains(("cam2", 2)), "the other camera's case, with the only builder", writer);
        Assert.Equal(1, writer.Pending);

        recorded.SetResult();
        await WaitForAsync(() => writer.Pending == 0, "the first package once recorded", writer);
        Assert.Equal([("cam2", 2), ("cam1", 1)], Stored(stored));
        await VerifiedPackagesAsync(store, 2);
    }

    private static EvidenceWriter Writer(TempFolder temp, SqliteCaseStore store, List<(string, int)> stored, int builders) =>
        new(
            new EvidenceBuilder(temp.File("evidence"), Site),
            store,
            temp.File("parked"),
            NullLogger.Instance,
            onStored: c =>
            {
                lock (stored)
                {
                    stored.Add((c.CameraId, c.VehicleTrackId));
                }
            },
            builders: builders);

    private static List<(string Camera, int Track)> Stored(List<(string, int)> stored)
    {
        lock (stored)
        {
            return [.. stored];
        }
    }

    /// <summary>Opens a gate when the test ends, passed or failed.</summary>
    private sealed class Releaser(TaskCompletionSource gate) : IDisposable
    {
        public void Dispose() => gate.TrySetResult();
    }

    /// <summary>A source whose recording comes only once <paramref name="recording"/> completes, or whose pictures only once <paramref name="building"/> does.</summary>
    private sealed class Gated(IEvidenceSource inner, Task? recording = null, Task? building = null) : IEvidenceSource
    {
        public async Task WaitForRecordingAsync(DateTimeOffset until, CancellationToken cancellationToken)
        {
            await (recording ?? Task.CompletedTask).WaitAsync(cancellationToken);
            await inner.WaitForRecordingAsync(until, cancellationToken);
        }

        public async Task<(string File, double Offset)> LocateAsync(DateTimeOffset at, CancellationToken cancellationToken)
        {
            await WaitForRecordingAsync(at, cancellationToken);
            await (building ?? Task.CompletedTask).WaitAsync(cancellationToken);
            return await inner.LocateAsync(at, cancellationToken);
        }

        public async Task<ClipResult> CutClipAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, string output, CancellationToken cancellationToken)
        {
            await WaitForRecordingAsync(windowEnd, cancellationToken);
            await (building ?? Task.CompletedTask).WaitAsync(cancellationToken);
            return await inner.CutClipAsync(windowStart, windowEnd, output, cancellationToken);
        }

        public IDisposable Keep(DateTimeOffset from) => inner.Keep(from);
    }
}
