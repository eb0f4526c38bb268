using System.Globalization;

namespace CrosswalkWatch.Domain.Config;

/// <summary>An NTP server of clock.servers: <c>host</c>, <c>host:port</c>, or <c>[IPv6]:port</c>.</summary>
public sealed record NtpServer(string Host, int Port)
{
    public const int DefaultPort = 123;

    /// <summary>The server <paramref name="text"/> names, or null when it is not <c>host[:port]</c> with a port of 1 to 65535.</summary>
    public static NtpServer? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string host = text;
        string? port = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                return null;
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else if (text.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            return null;
        }

        if (port is null)
        {
            return new NtpServer(host, DefaultPort);
        }

        return port.Length is > 0 and <= 5 && port.All(char.IsAsciiDigit) && int.Parse(port, CultureInfo.InvariantCulture) is var number and >= 1 and <= 65535
            ? new NtpServer(host, number)
            : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");
}
