using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Edge.Clock;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrosswalkWatch.UnitTests.Clock;

public sealed class ClockWatchTests
{
    private static readonly ClockConfig Limits = new() { Servers = ["a", "b:1123"], CheckSeconds = 10, MaxOffsetMs = 1000, HoldOffsetMs = 3000 };
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, ClockState.Ok)]
    [InlineData(1000, ClockState.Ok)]
    [InlineData(-1000, ClockState.Ok)]
    [InlineData(1000.1, ClockState.Off)]
    [InlineData(-2500, ClockState.Off)]
    [InlineData(3000, ClockState.Off)]
    [InlineData(3000.1, ClockState.Holding)]
    [InlineData(-86_400_000, ClockState.Holding)]
    public void StateOf_Offset_OkUpToTheLimitOffAboveItHoldingAboveTheHoldLimit(double offsetMs, ClockState state)
    {
        Assert.Equal(state, Limits.StateOf(offsetMs));
        var health = new ClockHealth { State = state };
        Assert.Equal(state is ClockState.Off or ClockState.Holding, health.IsError);
        Assert.Equal(state == ClockState.Holding, health.HoldsCandidates);
    }

    [Theory]
    [InlineData(ClockState.NotChecked)]
    [InlineData(ClockState.Unknown)]
    public void HoldsCandidates_ClockNotMeasured_NeitherAnErrorNorHeld(ClockState state)
    {
        var health = new ClockHealth { State = state };

        Assert.False(health.IsError);
        Assert.False(health.HoldsCandidates);
    }

    [Fact]
    public void Next_ASample_ItsOffsetAndStateFromNowOn()
    {
        var start = new ClockHealth { State = ClockState.Unknown, StateSince = Now.AddHours(-1), Reason = "not measured yet" };

        var next = ClockWatch.Next(start, new SntpSample("a:123", 3500, 8, 1), "", Now, Limits);

        Assert.Equal(ClockState.Holding, next.State);
        Assert.Equal((3500d, 8d, "a:123", Now, Now), (next.OffsetMs!.Value, next.DelayMs!.Value, next.Server!, next.MeasuredAt!.Value, next.StateSince));
        Assert.Null(next.Reason);
        Assert.Equal((1000, 3000), (next.MaxOffsetMs, next.HoldOffsetMs));
    }

    [Fact]
    public void Next_NoAnswerSoonAfterAMeasurement_TheLastStateStandsWithTheReason()
    {
        var holding = ClockWatch.Next(new ClockHealth(), new SntpSample("a:123", 5000, 8, 1), "", Now, Limits);

        var next = ClockWatch.Next(holding, null, "no NTP server answered: a:123: no answer within 2 s", Now.AddSeconds(10 * ClockWatch.StaleAfterChecks), Limits);

        Assert.Equal(ClockState.Holding, next.State);
        Assert.Equal(Now, next.StateSince);
        Assert.Equal(5000, next.OffsetMs);
        Assert.Equal("no NTP server answered: a:123: no answer within 2 s", next.Reason);
    }

    [Fact]
    public void Next_NoAnswerForLongerThanThreeChecks_Unknown()
    {
        var holding = ClockWatch.Next(new ClockHealth(), new SntpSample("a:123", 5000, 8, 1), "", Now, Limits);
        var later = Now.AddSeconds((10 * ClockWatch.StaleAfterChecks) + 1);

        var next = ClockWatch.Next(holding, null, "no NTP server answered", later, Limits);

        Assert.Equal(ClockState.Unknown, next.State);
        Assert.False(next.HoldsCandidates);
        Assert.Equal(later, next.StateSince);
        Assert.Contains("unknown: no NTP server answered", ClockWatch.Describe(next), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_FirstServerFails_TheNextOneAnswers()
    {
        var asked = new List<NtpServer>();
        await using var watch = new ClockWatch(Limits, NullLogger.Instance, query: (server, _) =>
        {
            asked.Add(server);
            return server.Host == "a" ? throw new SntpException("a:123: no answer within 2 s") : Task.FromResult(new SntpSample(server.ToString(), 1500, 4, 2));
        });

        var health = await watch.CheckAsync(CancellationToken.None);

        Assert.Equal([new NtpServer("a", 123), new NtpServer("b", 1123)], asked);
        Assert.Equal((ClockState.Off, 1500d, "b:1123"), (health.State, health.OffsetMs!.Value, health.Server!));
        Assert.StartsWith("OFF: off by +1500 ms against b:1123", ClockWatch.Describe(health), StringComparison.Ordinal);
        Assert.Same(health, watch.Health);
    }

    [Fact]
    public async Task CheckAsync_NoServerAnswers_UnknownNamingEachFailure()
    {
        await using var watch = new ClockWatch(Limits, NullLogger.Instance, query: (server, _) => throw new SntpException($"{server}: no answer within 2 s"));

        var health = await watch.CheckAsync(CancellationToken.None);

        Assert.Equal(ClockState.Unknown, health.State);
        Assert.Equal("no NTP server answered: a:123: no answer within 2 s; b:1123: no answer within 2 s", health.Reason);
    }

    [Fact]
    public async Task Health_NoServers_NotChecked()
    {
        await using var watch = new ClockWatch(new ClockConfig(), NullLogger.Instance);

        Assert.Equal(ClockState.NotChecked, watch.Health.State);
        Assert.False(watch.Health.IsError);
    }
}
