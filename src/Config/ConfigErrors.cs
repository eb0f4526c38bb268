using YamlDotNet.RepresentationModel;

namespace CrosswalkWatch.Config;

/// <summary>
/// Collects every error of one file (validation is not fail-fast) and remembers the YAML node each one points at.
/// </summary>
internal sealed class ConfigErrors(string fileName)
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<(HashSet<YamlNode> Nodes, string KeyPrefix)> _muted = [];

    public string FileName { get; } = fileName;

    public int Count => _errors.Count;

    /// <summary>Records an error at <paramref name="at"/>'s start (or for the whole file when null).</summary>
    public void Add(YamlNode? at, string key, string message) => Add(at, key, message, null);

    /// <summary>Records an error said as a phrase (its English the message) at <paramref name="at"/>'s start (or for the whole file when null).</summary>
    public void Add(YamlNode? at, string key, Domain.Phrase message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Add(at, key, message.English, message);
    }

    private void Add(YamlNode? at, string key, string message, Domain.Phrase? text)
    {
        if (IsMuted(at, key))
        {
            return;
        }

        int line = at is null ? 0 : (int)at.Start.Line;
        int column = at is null ? 0 : (int)at.Start.Column;
        _errors.Add(new ConfigError(FileName, line, column, key, message) { Text = text });
    }

    public void Add(int line, int column, string key, string message) =>
        _errors.Add(new ConfigError(FileName, line, column, key, message));

    /// <summary>Adds an error at a line and column, said as a phrase (the console words it in its reader's language).</summary>
    public void Add(int line, int column, string key, Domain.Phrase message) =>
        _errors.Add(new ConfigError(FileName, line, column, key, message.English) { Text = message });

    /// <summary>
    /// Drops errors at any of <paramref name="nodes"/> under keys starting with <paramref name="keyPrefix"/>:
    /// a value a camera inherits from the global block is reported once, where it is written, not once per camera.
    /// </summary>
    public void Mute(IEnumerable<YamlNode> nodes, string keyPrefix) =>
        _muted.Add((new HashSet<YamlNode>(nodes, ReferenceEqualityComparer.Instance), keyPrefix));

    /// <summary>True when an error at <paramref name="at"/> for <paramref name="key"/> would be dropped (see <see cref="Mute"/>).</summary>
    public bool IsMuted(YamlNode? at, string key)
    {
        foreach ((HashSet<YamlNode> nodes, string keyPrefix) in _muted)
        {
            if (at is not null && nodes.Contains(at) && key.StartsWith(keyPrefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds <paramref name="prefix"/> to the message of every error whose key is below <paramref name="key"/>, except <paramref name="except"/>.</summary>
    public void PrefixMessages(string key, string prefix, string except)
    {
        for (int i = 0; i < _errors.Count; i++)
        {
            ConfigError error = _errors[i];
            bool below = error.Key.Length > key.Length
                && error.Key.StartsWith(key, StringComparison.Ordinal)
                && (error.Key[key.Length] == '.' || error.Key[key.Length] == '[')
                && error.Key != except;
            if (below)
            {
                _errors[i] = error with { Message = prefix + error.Message };
            }
        }
    }

    /// <summary>Throws one exception listing every error, in file order, when there is any.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count == 0)
        {
            return;
        }

        var ordered = new List<ConfigError>(_errors.Count);
        ordered.AddRange(_errors.OrderBy(e => e.Line).ThenBy(e => e.Column));
        throw new ConfigException(ordered);
    }
}
