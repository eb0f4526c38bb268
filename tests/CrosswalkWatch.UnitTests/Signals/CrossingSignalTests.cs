using CrosswalkWatch.Decision.Signals;
using CrosswalkWatch.Domain.Signals;

namespace CrosswalkWatch.UnitTests.Signals;

/// <summary>
/// The crossing's signal as the rule is given it: each head's hysteresis, the heads combined, and the signal
/// controller's feed taken over the picture while its latest message is fresh.
/// </summary>
public sealed class CrossingSignalTests
{
    private const SignalState U = SignalState.Unknown;
    private const SignalState R = SignalState.Red;
    private const SignalState G = SignalState.Green;
    private const SignalState O = SignalState.Off;

    private static readonly DateTimeOffset At = Script.Start;

    public static TheoryData<SignalState[], int, SignalState[]> Readings => new()
    {
        { [], 3, [] },
        { [R, R, R, R], 3, [U, U, R, R] },
        { [R, R, G, R, R, R], 3, [U, U, U, U, U, R] },           // the run starts again
        { [R, R, R, G, G, R, G, G, G], 3, [U, U, R, R, R, R, R, R, G] }, // flicker shorter than 3 frames changes nothing
        { [G, O, G, O, G, O], 2, [U, U, U, U, U, U] },           // a head that never settles stays unknown
        { [G, G, O, O, G], 2, [U, G, G, O, O] },
        { [R, G, O], 1, [R, G, O] },                             // one frame: every reading is taken
    };

    [Theory]
    [MemberData(nameof(Readings))]
    public void Hysteresis_Readings_ChangeTheStateOnlyAfterEnoughFramesAgree(SignalState[] raw, int frames, SignalState[] expected)
    {
        var head = new SignalHysteresis(frames);

        Assert.Equal(expected, raw.Select(head.Update));
    }

    [Theory]
    [InlineData(new[] { R, R }, R)]
    [InlineData(new[] { R, O }, R)]   // the far head hidden behind a bus reads dark
    [InlineData(new[] { G, O }, G)]
    [InlineData(new[] { O, O }, O)]
    [InlineData(new[] { R, G }, U)]   // disagree: not known
    [InlineData(new[] { U, G }, G)]   // one head not settled yet
    [InlineData(new[] { U, U }, U)]
    public void Current_TwoHeads_Combined(SignalState[] heads, SignalState expected)
    {
        var signal = new CrossingSignal(heads: 2, frames: 1, TimeSpan.FromSeconds(3));
        signal.ObserveHeads(heads);

        Assert.Equal(SignalReading.Of(expected, SignalSource.Image), signal.Current(At));
    }

    [Fact]
    public void Current_NoHeadAndNoFeedMessage_IsNoSignal()
    {
        var signal = new CrossingSignal(heads: 0, frames: 3, TimeSpan.FromSeconds(3));
        signal.ObserveHeads([]);

        Assert.Null(signal.Current(At));
    }

    [Fact]
    public void Current_FreshFeed_WinsOverThePicture_StaleFeed_LeavesItToThePicture()
    {
        var signal = new CrossingSignal(heads: 1, frames: 1, TimeSpan.FromSeconds(3));
        signal.ObserveHeads([G]);
        signal.Observe(R, At);

        Assert.Equal(SignalReading.Of(R, SignalSource.Feed), signal.Current(At.AddSeconds(2.9)));
        Assert.Equal(SignalReading.Of(R, SignalSource.Feed), signal.Current(At.AddSeconds(-1))); // the controller's clock a second ahead
        Assert.Equal(SignalReading.Of(G, SignalSource.Image), signal.Current(At.AddSeconds(3.1)));
        Assert.Equal(SignalReading.Of(G, SignalSource.Image), signal.Current(At.AddSeconds(-3.1)));
    }

    [Fact]
    public void Current_LatestFeedMessage_IsTheOneThatCounts()
    {
        var signal = new CrossingSignal(heads: 1, frames: 1, TimeSpan.FromSeconds(3));
        signal.ObserveHeads([R]);
        signal.Observe(R, At);
        signal.Observe(G, At.AddSeconds(1));

        Assert.Equal(SignalReading.Of(G, SignalSource.Feed), signal.Current(At.AddSeconds(1.5)));
    }

    [Fact]
    public void Current_StaleFeedWithoutHeads_IsUnknownFromTheFeed()
    {
        var signal = new CrossingSignal(heads: 0, frames: 3, TimeSpan.FromSeconds(3));
        signal.Observe(R, At);

        Assert.Equal(SignalReading.Of(R, SignalSource.Feed), signal.Current(At.AddSeconds(1)));
        Assert.Equal(SignalReading.Of(U, SignalSource.Feed), signal.Current(At.AddSeconds(10)));
    }

    [Fact]
    public void Observe_FeedTurnedOff_IsIgnored()
    {
        var signal = new CrossingSignal(heads: 1, frames: 1, TimeSpan.Zero);
        signal.ObserveHeads([G]);
        signal.Observe(R, At);

        Assert.Equal(SignalReading.Of(G, SignalSource.Image), signal.Current(At));
        var feedOnly = new CrossingSignal(heads: 0, frames: 1, TimeSpan.Zero);
        feedOnly.Observe(R, At);
        Assert.Null(feedOnly.Current(At));
    }

    [Fact]
    public void ObserveHeads_WrongCount_Throws() =>
        Assert.Throws<ArgumentException>(() => new CrossingSignal(heads: 2, frames: 1, TimeSpan.Zero).ObserveHeads([R]));
}
