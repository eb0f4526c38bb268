using CrosswalkWatch.Domain.Signals;

namespace CrosswalkWatch.Decision.Signals;

/// <summary>
/// One signal head's state with hysteresis: what it reads frame by frame changes the state only once
/// <see cref="Frames"/> consecutive frames agree on the new state, so a flicker, a vehicle passing in front of the head
/// or a JPEG blotch shorter than that changes nothing. Unknown until the first state has been read that long.
/// </summary>
public sealed class SignalHysteresis
{
    private SignalState _pending;
    private int _run;

    public SignalHysteresis(int frames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        Frames = frames;
    }

    /// <summary>Consecutive frames that must agree before the state changes.</summary>
    public int Frames { get; }

    /// <summary>The state taken (Unknown until a state has been read for <see cref="Frames"/> frames in a row).</summary>
    public SignalState State { get; private set; }

    /// <summary>Takes one frame's raw reading; returns the state after it.</summary>
    public SignalState Update(SignalState raw)
    {
        if (raw == State)
        {
            _run = 0;
            return State;
        }

        _run = raw == _pending ? _run + 1 : 1;
        _pending = raw;
        if (_run >= Frames)
        {
            State = raw;
            _run = 0;
        }

        return State;
    }
}

/// <summary>
/// The crossing's pedestrian signal for one camera, as the yield rule is given it each frame: the city's signal
/// controller (<see cref="Observe"/>, over MQTT) while its latest message is fresh — its <c>at</c> no more than
/// <c>rule.signalFeedSeconds</c> from the frame's capture time, either way — and otherwise the heads marked in the
/// picture (<see cref="ObserveHeads"/>, each with <see cref="SignalHysteresis"/>). The heads are combined: red when any
/// head shows red and none green, green when any shows green and none red, off when every head that has a state is
/// dark, unknown when they disagree (red and green) or none has a state yet. A controller message that went stale with
/// no head marked is unknown. With neither heads nor any fresh message ever, there is no signal (null): the rule
/// judges as it always did. Thread-safe between one frame loop and the feed's thread.
/// </summary>
public sealed class CrossingSignal : ISignalFeedTarget
{
    private readonly SignalHysteresis[] _heads;
    private readonly TimeSpan _feedFreshness;
    private Feed? _feed;

    /// <param name="heads">How many heads are marked in the picture (0: none, the feed only).</param>
    /// <param name="frames">Frames a head's new state must be read in a row (<c>rule.signalFrames</c>).</param>
    /// <param name="feedFreshness">How far the controller's latest message may be from a frame's time (<c>rule.signalFeedSeconds</c>); zero ignores the feed.</param>
    public CrossingSignal(int heads, int frames, TimeSpan feedFreshness)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(heads);
        _heads = new SignalHysteresis[heads];
        for (var i = 0; i < heads; i++)
        {
            _heads[i] = new SignalHysteresis(frames);
        }

        _feedFreshness = feedFreshness;
    }

    /// <summary>The heads marked in the picture.</summary>
    public int Heads => _heads.Length;

    /// <summary>Each head's state after the last frame, in the scene's order.</summary>
    public IReadOnlyList<SignalState> HeadStates => _heads.Select(h => h.State).ToArray();

    /// <summary>Takes one frame's raw reading of every head (in the scene's order).</summary>
    public void ObserveHeads(ReadOnlySpan<SignalState> raw)
    {
        if (raw.Length != _heads.Length)
        {
            throw new ArgumentException($"{raw.Length} readings for {_heads.Length} heads", nameof(raw));
        }

        for (var i = 0; i < _heads.Length; i++)
        {
            _heads[i].Update(raw[i]);
        }
    }

    /// <summary>
    /// The controller said <paramref name="state"/> at <paramref name="at"/>: the latest message received is the one
    /// that counts (one controller per camera, delivered in order); whether it is fresh is judged at each frame, so a
    /// message stamped by a clock far off is simply never fresh. Ignored when the feed is off (<c>signalFeedSeconds: 0</c>).
    /// </summary>
    public void Observe(SignalState state, DateTimeOffset at)
    {
        if (_feedFreshness > TimeSpan.Zero)
        {
            Volatile.Write(ref _feed, new Feed(state, at));
        }
    }

    /// <summary>The signal at a frame captured at <paramref name="frameAt"/>; null when this camera has no signal at all.</summary>
    public SignalReading? Current(DateTimeOffset frameAt)
    {
        var feed = Volatile.Read(ref _feed);
        if (feed is not null && (frameAt - feed.At).Duration() <= _feedFreshness)
        {
            return SignalReading.Of(feed.State, SignalSource.Feed);
        }

        if (_heads.Length > 0)
        {
            return SignalReading.Of(Combined(), SignalSource.Image);
        }

        return feed is null ? null : SignalReading.Of(SignalState.Unknown, SignalSource.Feed);
    }

    private SignalState Combined()
    {
        bool red = false, green = false, off = false;
        foreach (var head in _heads)
        {
            red |= head.State == SignalState.Red;
            green |= head.State == SignalState.Green;
            off |= head.State == SignalState.Off;
        }

        return (red, green) switch
        {
            (true, true) => SignalState.Unknown,
            (true, false) => SignalState.Red,
            (false, true) => SignalState.Green,
            _ => off ? SignalState.Off : SignalState.Unknown,
        };
    }

    private sealed record Feed(SignalState State, DateTimeOffset At);
}
