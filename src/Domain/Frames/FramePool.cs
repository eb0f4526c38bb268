using System.Collections.Concurrent;

namespace CrosswalkWatch.Domain.Frames;

/// <summary>
/// Hands out pixel buffers for frames and counts the ones not yet returned, so a test can show that a run
/// leaks none. Thread-safe; one pool may serve every camera of a box. Buffers are of the frame's exact size (the
/// shared array pool rounds 640x360 BGR up to 1 MB and keeps copies per thread and per core), and a returned buffer
/// is kept for the next frame of that size, up to <see cref="KeptPerSize"/>: the pool holds about what was in flight
/// at once, never more.
/// </summary>
public sealed class FramePool
{
    /// <summary>Returned buffers kept per frame size (more than a 16-camera box has in flight).</summary>
    public const int KeptPerSize = 128;

    private readonly ConcurrentDictionary<int, ConcurrentBag<byte[]>> _free = new();
    private long _outstanding;
    private long _rented;

    /// <summary>Frames rented and not yet disposed.</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    /// <summary>Frames rented since the pool was made.</summary>
    public long Rented => Interlocked.Read(ref _rented);

    /// <summary>Buffers returned and kept for the next frames.</summary>
    public int Kept => _free.Values.Sum(f => f.Count);

    /// <summary>Rents a BGR frame of the given size; the caller owns it until it disposes it or hands it on.</summary>
    public Frame Rent(string cameraId, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var length = checked(width * height * 3);
        var buffer = _free.TryGetValue(length, out var free) && free.TryTake(out var kept) ? kept : GC.AllocateUninitializedArray<byte>(length);
        Interlocked.Increment(ref _outstanding);
        Interlocked.Increment(ref _rented);
        return new Frame(this, buffer, cameraId, width, height);
    }

    internal void Return(byte[] buffer)
    {
        var free = _free.GetOrAdd(buffer.Length, _ => []);
        if (free.Count < KeptPerSize)
        {
            free.Add(buffer);
        }

        Interlocked.Decrement(ref _outstanding);
    }
}
