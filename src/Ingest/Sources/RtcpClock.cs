using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>What one probe of a camera's clock found: the offset (camera − box), or why there is none.</summary>
/// <param name="OffsetMs">The camera's wall clock minus the box's, milliseconds (of the least delayed report); null without reports.</param>
/// <param name="Reports">How many sender reports the offset is taken from.</param>
public sealed record CameraClockReading(double? OffsetMs, int Reports);

/// <summary>How long the probe waits, and for how many sender reports.</summary>
public sealed record CameraClockProbeOptions
{
    /// <summary>Sender reports to read (the offset is that of the least delayed).</summary>
    public int Reports { get; init; } = 3;

    /// <summary>How long to wait for each RTSP answer (and for the connection).</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to collect sender reports after PLAY (RTCP's interval is about 5 s): none by then means the camera sends none.</summary>
    public TimeSpan ReportsWithin { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>RTCP sender reports (RFC 3550 6.4.1) and their NTP timestamps.</summary>
public static class Rtcp
{
    public const byte SenderReport = 200;

    /// <summary>Seconds from 1900-01-01 (NTP era 0) to 1970-01-01.</summary>
    private const long NtpToUnixSeconds = 2_208_988_800;

    /// <summary>
    /// The NTP timestamp of the first sender report in an RTCP packet, which may be compound (a receiver report, SDES…
    /// before it): each packet is walked by its length field. False without one, or when a length runs past the end.
    /// </summary>
    public static bool TryReadSenderReport(ReadOnlySpan<byte> packet, out ulong ntpTimestamp)
    {
        ntpTimestamp = 0;
        var offset = 0;
        while (offset + 4 <= packet.Length)
        {
            if (packet[offset] >> 6 != 2)
            {
                return false; // not RTP version 2
            }

            var length = (BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]) + 1) * 4;
            if (offset + length > packet.Length)
            {
                return false;
            }

            if (packet[offset + 1] == SenderReport && length >= 28)
            {
                ntpTimestamp = BinaryPrimitives.ReadUInt64BigEndian(packet[(offset + 8)..]);
                return true;
            }

            offset += length;
        }

        return false;
    }

    /// <summary>
    /// The time an NTP timestamp (32-bit seconds since 1900 and a 32-bit fraction) stands for, in the NTP era (136 years
    /// each; era 1 starts in February 2036) that puts it nearest to <paramref name="near"/>.
    /// </summary>
    public static DateTimeOffset NtpTime(ulong ntpTimestamp, DateTimeOffset near)
    {
        var nearSeconds = near.ToUnixTimeSeconds() + NtpToUnixSeconds; // since 1900, not wrapped
        var seconds = (long)(ntpTimestamp >> 32) + (nearSeconds & ~0xFFFF_FFFFL);
        if (seconds - nearSeconds > 1L << 31)
        {
            seconds -= 1L << 32;
        }
        else if (nearSeconds - seconds > 1L << 31)
        {
            seconds += 1L << 32;
        }

        var fraction = (ntpTimestamp & 0xFFFF_FFFF) / 4294967296.0;
        return DateTimeOffset.UnixEpoch.AddTicks(((seconds - NtpToUnixSeconds) * TimeSpan.TicksPerSecond) + (long)(fraction * TimeSpan.TicksPerSecond));
    }

    /// <summary>
    /// The offset of the report that came quickest: a report's camera time is when it was sent, so every moment it spends
    /// on the way (a busy box reading its socket late, a queue in the camera) makes its offset smaller and never larger;
    /// the largest offset is the least delayed one, as NTP's clock filter keeps the sample of least delay.
    /// </summary>
    public static double LeastDelayed(IReadOnlyList<double> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        return offsets.Max();
    }
}

