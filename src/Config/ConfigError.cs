using System.Globalization;

namespace CrosswalkWatch.Config;

/// <summary>
/// One problem in a configuration file: where it is (file, 1-based line and column; 0 when the problem is
/// the file as a whole), which key (a full path such as <c>cameras[1].ingest.detectFps</c>; empty for a YAML
/// syntax error) and what was expected.
/// </summary>
public sealed record ConfigError(string File, int Line, int Column, string Key, string Message)
{
    /// <summary><see cref="Message"/> as a phrase the console words in its reader's language; null where the loader words it in English only.</summary>
    public Domain.Phrase? Text { get; init; }

    /// <summary>The error as one line: <c>FILE:LINE:COL: KEY: MESSAGE</c>.</summary>
    public override string ToString()
    {
        string where = Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}")
            : File;
        return Key.Length > 0 ? $"{where}: {Key}: {Message}" : $"{where}: {Message}";
    }
}
