namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// Detection could not run on one frame: an empty crop region, or ONNX Runtime failing on the input. The frame can
/// be logged and skipped; a model that does not match its manifest is a <see cref="Models.ModelException"/> at load.
/// </summary>
public sealed class DetectorException : Exception
{
    public DetectorException()
    {
    }

    public DetectorException(string message)
        : base(message)
    {
    }

    public DetectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
