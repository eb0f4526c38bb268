namespace CrosswalkWatch.Domain.Signals;

/// <summary>
/// What a pedestrian signal head shows (red man above, green man below, as Chinese heads are), as the box takes it.
/// <see cref="SignalStates"/> holds each state's display text.
/// </summary>
public enum SignalState
{
    /// <summary>Not known: nothing read yet, the heads disagree, or the controller's feed went quiet with no head to read.</summary>
    Unknown,

    /// <summary>The red man is lit: pedestrians must not start crossing.</summary>
    Red,

    /// <summary>The green man is lit (steady or flashing while lit).</summary>
    Green,

    /// <summary>Neither lamp is lit (dark head, the off beat of a flashing green, or a head hidden by a vehicle).</summary>
    Off,
}

/// <summary>Where the state came from.</summary>
public enum SignalSource
{
    /// <summary>Read from the signal heads marked in the picture (scene <c>signals:</c>).</summary>
    Image,

    /// <summary>The city's signal controller, over MQTT, while its latest message is fresh.</summary>
    Feed,
}

/// <summary>The crossing's pedestrian signal as the box took it at one frame, and where that came from.</summary>
public sealed record SignalReading(SignalState State, SignalSource Source)
{
    private static readonly SignalReading[] Cached = MakeCache();

    /// <summary>The (shared, immutable) reading of <paramref name="state"/> from <paramref name="source"/>: no allocation per frame.</summary>
    public static SignalReading Of(SignalState state, SignalSource source) =>
        (int)state < 4 && (int)source < 2 ? Cached[((int)state * 2) + (int)source] : new SignalReading(state, source);

    private static SignalReading[] MakeCache()
    {
        var cache = new SignalReading[8];
        foreach (var state in Enum.GetValues<SignalState>())
        {
            foreach (var source in Enum.GetValues<SignalSource>())
            {
                cache[((int)state * 2) + (int)source] = new SignalReading(state, source);
            }
        }

        return cache;
    }
}

/// <summary>The display text of each <see cref="SignalState"/> and <see cref="SignalSource"/>, in one place.</summary>
public static class SignalStates
{
    /// <summary>The state in Chinese, as police read it in a photo: 红, 绿, 灭, 未知.</summary>
    public static string Chinese(this SignalState state) => state switch
    {
        SignalState.Red => "红",
        SignalState.Green => "绿",
        SignalState.Off => "灭",
        _ => "未知",
    };

    /// <summary>The state in English: red, green, off, unknown.</summary>
    public static string English(this SignalState state) => state switch
    {
        SignalState.Red => "red",
        SignalState.Green => "green",
        SignalState.Off => "off",
        _ => "unknown",
    };

    /// <summary>Where the state came from, in English: "read from the picture", "from the signal controller".</summary>
    public static string Text(this SignalSource source) => source.Said().English;

    /// <summary>Where the state came from, as a phrase the console words in its reader's language.</summary>
    public static Phrase Said(this SignalSource source) => source == SignalSource.Feed
        ? Phrase.Of("signal.fromController", "from the signal controller")
        : Phrase.Of("signal.fromPicture", "read from the picture");

    /// <summary>The reading as a camera's health says it, e.g. "red, read from the picture", as a phrase.</summary>
    public static Phrase Said(this SignalReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return Phrase.Of("signal.reading", "{state}, {source}", ("state", "@signal." + reading.State.English()), ("source", reading.Source.Said()));
    }

    /// <summary>
    /// The reading as it is burned into a photo and shown to reviewers, e.g.
    /// <c>行人信号 红 (pedestrian signal red, read from the picture)</c>.
    /// </summary>
    public static string Text(this SignalReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return $"行人信号 {reading.State.Chinese()} (pedestrian signal {reading.State.English()}, {reading.Source.Text()})";
    }

    /// <summary>A state from its English name as the feed writes it (red, green, off; lower case); false for anything else.</summary>
    public static bool TryParse(string? text, out SignalState state)
    {
        foreach (var candidate in (ReadOnlySpan<SignalState>)[SignalState.Red, SignalState.Green, SignalState.Off])
        {
            if (string.Equals(text, candidate.English(), StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }

        state = SignalState.Unknown;
        return false;
    }
}

/// <summary>Where a signal controller's state goes: the crossing signal of one camera (thread-safe; called off the frame loop).</summary>
public interface ISignalFeedTarget
{
    /// <summary>The controller said <paramref name="state"/> at <paramref name="at"/> (its own clock).</summary>
    void Observe(SignalState state, DateTimeOffset at);
}
