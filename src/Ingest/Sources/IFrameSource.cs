using CrosswalkWatch.Domain.Frames;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>How a source's run ended, when it ended without an exception.</summary>
internal enum SourceEnd
{
    /// <summary>A file or folder was read to its end: do not reconnect.</summary>
    EndOfInput,

    /// <summary>The stream closed (camera restarted, network dropped): reconnect.</summary>
    Disconnected,
}

/// <summary>Where a source delivers what it reads. Implemented by the camera runner.</summary>
internal interface IFrameSink
{
    /// <summary>The stream is open: its own size, the size of frames that follow, and its codec where known ("H.265", or "H.265 main, H.264 sub").</summary>
    void OnOpened(string sourceSize, int frameWidth, int frameHeight, string? codec = null);

    /// <summary>Rents a frame for the source to fill; the sink stamps the sequence number.</summary>
    Frame Rent(int width, int height);

    /// <summary>
    /// Takes ownership of a filled frame. Live sources never wait here (the oldest queued frame is dropped); fast
    /// replay waits for the detector so that no frame of the file is skipped.
    /// </summary>
    ValueTask OnFrameAsync(Frame frame, CancellationToken cancellationToken);

    /// <summary>A non-fatal problem the operator should see (a corrupt frame, a warning from the decoder).</summary>
    void OnWarning(string message);
}

/// <summary>
/// One connection to a camera, file or folder. <see cref="RunAsync"/> reads until the input ends, the stream drops
/// (returns), a fault occurs (throws <see cref="IngestException"/>) or the token is cancelled.
/// </summary>
internal interface IFrameSource
{
    /// <summary>What the source reads, safe to log (no passwords).</summary>
    string Description { get; }

    /// <summary>True for live cameras whose recording goes into the ring.</summary>
    bool IsLive { get; }

    Task<SourceEnd> RunAsync(IFrameSink sink, CancellationToken cancellationToken);
}
