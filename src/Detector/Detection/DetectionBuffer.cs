using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// A growable list of candidate detections over pooled arrays, for one call of a detector. Its span is valid until
/// the next <see cref="Add"/> or <see cref="Dispose"/>; results handed out are copied into a fresh array first.
/// </summary>
internal sealed class DetectionBuffer : IDisposable
{
    private readonly CountingArrayPool<DetectedObject> _pool;
    private DetectedObject[] _items;
    private int _count;

    public DetectionBuffer(CountingArrayPool<DetectedObject> pool, int initialCapacity = 64)
    {
        _pool = pool;
        _items = pool.Rent(initialCapacity);
    }

    public int Count => _count;

    /// <summary>The candidates; empty once disposed, never a view over a returned array.</summary>
    public Span<DetectedObject> Span => _items.AsSpan(0, _count);

    public void Add(in DetectedObject detection)
    {
        if (_count == _items.Length)
        {
            Grow();
        }

        _items[_count++] = detection;
    }

    public void Clear() => _count = 0;

    public void Dispose()
    {
        DetectedObject[] items = _items;
        _items = [];
        _count = 0;
        if (items.Length > 0)
        {
            _pool.Return(items);
        }
    }

    private void Grow()
    {
        ObjectDisposedException.ThrowIf(_items.Length == 0, this);
        DetectedObject[] larger = _pool.Rent(_items.Length * 2);
        _items.AsSpan(0, _count).CopyTo(larger);
        DetectedObject[] old = _items;
        _items = larger;
        _pool.Return(old);
    }
}

