using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using CrosswalkWatch.Ingest.Sources;

namespace CrosswalkWatch.UnitTests.Ingest;

/// <summary>The camera clock probe's pieces: RTCP sender reports, the interleaved reader, SDP and Digest.</summary>
public sealed class RtcpClockTests
{
    private const ulong Timestamp = (0xEB1F_2A3BUL << 32) | 0x8000_0000UL;

    [Fact]
    public void TryReadSenderReport_CompoundReceiverReportThenSenderReport_TheSendersNtpTimestamp()
    {
        var packet = Compound(ReceiverReport(), SenderReport(Timestamp), Sdes());

        Assert.True(Rtcp.TryReadSenderReport(packet, out var ntp));
        Assert.Equal(Timestamp, ntp);
    }

    [Fact]
    public void TryReadSenderReport_ReceiverReportOnly_False()
    {
        Assert.False(Rtcp.TryReadSenderReport(Compound(ReceiverReport(), Sdes()), out _));
    }

    [Fact]
    public void TryReadSenderReport_Empty_False()
    {
        Assert.False(Rtcp.TryReadSenderReport([], out _));
    }

    [Fact]
    public void TryReadSenderReport_LengthPastTheEnd_False()
    {
        var packet = SenderReport(Timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 20);

        Assert.False(Rtcp.TryReadSenderReport(packet, out _));
    }

    [Theory]
    [InlineData(0xEEC1_60BBUL, "2026-12-07T16:43:39.5Z", "2026-12-07T16:40:00Z")] // era 0
    [InlineData(0x0754_FD00UL + 43200, "2040-01-01T12:00:00.5Z", "2040-01-01T11:59:00Z")] // era 1: seconds wrapped in 2036
    [InlineData(0xFFFF_FFFFUL, "2036-02-07T06:28:15.5Z", "2036-02-07T06:28:17Z")] // the last second of era 0, seen just after the wrap
    public void NtpTime_EitherEra_TheTimeNearestToNow(ulong seconds, string expected, string now)
    {
        var at = Rtcp.NtpTime((seconds << 32) | 0x8000_0000UL, Parse(now));

        Assert.Equal(Parse(expected), at);
    }

    [Theory]
    [InlineData(new[] { 3001.0 }, 3001.0)]
    [InlineData(new[] { 2582.0, 2990.0, 2601.0 }, 2990.0)] // two reports read 400 ms late on a loaded box do not move it
    [InlineData(new[] { -350.0, 10.0, -120.0 }, 10.0)]
    public void LeastDelayed_Offsets_TheLargest(double[] offsets, double expected)
    {
        Assert.Equal(expected, Rtcp.LeastDelayed(offsets));
    }

