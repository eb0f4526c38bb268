namespace CrosswalkWatch.Ingest.Cameras;

/// <summary>
/// Exponential backoff with jitter: attempt n waits a random time between half and all of min·2ⁿ, capped at max.
/// The jitter keeps a fleet of boxes from hammering a recovering camera or switch in step.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeSpan _minimum;
    private readonly TimeSpan _maximum;
    private readonly Random _random;

    public Backoff(TimeSpan minimum, TimeSpan maximum, Random? random = null)
    {
        _minimum = minimum;
        _maximum = maximum;
        _random = random ?? Random.Shared;
    }

    public int Attempt { get; private set; }

    public TimeSpan Next()
    {
        var ceiling = Math.Min(_maximum.TotalSeconds, _minimum.TotalSeconds * Math.Pow(2, Math.Min(Attempt, 30)));
        Attempt++;
        return TimeSpan.FromSeconds(ceiling * (0.5 + (0.5 * _random.NextDouble())));
    }

    public void Reset() => Attempt = 0;
}
