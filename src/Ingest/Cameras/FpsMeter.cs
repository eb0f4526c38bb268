namespace CrosswalkWatch.Ingest.Cameras;

/// <summary>Frames per second over a sliding window of recent frame times.</summary>
internal sealed class FpsMeter
{
    private readonly TimeSpan _window;
    private readonly Queue<DateTimeOffset> _times = new();
    private readonly Lock _lock = new();

    public FpsMeter(TimeSpan window) => _window = window;

    public void Tick(DateTimeOffset at)
    {
        lock (_lock)
        {
            _times.Enqueue(at);
            Trim(at);
        }
    }

    public double Rate(DateTimeOffset now)
    {
        lock (_lock)
        {
            Trim(now);
            if (_times.Count < 2)
            {
                return 0;
            }

            // Rate over the span the window has seen, so a fresh stream is not under-reported.
            var span = (now - _times.Peek()).TotalSeconds;
            return span <= 0 ? 0 : (_times.Count - 1) / Math.Max(span, (_times.Count - 1) / 1000.0);
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _times.Clear();
        }
    }

    private void Trim(DateTimeOffset now)
    {
        while (_times.Count > 0 && now - _times.Peek() > _window)
        {
            _times.Dequeue();
        }
    }
}
