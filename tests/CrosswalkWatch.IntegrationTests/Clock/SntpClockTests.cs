using System.Text.Json;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge.Clock;
using CrosswalkWatch.Edge.EvidenceQueue;
using CrosswalkWatch.Evidence;
using Microsoft.Extensions.Logging.Abstractions;
using static CrosswalkWatch.IntegrationTests.Edge.EvidenceWriting;
using static CrosswalkWatch.IntegrationTests.Evidence.EvidenceTests;

namespace CrosswalkWatch.IntegrationTests.Clock;

/// <summary>
/// The box's clock against a real chronyd on 127.0.0.1 whose time libfaketime shifts: the SNTP client's offset, and
/// the evidence writer holding candidates while the clock is far off and building them, with the offset measured at
/// their event signed in, once it is right again.
/// </summary>
public sealed class SntpClockTests
{
    [Fact]
    public async Task QueryAsync_ChronydOnTheRealTime_OffsetOfAFewMilliseconds()
    {
        await using var chrony = await ChronyServer.StartAsync(TimeSpan.Zero);

        var sample = await new SntpClient().QueryAsync(chrony.Server, CancellationToken.None);

        Assert.InRange(sample.OffsetMs, -50, 50);
        Assert.InRange(sample.DelayMs, 0, 100);
        Assert.Equal(1, sample.Stratum);
        Assert.Equal(chrony.Address, sample.Server);
    }

    [Fact]
    public async Task QueryAsync_ChronydFiveSecondsAhead_OffsetOfFiveSeconds()
    {
        await using var chrony = await ChronyServer.StartAsync(TimeSpan.FromSeconds(5));

        var sample = await new SntpClient().QueryAsync(chrony.Server, CancellationToken.None);

        Assert.InRange(sample.OffsetMs, 4950, 5050);
    }

    [Fact]
    public async Task CheckAsync_ServerNotAnsweringThenAFarOffOne_UnknownWithTheReasonThenOffAgainstTheOther()
    {
        await using var chrony = await ChronyServer.StartAsync(TimeSpan.FromSeconds(-2));
        var silent = $"127.0.0.1:{chrony.Port + 1}"; // nothing listens there: the ICMP answer refuses at once
        await using var alone = new ClockWatch(new ClockConfig { Servers = [silent] }, NullLogger.Instance);
        await using var both = new ClockWatch(new ClockConfig { Servers = [silent, chrony.Address] }, NullLogger.Instance);

        var unknown = await alone.CheckAsync(CancellationToken.None);
        var off = await both.CheckAsync(CancellationToken.None);

        Assert.Equal(ClockState.Unknown, unknown.State);
        Assert.StartsWith($"no NTP server answered: {silent}: ", unknown.Reason, StringComparison.Ordinal);
        Assert.Equal(ClockState.Off, off.State);
        Assert.InRange(off.OffsetMs!.Value, -2050, -1950);
        Assert.Equal(chrony.Address, off.Server);
    }

    [Fact]
    public async Task EvidenceWriter_ClockBeyondTheHoldLimit_HoldsCandidatesUntilItIsRightThenBuildsThemWithTheOffsetSigned()
    {
        await using var chrony = await ChronyServer.StartAsync(TimeSpan.FromSeconds(2));
        await using var watch = new ClockWatch(new ClockConfig { Servers = [chrony.Address], MaxOffsetMs = 1000, HoldOffsetMs = 1500 }, NullLogger.Instance);
        Assert.Equal(ClockState.Holding, (await watch.CheckAsync(CancellationToken.None)).State);
        using var temp = new TempFolder();
        using var store = await StoreAsync(temp);
        var parked = Path.Combine(temp.File("evidence"), "parked");
        await using var writer = new EvidenceWriter(new EvidenceBuilder(temp.File("evidence"), Site), store, parked, NullLogger.Instance, clock: () => watch.Health);

        writer.Enqueue(Candidate(7), Camera, Footage());
        await WaitForAsync(() => writer.Health.Held == 1, "the candidate held while the clock is off", writer);

        var health = writer.Health;
        Assert.Equal(EvidenceState.ClockHeld, health.State);
        Assert.StartsWith("clock HOLDING: off by +2", health.LastError, StringComparison.Ordinal);
        Assert.EndsWith("no new evidence package until the clock is within clock.holdOffsetMs", health.LastError, StringComparison.Ordinal);
        Assert.Equal(0, writer.Written);
        Assert.Empty(await store.ListAsync());
        using (var file = JsonDocument.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(parked, "*.json")))))
        {
            Assert.True(file.RootElement.GetProperty("held").GetBoolean());
            Assert.InRange(file.RootElement.GetProperty("clock").GetProperty("offsetMs").GetDouble(), 1900, 2100);
        }

        await chrony.RestartAsync(TimeSpan.Zero);
        Assert.Equal(ClockState.Ok, (await watch.CheckAsync(CancellationToken.None)).State);
        await WaitForAsync(() => writer.Written == 1 && writer.Health.Held == 0, "the held candidate built once the clock is right", writer);

        Assert.Equal(EvidenceState.Writing, writer.Health.State);
        Assert.Empty(Directory.GetFiles(parked, "*.json"));
        var folder = Assert.Single(await VerifiedPackagesAsync(store, 1));
        var clock = EvidenceVerifier.ReadManifest(folder)!.Clock!;
        Assert.InRange(clock.OffsetMs, 1900, 2100); // as measured at the event, not now
        Assert.True(clock.Exceeded);
        Assert.Equal((chrony.Address, 1000), (clock.Server, clock.MaxOffsetMs));
    }
}
