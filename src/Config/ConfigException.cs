namespace CrosswalkWatch.Config;

/// <summary>
/// A configuration or scene file that cannot be used. <see cref="Errors"/> holds every problem found, not just the
/// first; the message lists them one per line as <c>FILE:LINE:COL: KEY: MESSAGE</c>.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException()
        : this([])
    {
    }

    public ConfigException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 0 ? "invalid configuration" : string.Join(Environment.NewLine, errors);
    }
}
