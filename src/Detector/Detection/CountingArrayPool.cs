using System.Buffers;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// An <see cref="ArrayPool{T}"/> that counts the arrays rented and not yet returned, so a test can show that a
/// detector leaks none. Whoever rents an array returns it, exactly once, and keeps no span over it afterwards.
/// </summary>
internal sealed class CountingArrayPool<T>(ArrayPool<T> arrays)
{
    private long _outstanding;

    public CountingArrayPool()
        : this(ArrayPool<T>.Shared)
    {
    }

    public long Outstanding => Interlocked.Read(ref _outstanding);

    public T[] Rent(int minimumLength)
    {
        T[] array = arrays.Rent(minimumLength);
        Interlocked.Increment(ref _outstanding);
        return array;
    }

    public void Return(T[] array)
    {
        arrays.Return(array);
        Interlocked.Decrement(ref _outstanding);
    }
}
