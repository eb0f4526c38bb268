using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CrosswalkWatch.Messaging.Central;

/// <summary>
/// What is kept of a message that could not be stored (too large, unreadable, foreign): where it came, its size,
/// its SHA-256 and its first <see cref="HeadBytes"/> bytes as printable text, never the payload whole, so a sender
/// cannot fill the central store with what it parks.
/// </summary>
public sealed record MessageReference(string Topic, long Size, string Sha256, string Head)
{
    public const int HeadBytes = 64;

    /// <summary>The reference of <paramref name="payload"/> received on <paramref name="topic"/>.</summary>
    public static MessageReference Of(string topic, ReadOnlySequence<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in payload)
        {
            sha.AppendData(segment.Span);
        }

        var head = payload.Slice(0, Math.Min(payload.Length, HeadBytes)).ToArray();
        return new MessageReference(Limit(topic, 256), payload.Length, Convert.ToHexStringLower(sha.GetHashAndReset()), Printable(head));
    }

    /// <summary>One line for the parked message's record: size, hash and the first bytes.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Size} bytes, sha256 {Sha256}, first bytes: {Head}");

    /// <summary>Printable ASCII as it is, every other byte as <c>\xNN</c>.</summary>
    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F && b != '\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return text.ToString();
    }

    private static string Limit(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
