using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>One RTSP response: status, headers (names case-insensitive, repeated ones kept in order) and body.</summary>
public sealed record RtspResponse(int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> AllHeaders(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
}

/// <summary>One interleaved frame of an RTSP TCP connection (RFC 2326 10.12): '$', the channel, a 2-byte length, the packet.</summary>
public readonly record struct InterleavedFrame(int Channel, byte[] Payload);

/// <summary>
/// Reads an RTSP connection (RFC 2326) that carries text responses and interleaved binary frames mixed: a response where
/// a frame is wanted is skipped, and frames where a response is wanted are skipped.
/// </summary>
public sealed class RtspReader(Stream stream)
{
    private const int MaxHeaderBytes = 16 * 1024;
    private const int MaxBodyBytes = 256 * 1024;

    private readonly byte[] _buffer = new byte[MaxBodyBytes + 8];
    private int _start;
    private int _end;

    /// <summary>The next response; interleaved frames before it are dropped.</summary>
    /// <exception cref="EndOfStreamException">The connection closed first.</exception>
    /// <exception cref="InvalidDataException">Not an RTSP response.</exception>
    public async Task<RtspResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await EnsureAsync(1, cancellationToken).ConfigureAwait(false);
            if (_buffer[_start] == (byte)'$')
            {
                await ReadFramePayloadAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            return await ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The next interleaved frame; RTSP messages before it (a server's own request or a late answer) are dropped.</summary>
    /// <exception cref="EndOfStreamException">The connection closed first.</exception>
    public async Task<InterleavedFrame> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await EnsureAsync(1, cancellationToken).ConfigureAwait(false);
            if (_buffer[_start] == (byte)'$')
            {
                return await ReadFramePayloadAsync(cancellationToken).ConfigureAwait(false);
            }

            await ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<InterleavedFrame> ReadFramePayloadAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(4, cancellationToken).ConfigureAwait(false);
        int channel = _buffer[_start + 1];
        int length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2, 2));
        await EnsureAsync(4 + length, cancellationToken).ConfigureAwait(false);
        var payload = _buffer.AsSpan(_start + 4, length).ToArray();
        _start += 4 + length;
        return new InterleavedFrame(channel, payload);
    }

    private async Task<RtspResponse> ReadMessageAsync(CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start > MaxHeaderBytes)
            {
                throw new InvalidDataException("an RTSP message's header is longer than 16 KB");
            }

            await EnsureAsync(_end - _start + 1, cancellationToken).ConfigureAwait(false);
        }

        var lines = Encoding.UTF8.GetString(_buffer, _start, headerEnd).Split("\r\n");
        _start += headerEnd + 4;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        var length = headers.FirstOrDefault(h => string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)).Value is { } text
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (length > MaxBodyBytes)
        {
            throw new InvalidDataException($"an RTSP message's body of {length} bytes is too long");
        }

        await EnsureAsync(length, cancellationToken).ConfigureAwait(false);
        var body = Encoding.UTF8.GetString(_buffer, _start, length);
        _start += length;

        // "RTSP/1.0 200 OK" for a response; a request from the server ("GET_PARAMETER rtsp://… RTSP/1.0") has no status.
        var status = lines[0].Split(' ', 3);
        return status.Length >= 2 && status[0].StartsWith("RTSP/", StringComparison.Ordinal) && int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? new RtspResponse(code, status.Length > 2 ? status[2] : "", headers, body)
            : new RtspResponse(0, lines[0], headers, body);
    }

    /// <summary>Reads until <paramref name="count"/> bytes are buffered from <see cref="_start"/>.</summary>
    private async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (_buffer.Length - _start < count)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("the camera closed the connection");
            }

            _end += read;
        }
    }
}

