namespace CrosswalkWatch.Domain.Frames;

/// <summary>
/// One decoded BGR24 frame (rows packed, stride = width × 3) leased from a <see cref="FramePool"/>.
/// Whoever holds it owns it: hand it on or dispose it. After disposal its pixels are unreachable.
/// </summary>
public sealed class Frame : IDisposable
{
    private readonly FramePool _pool;
    private byte[]? _buffer;

    internal Frame(FramePool pool, byte[] buffer, string cameraId, int width, int height)
    {
        _pool = pool;
        _buffer = buffer;
        CameraId = cameraId;
        Width = width;
        Height = height;
    }

    public string CameraId { get; }

    /// <summary>Increasing number per camera, across reconnects; stamped by the camera runner.</summary>
    public long Sequence { get; set; }

    /// <summary>Wall-clock capture time (arrival at the box for live streams; file time for fast replay); stamped by the source.</summary>
    public DateTimeOffset CapturedAt { get; set; }

    public int Width { get; }

    public int Height { get; }

    public int Stride => Width * 3;

    public int Length => Width * Height * 3;

    public bool IsDisposed => Volatile.Read(ref _buffer) is null;

    /// <summary>The pixels; throws once the frame is disposed.</summary>
    public Span<byte> Pixels => Buffer.AsSpan(0, Length);

    /// <summary>The pixels as memory, for asynchronous reads into the frame.</summary>
    public Memory<byte> Memory => Buffer.AsMemory(0, Length);

    /// <summary>The pooled array itself (longer than <see cref="Length"/>), for pinning by native code.</summary>
    public byte[] Buffer => Volatile.Read(ref _buffer) ?? throw new ObjectDisposedException(nameof(Frame), $"frame {CameraId}#{Sequence} was already returned to its pool");

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            _pool.Return(buffer);
        }
    }

    public override string ToString() => $"{CameraId}#{Sequence} {Width}x{Height} @ {CapturedAt:O}";
}
