using System.Buffers.Binary;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Edge.Clock;

namespace CrosswalkWatch.UnitTests.Clock;

public sealed class SntpTests
{
    private static readonly DateTimeOffset T1 = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Request_Always_VersionFourClientModeWithOurTimeAsItsTransmitTimestamp()
    {
        var request = Sntp.Request(T1);

        Assert.Equal(48, request.Length);
        Assert.Equal(0b00_100_011, request[0]); // no leap warning, version 4, mode 3 (client)
        Assert.Equal(T1, Sntp.FromTimestamp(BinaryPrimitives.ReadUInt64BigEndian(request.AsSpan(40))));
        Assert.All(request[1..40], b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("1970-01-01T00:00:00Z", 0x83AA7E80UL << 32)] // RFC 4330: the Unix epoch is 2 208 988 800 s into era 0
    [InlineData("2036-02-07T06:28:16Z", 0UL)] // era 1 starts where era 0's seconds wrap
    [InlineData("2040-01-01T12:00:00.5Z", ((0x0754_FD00UL + 43200) << 32) | 0x8000_0000UL)]
    public void Timestamp_EitherEra_ConvertsBothWays(string time, ulong timestamp)
    {
        var at = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(timestamp, Sntp.ToTimestamp(at));
        Assert.Equal(at, Sntp.FromTimestamp(timestamp));
    }

    [Fact]
    public void OffsetAndDelay_ServerFiveSecondsAheadAndFortyMillisecondsAway_FiveSecondsAndForty()
    {
        // Out 20 ms, 1 ms at the server, back 20 ms.
        var (offset, delay) = Sntp.OffsetAndDelay(T1, T1.AddSeconds(5).AddMilliseconds(20), T1.AddSeconds(5).AddMilliseconds(21), T1.AddMilliseconds(41));

        Assert.Equal(TimeSpan.FromSeconds(5), offset);
        Assert.Equal(TimeSpan.FromMilliseconds(40), delay);
    }

    [Fact]
    public void Read_ServerAnswerTwoSecondsBehind_NegativeOffsetTheDelayAndItsStratum()
    {
        var request = Sntp.Request(T1);
        var reply = Reply(request, T1.AddSeconds(-2).AddMilliseconds(5), T1.AddSeconds(-2).AddMilliseconds(6));

        var sample = Sntp.Read("ntp:123", request, reply, T1, T1.AddMilliseconds(11));

        Assert.Equal("ntp:123", sample.Server);
        Assert.Equal(-2000, sample.OffsetMs, precision: 3);
        Assert.Equal(10, sample.DelayMs, precision: 3);
        Assert.Equal(2, sample.Stratum);
    }

    [Theory]
    [InlineData("short", "an answer of 47 bytes, expected at least 48")]
    [InlineData("mode", "an answer in mode 3, expected 4 (server)")]
    [InlineData("kiss", "the server refused to give the time (kiss-o'-death 'RATE')")]
    [InlineData("stratum", "stratum 16, expected 1 to 15")]
    [InlineData("leap", "not synchronised (leap indicator 3)")]
    [InlineData("origin", "the answer is not to our request")]
    [InlineData("zero", "the answer carries no time")]
    public void Read_AnswerNotToUse_SaysWhy(string fault, string message)
    {
        var request = Sntp.Request(T1);
        var reply = Reply(request, T1, T1);
        switch (fault)
        {
            case "short":
                reply = reply[..47];
                break;
            case "mode":
                reply[0] = 0b00_100_011;
                break;
            case "kiss":
                reply[1] = 0;
                "RATE"u8.CopyTo(reply.AsSpan(12));
                break;
            case "stratum":
                reply[1] = 16;
                break;
            case "leap":
                reply[0] = 0b11_100_100;
                break;
            case "origin":
                reply[31] ^= 1;
                break;
            case "zero":
                reply.AsSpan(40, 8).Clear();
                break;
        }

        var error = Assert.Throws<SntpException>(() => Sntp.Read("ntp:123", request, reply, T1, T1));

        Assert.StartsWith("ntp:123: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ntp.example.cn", "ntp.example.cn", 123)]
    [InlineData("10.0.0.1:1123", "10.0.0.1", 1123)]
    [InlineData("[::1]:123", "::1", 123)]
    [InlineData("[fe80::1]", "fe80::1", 123)]
    public void NtpServer_HostOrHostAndPort_Parsed(string text, string host, int port) =>
        Assert.Equal(new NtpServer(host, port), NtpServer.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData(":123")]
    [InlineData("ntp:0")]
    [InlineData("ntp:65536")]
    [InlineData("ntp:12a")]
    [InlineData("ntp one")]
    [InlineData("::1")]
    [InlineData("[::1")]
    public void NtpServer_NotHostAndPort_Null(string text) => Assert.Null(NtpServer.Parse(text));

    /// <summary>A server's answer at stratum 2: received at <paramref name="t2"/>, sent at <paramref name="t3"/>, to <paramref name="request"/>.</summary>
    private static byte[] Reply(byte[] request, DateTimeOffset t2, DateTimeOffset t3)
    {
        var reply = new byte[48];
        reply[0] = 0b00_100_100; // no leap warning, version 4, mode 4 (server)
        reply[1] = 2;
        request.AsSpan(40, 8).CopyTo(reply.AsSpan(24)); // origin: our transmit timestamp
        BinaryPrimitives.WriteUInt64BigEndian(reply.AsSpan(32), Sntp.ToTimestamp(t2));
        BinaryPrimitives.WriteUInt64BigEndian(reply.AsSpan(40), Sntp.ToTimestamp(t3));
        return reply;
    }
}
