using CrosswalkWatch.Media;

namespace CrosswalkWatch.Ingest;

/// <summary>A camera or recording fault, worded for the operator: what went wrong, where, and what to check.</summary>
public class IngestException : MediaException
{
    public IngestException(string message, bool permanent = false, Exception? inner = null)
        : base(message, permanent, inner)
    {
    }

    public IngestException()
    {
    }

    public IngestException(string message)
        : base(message)
    {
    }

    public IngestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The recording disk ran out of space while ffmpeg wrote a segment; detection can go on without recording.</summary>
public sealed class RecordingDiskFullException : IngestException
{
    public RecordingDiskFullException(string message)
        : base(message)
    {
    }

    public RecordingDiskFullException()
    {
    }

    public RecordingDiskFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
