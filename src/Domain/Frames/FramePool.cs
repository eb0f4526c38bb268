using System.Buffers;

namespace CrosswalkWatch.Domain.Frames;

/// <summary>
/// Hands out pixel buffers for frames and counts the ones not yet returned, so a test can show that a run
/// leaks none. Thread-safe; one pool may serve every camera of a box.
/// </summary>
public sealed class FramePool
{
    private readonly ArrayPool<byte> _arrays;
    private long _outstanding;
    private long _rented;

    public FramePool()
        : this(ArrayPool<byte>.Shared)
    {
    }

    public FramePool(ArrayPool<byte> arrays) => _arrays = arrays;

    /// <summary>Frames rented and not yet disposed.</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    /// <summary>Frames rented since the pool was made.</summary>
    public long Rented => Interlocked.Read(ref _rented);

    /// <summary>Rents a BGR frame of the given size; the caller owns it until it disposes it or hands it on.</summary>
    public Frame Rent(string cameraId, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var buffer = _arrays.Rent(width * height * 3);
        Interlocked.Increment(ref _outstanding);
        Interlocked.Increment(ref _rented);
        return new Frame(this, buffer, cameraId, width, height);
    }

    internal void Return(byte[] buffer)
    {
        _arrays.Return(buffer);
        Interlocked.Decrement(ref _outstanding);
    }
}