/// <summary>The small parts of RTSP the camera clock probe needs: the SDP's control URL and the Authorization header.</summary>
public static class Rtsp
{
    /// <summary>
    /// The control URL of the first video media in <paramref name="sdp"/> (its <c>a=control:</c>, else the session's),
    /// absolute as it is or relative to <paramref name="contentBase"/> (Content-Base, else the DESCRIBE's URL); "*" or
    /// none means the base itself. Null without a video media.
    /// </summary>
    public static string? VideoControlUrl(string sdp, string contentBase)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        string? session = null;
        string? video = null;
        var inVideo = false;
        var seenMedia = false;
        var found = false;
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                if (inVideo)
                {
                    break;
                }

                seenMedia = true;
                inVideo = line.StartsWith("m=video ", StringComparison.Ordinal);
                found |= inVideo;
            }
            else if (line.StartsWith("a=control:", StringComparison.Ordinal))
            {
                var control = line["a=control:".Length..].Trim();
                if (inVideo)
                {
                    video = control;
                }
                else if (!seenMedia)
                {
                    session = control;
                }
            }
        }

        if (!found)
        {
            return null;
        }

        var chosen = video ?? session;
        if (chosen is null or "*" or "")
        {
            return contentBase;
        }

        return chosen.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || chosen.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase)
            ? chosen
            : contentBase.TrimEnd('/') + "/" + chosen.TrimStart('/');
    }

    /// <summary>
    /// The Authorization header answering a 401's WWW-Authenticate challenges: Digest (MD5, with qop=auth where offered)
    /// when offered, else Basic. Null when neither is offered.
    /// </summary>
    public static string? Authorization(IEnumerable<string> challenges, string user, string password, string method, string uri, int nonceCount, string clientNonce)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        var all = challenges.ToList();
        if (all.FirstOrDefault(c => c.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase)) is { } digest)
        {
            var p = ChallengeParameters(digest["Digest ".Length..]);
            var realm = p.GetValueOrDefault("realm", "");
            var nonce = p.GetValueOrDefault("nonce", "");
            var qop = p.TryGetValue("qop", out var offered) && offered.Split(',').Any(q => q.Trim() == "auth") ? "auth" : null;
            var nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
            var response = DigestResponse(user, realm, password, method, uri, nonce, qop, nc, clientNonce);
            var header = new StringBuilder($"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\"");
            if (p.TryGetValue("opaque", out var opaque))
            {
                header.Append(CultureInfo.InvariantCulture, $", opaque=\"{opaque}\"");
            }

            if (qop is not null)
            {
                header.Append(CultureInfo.InvariantCulture, $", qop=auth, nc={nc}, cnonce=\"{clientNonce}\"");
            }

            return header.Append(", algorithm=MD5").ToString();
        }

        return all.Any(c => c.StartsWith("Basic", StringComparison.OrdinalIgnoreCase))
            ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))
            : null;
    }

    /// <summary>The Digest response (RFC 2617 3.2.2.1): MD5 of HA1:nonce[:nc:cnonce:qop]:HA2, lower-case hex.</summary>
    public static string DigestResponse(string user, string realm, string password, string method, string uri, string nonce, string? qop, string nc, string clientNonce)
    {
        var ha1 = Md5($"{user}:{realm}:{password}");
        var ha2 = Md5($"{method}:{uri}");
        return Md5(qop is null ? $"{ha1}:{nonce}:{ha2}" : $"{ha1}:{nonce}:{nc}:{clientNonce}:{qop}:{ha2}");
    }

    /// <summary>key=value and key="value" pairs of a challenge, separated by commas (commas inside quotes kept).</summary>
    public static Dictionary<string, string> ChallengeParameters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                close = close < 0 ? text.Length : close;
                value = text[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = text.IndexOf(',', i);
                comma = comma < 0 ? text.Length : comma;
                value = text[i..comma].Trim();
                i = comma;
            }

            result[key] = value;
        }

        return result;
    }

#pragma warning disable CA5351 // MD5 is what RTSP Digest authentication (RFC 2617) asks of cameras, not our choice.
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
