using System.Buffers;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// An <see cref="ArrayPool{T}"/> that counts the arrays rented and not yet returned, so a test can show that a
/// detector leaks none. Whoever rents an array returns it, exactly once, and keeps no span over it afterwards.
/// By default each has a pool of its own that keeps a few arrays of a size: the shared pool keeps one per thread and
/// more per core, and a detector called from the thread pool's changing threads left a dozen 2 MB input tensors
/// behind (measured with dotnet-gcdump on an 8-camera box).
/// </summary>
internal sealed class CountingArrayPool<T>(ArrayPool<T> arrays)
{
    private long _outstanding;

    /// <summary>Arrays kept per size by the pool of its own.</summary>
    private const int KeptPerSize = 4;

    public CountingArrayPool()
        : this(ArrayPool<T>.Create(maxArrayLength: 1 << 24, maxArraysPerBucket: KeptPerSize))
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
