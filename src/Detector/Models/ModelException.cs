namespace CrosswalkWatch.Detector.Models;

/// <summary>
/// A model is missing, corrupt, or does not match its manifest. The message says which file, where it was looked
/// for and how to get it.
/// </summary>
public sealed class ModelException : Exception
{
    public ModelException()
    {
    }

    public ModelException(string message)
        : base(message)
    {
    }

    public ModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
