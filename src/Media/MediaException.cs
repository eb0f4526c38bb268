namespace CrosswalkWatch.Media;

/// <summary>A media tool or file failed (ffmpeg would not start or failed, a font is missing), worded for the operator.</summary>
public class MediaException : Exception
{
    public MediaException(string message, bool permanent = false, Exception? inner = null)
        : base(message, inner) => Permanent = permanent;

    public MediaException()
    {
    }

    public MediaException(string message)
        : base(message)
    {
    }

    public MediaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Retrying cannot help (for example a missing program or file).</summary>
    public bool Permanent { get; }
}