/// <summary>
/// Measures a camera's clock from the RTCP sender reports it sends, which ffmpeg does not expose: a small RTSP 1.0
/// client of its own (OPTIONS, DESCRIBE, SETUP of the first video media with RTP interleaved in the TCP connection,
/// PLAY), Basic or Digest authentication from the URL's user and password, then each sender report's NTP time against
/// the box's clock when it arrives (on a LAN the delay is negligible), the least delayed of the first few, and TEARDOWN.
/// A camera that sends no sender report in time gives a reading without offset: many cameras send none.
/// </summary>
public static class CameraClockProbe
{
    /// <exception cref="IngestException">The camera cannot be reached, refuses, or answers what is not RTSP; the message never holds the password.</exception>
    public static async Task<CameraClockReading> ProbeAsync(string url, CameraClockProbeOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        options ??= new CameraClockProbeOptions();
        time ??= TimeProvider.System;
        var uri = new Uri(url);
        var (user, password) = Credentials(uri);
        var plain = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();
        using var client = new TcpClient();
        try
        {
            using (var connecting = Deadline(options.AnswerTimeout, cancellationToken))
            {
                await client.ConnectAsync(uri.DnsSafeHost, uri.IsDefaultPort ? 554 : uri.Port, connecting.Token).ConfigureAwait(false);
            }

            var session = new Session(client.GetStream(), plain, user, password, options.AnswerTimeout);
            await session.RequestAsync("OPTIONS", plain, null, cancellationToken).ConfigureAwait(false);
            var describe = await session.RequestAsync("DESCRIBE", plain, "Accept: application/sdp\r\n", cancellationToken).ConfigureAwait(false);
            var contentBase = describe.Header("Content-Base") ?? describe.Header("Content-Location") ?? plain;
            var control = Rtsp.VideoControlUrl(describe.Body, contentBase)
                ?? throw new IngestException($"{plain}: the camera describes no video stream");
            var setup = await session.RequestAsync("SETUP", control, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n", cancellationToken).ConfigureAwait(false);
            var sessionId = setup.Header("Session")?.Split(';')[0].Trim()
                ?? throw new IngestException($"{plain}: the camera's answer to SETUP has no Session");
            var rtcpChannel = RtcpChannel(setup.Header("Transport"));
            await session.RequestAsync("PLAY", contentBase.TrimEnd('/'), $"Session: {sessionId}\r\nRange: npt=0.000-\r\n", cancellationToken).ConfigureAwait(false);

            var offsets = new List<double>();
            using (var collecting = Deadline(options.ReportsWithin, cancellationToken))
            {
                try
                {
                    while (offsets.Count < options.Reports)
                    {
                        var frame = await session.Reader.ReadFrameAsync(collecting.Token).ConfigureAwait(false);
                        var received = time.GetUtcNow();
                        if (frame.Channel == rtcpChannel && Rtcp.TryReadSenderReport(frame.Payload, out var ntp))
                        {
                            offsets.Add((Rtcp.NtpTime(ntp, received) - received).TotalMilliseconds);
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Fewer reports than asked for within the time: the least delayed of those there are, or none.
                }
            }

            await session.SendAsync("TEARDOWN", contentBase.TrimEnd('/'), $"Session: {sessionId}\r\n", cancellationToken).ConfigureAwait(false);
            return new CameraClockReading(offsets.Count == 0 ? null : Rtcp.LeastDelayed(offsets), offsets.Count);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IngestException($"{plain}: the camera did not answer within {options.AnswerTimeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            throw new IngestException($"{plain}: cannot connect: {e.Message}", inner: e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new IngestException($"{plain}: {e.Message}", inner: e);
        }
    }

    /// <summary>The user and password in the URL's userinfo, URL-decoded; empty without.</summary>
    public static (string User, string Password) Credentials(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var info = uri.UserInfo;
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(info), "")
            : (Uri.UnescapeDataString(info[..colon]), Uri.UnescapeDataString(info[(colon + 1)..]));
    }

    /// <summary>The RTCP channel of the SETUP's Transport answer (interleaved=0-1 gives 1); 1 if it says none.</summary>
    private static int RtcpChannel(string? transport)
    {
        var part = transport?.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("interleaved=", StringComparison.OrdinalIgnoreCase));
        var channels = part?["interleaved=".Length..].Split('-');
        return channels is { Length: 2 } && int.TryParse(channels[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rtcp) ? rtcp : 1;
    }

    private static CancellationTokenSource Deadline(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return deadline;
    }

    /// <summary>One RTSP connection: CSeq, the authorization once challenged, and the answers read in turn.</summary>
    private sealed class Session(NetworkStream stream, string url, string user, string password, TimeSpan answerTimeout)
    {
        private readonly string _clientNonce = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16];
        private int _sequence;
        private int _nonceCount;
        private List<string>? _challenges;

        public RtspReader Reader { get; } = new(stream);

        public async Task<RtspResponse> RequestAsync(string method, string target, string? headers, CancellationToken cancellationToken)
        {
            using var deadline = Deadline(answerTimeout, cancellationToken);
            var response = await AskAsync(method, target, headers, deadline.Token).ConfigureAwait(false);
            if (response.Status == 401 && _challenges is null && user.Length > 0)
            {
                _challenges = [.. response.AllHeaders("WWW-Authenticate")];
                response = await AskAsync(method, target, headers, deadline.Token).ConfigureAwait(false);
            }

            return response.Status switch
            {
                200 => response,
                401 => throw new IngestException(user.Length == 0
                    ? $"{url}: the camera asks for a user and password (put them in the URL: rtsp://user:password@host/…)"
                    : $"{url}: the camera refuses user '{user}' (401 to {method}): check the user and password", permanent: true),
                _ => throw new IngestException($"{url}: the camera answered {method} with {response.Status} {response.Reason}", permanent: response.Status == 404),
            };
        }

        public async Task SendAsync(string method, string target, string? headers, CancellationToken cancellationToken)
        {
            var request = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{method} {target} RTSP/1.0\r\nCSeq: {++_sequence}\r\nUser-Agent: CrosswalkWatch\r\n"));
            if (_challenges is not null && Rtsp.Authorization(_challenges, user, password, method, target, ++_nonceCount, _clientNonce) is { } authorization)
            {
                request.Append(CultureInfo.InvariantCulture, $"Authorization: {authorization}\r\n");
            }

            request.Append(headers).Append("\r\n");
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), cancellationToken).ConfigureAwait(false);
        }

        private async Task<RtspResponse> AskAsync(string method, string target, string? headers, CancellationToken cancellationToken)
        {
            await SendAsync(method, target, headers, cancellationToken).ConfigureAwait(false);
            var sequence = _sequence.ToString(CultureInfo.InvariantCulture);
            while (true)
            {
                var response = await Reader.ReadResponseAsync(cancellationToken).ConfigureAwait(false);
                if (response.Status != 0 && (response.Header("CSeq") is not { } cseq || cseq.Trim() == sequence))
                {
                    return response;
                }
            }
        }
    }
}