    [Fact]
    public async Task RtspReader_ResponsesAndFramesMixed_EachWhereAsked()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Frame(0, [1, 2, 3])); // RTP before the answer: dropped
        bytes.AddRange(Encoding.UTF8.GetBytes("RTSP/1.0 200 OK\r\nCSeq: 4\r\nContent-Length: 5\r\nWWW-Authenticate: Basic realm=\"a\"\r\nWWW-Authenticate: Digest realm=\"b\"\r\n\r\nv=0\r\n"));
        bytes.AddRange(Frame(1, SenderReport(Timestamp)));
        bytes.AddRange(Encoding.UTF8.GetBytes("GET_PARAMETER rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\n\r\n")); // the server's own request: dropped
        bytes.AddRange(Frame(0, new byte[70_000 - 65_536 + 1000]));
        var reader = new RtspReader(new MemoryStream([.. bytes]));

        var response = await reader.ReadResponseAsync(CancellationToken.None);
        var rtcp = await reader.ReadFrameAsync(CancellationToken.None);
        var rtp = await reader.ReadFrameAsync(CancellationToken.None);

        Assert.Equal((200, "OK", "4", "v=0\r\n"), (response.Status, response.Reason, response.Header("cseq"), response.Body));
        Assert.Equal(["Basic realm=\"a\"", "Digest realm=\"b\""], response.AllHeaders("WWW-Authenticate"));
        Assert.Equal(1, rtcp.Channel);
        Assert.True(Rtcp.TryReadSenderReport(rtcp.Payload, out var ntp));
        Assert.Equal(Timestamp, ntp);
        Assert.Equal((0, 5464), (rtp.Channel, rtp.Payload.Length));
        await Assert.ThrowsAsync<EndOfStreamException>(() => reader.ReadFrameAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RtspReader_FramesLargerThanTheBufferLeft_ReadWhole()
    {
        var bytes = new List<byte>();
        for (var i = 0; i < 10; i++)
        {
            bytes.AddRange(Frame(0, Enumerable.Repeat((byte)i, 65_535).ToArray()));
        }

        var reader = new RtspReader(new MemoryStream([.. bytes]));
        for (var i = 0; i < 10; i++)
        {
            var frame = await reader.ReadFrameAsync(CancellationToken.None);
            Assert.Equal(65_535, frame.Payload.Length);
            Assert.All(frame.Payload, b => Assert.Equal(i, b));
        }
    }

    [Theory]
    [InlineData("stream=0", "rtsp://127.0.0.1:8554/cam1/", "rtsp://127.0.0.1:8554/cam1/stream=0")] // gst-rtsp-server
    [InlineData("trackID=1", "rtsp://10.0.0.5/Streaming/Channels/101", "rtsp://10.0.0.5/Streaming/Channels/101/trackID=1")] // Hikvision: no slash at the end
    [InlineData("rtsp://10.0.0.6/cam/realmonitor/trackID=0", "rtsp://10.0.0.6/cam/realmonitor/", "rtsp://10.0.0.6/cam/realmonitor/trackID=0")]
    [InlineData("*", "rtsp://10.0.0.7/live/", "rtsp://10.0.0.7/live/")]
    public void VideoControlUrl_Control_AbsoluteOrRelativeToTheBase(string control, string contentBase, string expected)
    {
        var sdp = $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=x\r\na=control:*\r\nm=audio 0 RTP/AVP 0\r\na=control:audio\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:{control}\r\nm=video 0 RTP/AVP 97\r\na=control:second\r\n";

        Assert.Equal(expected, Rtsp.VideoControlUrl(sdp, contentBase));
    }

    [Fact]
    public void VideoControlUrl_NoVideo_Null()
    {
        Assert.Null(Rtsp.VideoControlUrl("v=0\r\nm=audio 0 RTP/AVP 0\r\na=control:audio\r\n", "rtsp://h/"));
        Assert.Null(Rtsp.VideoControlUrl("", "rtsp://h/"));
    }

    [Fact]
    public void DigestResponse_Rfc2617Example_TheRfcsResponse()
    {
        var response = Rtsp.DigestResponse("Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b");

        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Fact]
    public void Authorization_DigestChallengeBesideBasic_DigestWithTheRfcsResponse()
    {
        string[] challenges = ["Basic realm=\"testrealm@host.com\"", "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""];

        var header = Rtsp.Authorization(challenges, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", 1, "0a4f113b");

        Assert.Equal("Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", algorithm=MD5", header);
    }

    [Fact]
    public void Authorization_DigestWithoutQop_Rfc2069Response()
    {
        var header = Rtsp.Authorization(["Digest realm=\"IP Camera(C1234)\", nonce=\"abc\", stale=\"FALSE\""], "admin", "12345", "DESCRIBE", "rtsp://10.0.0.5/Streaming/Channels/101", 1, "x");

        var expected = Rtsp.DigestResponse("admin", "IP Camera(C1234)", "12345", "DESCRIBE", "rtsp://10.0.0.5/Streaming/Channels/101", "abc", null, "", "");
        Assert.Equal($"Digest username=\"admin\", realm=\"IP Camera(C1234)\", nonce=\"abc\", uri=\"rtsp://10.0.0.5/Streaming/Channels/101\", response=\"{expected}\", algorithm=MD5", header);
    }

    [Fact]
    public void Authorization_BasicOnly_UserAndPasswordInBase64()
    {
        Assert.Equal("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", Rtsp.Authorization(["Basic realm=\"cam\""], "Aladdin", "open sesame", "DESCRIBE", "rtsp://h/", 1, "x"));
        Assert.Null(Rtsp.Authorization([], "a", "b", "DESCRIBE", "rtsp://h/", 1, "x"));
    }

    [Fact]
    public void Credentials_EncodedUserinfo_Decoded()
    {
        Assert.Equal(("admin", "p@ss:w rd"), CameraClockProbe.Credentials(new Uri("rtsp://admin:p%40ss%3Aw%20rd@10.0.0.5:554/x")));
        Assert.Equal(("", ""), CameraClockProbe.Credentials(new Uri("rtsp://10.0.0.5/x")));
    }

    private static DateTimeOffset Parse(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

    private static byte[] Compound(params byte[][] packets) => [.. packets.SelectMany(p => p)];

    private static byte[] ReceiverReport()
    {
        var p = new byte[8];
        (p[0], p[1], p[3]) = (0x80, 201, 1);
        return p;
    }

    private static byte[] SenderReport(ulong ntp)
    {
        var p = new byte[28];
        (p[0], p[1], p[3]) = (0x80, 200, 6);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(4), 0x1234_5678);
        BinaryPrimitives.WriteUInt64BigEndian(p.AsSpan(8), ntp);
        return p;
    }

    private static byte[] Sdes()
    {
        var p = new byte[12];
        (p[0], p[1], p[3]) = (0x81, 202, 2);
        return p;
    }

    private static byte[] Frame(int channel, byte[] payload)
    {
        var f = new byte[4 + payload.Length];
        (f[0], f[1]) = ((byte)'$', (byte)channel);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(2), (ushort)payload.Length);
        payload.CopyTo(f, 4);
        return f;
    }
}
