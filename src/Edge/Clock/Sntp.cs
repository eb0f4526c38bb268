using System.Buffers.Binary;
using System.Globalization;

namespace CrosswalkWatch.Edge.Clock;

/// <summary>What one server's answer says: the offset of its clock from ours and the round trip, both in milliseconds.</summary>
/// <param name="OffsetMs">The server's time minus ours: negative when this box runs ahead.</param>
/// <param name="DelayMs">The round trip less the server's own time on it; the offset is known to within half of it.</param>
public sealed record SntpSample(string Server, double OffsetMs, double DelayMs, int Stratum);

/// <summary>An answer that cannot be used, with why: too short, not a server's answer, not to our request, an unsynchronised server.</summary>
public sealed class SntpException(string message) : Exception(message);

/// <summary>
/// The simple network time protocol (SNTP, RFC 4330) as a client: a 48-byte mode-3 request carrying our transmit time,
/// and the reading of the server's mode-4 answer. With t1 our time at sending, t2 the server's at receiving, t3 the
/// server's at answering and t4 ours at receiving: offset = ((t2 − t1) + (t3 − t4)) / 2, delay = (t4 − t1) − (t3 − t2).
/// </summary>
public static class Sntp
{
    public const int PacketLength = 48;

    private const int Version = 4;
    private const int ClientMode = 3;
    private const int ServerMode = 4;
    private const int BroadcastMode = 5;

    /// <summary>NTP era 0 starts at 1900-01-01; a timestamp whose top bit is clear is in era 1 (from 2036-02-07 06:28:16).</summary>
    private static readonly DateTimeOffset Era0 = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Era1 = Era0.AddSeconds(1L << 32);

    /// <summary>A request sent at <paramref name="transmit"/>: no leap warning, version 4, client mode, our time as its transmit timestamp.</summary>
    public static byte[] Request(DateTimeOffset transmit)
    {
        var packet = new byte[PacketLength];
        packet[0] = (byte)((Version << 3) | ClientMode);
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(40), ToTimestamp(transmit));
        return packet;
    }

    /// <summary>
    /// The sample in <paramref name="reply"/> to <paramref name="request"/>, sent at <paramref name="sent"/> (t1) and
    /// received at <paramref name="received"/> (t4), both by our clock.
    /// </summary>
    /// <exception cref="SntpException">The answer is not one to use; the message says why.</exception>
    public static SntpSample Read(string server, ReadOnlySpan<byte> request, ReadOnlySpan<byte> reply, DateTimeOffset sent, DateTimeOffset received)
    {
        if (reply.Length < PacketLength)
        {
            throw new SntpException(string.Create(CultureInfo.InvariantCulture, $"{server}: an answer of {reply.Length} bytes, expected at least {PacketLength}"));
        }

        int leap = reply[0] >> 6;
        int version = (reply[0] >> 3) & 7;
        int mode = reply[0] & 7;
        int stratum = reply[1];
        if (mode != ServerMode && mode != BroadcastMode)
        {
            throw new SntpException(string.Create(CultureInfo.InvariantCulture, $"{server}: an answer in mode {mode}, expected 4 (server)"));
        }

        if (version is < 1 or > 4)
        {
            throw new SntpException(string.Create(CultureInfo.InvariantCulture, $"{server}: an answer of NTP version {version}, expected 1 to 4"));
        }

        if (stratum == 0)
        {
            var kiss = System.Text.Encoding.ASCII.GetString(reply.Slice(12, 4)).TrimEnd('\0');
            throw new SntpException($"{server}: the server refused to give the time (kiss-o'-death '{kiss}')");
        }

        if (stratum > 15)
        {
            throw new SntpException(string.Create(CultureInfo.InvariantCulture, $"{server}: stratum {stratum}, expected 1 to 15 (the server's own clock is not synchronised)"));
        }

        if (leap == 3)
        {
            throw new SntpException($"{server}: the server says its clock is not synchronised (leap indicator 3)");
        }

        ulong origin = BinaryPrimitives.ReadUInt64BigEndian(reply[24..]);
        if (origin != BinaryPrimitives.ReadUInt64BigEndian(request[40..]))
        {
            throw new SntpException($"{server}: the answer is not to our request (its origin timestamp is not our transmit timestamp)");
        }

        ulong receive = BinaryPrimitives.ReadUInt64BigEndian(reply[32..]);
        ulong transmit = BinaryPrimitives.ReadUInt64BigEndian(reply[40..]);
        if (transmit == 0 || receive == 0)
        {
            throw new SntpException($"{server}: the answer carries no time (a zero timestamp)");
        }

        var (offset, delay) = OffsetAndDelay(sent, FromTimestamp(receive), FromTimestamp(transmit), received);
        return new SntpSample(server, offset.TotalMilliseconds, delay.TotalMilliseconds, stratum);
    }

    /// <summary>offset = ((t2 − t1) + (t3 − t4)) / 2; delay = (t4 − t1) − (t3 − t2).</summary>
    public static (TimeSpan Offset, TimeSpan Delay) OffsetAndDelay(DateTimeOffset t1, DateTimeOffset t2, DateTimeOffset t3, DateTimeOffset t4) =>
        (((t2 - t1) + (t3 - t4)) / 2, (t4 - t1) - (t3 - t2));

    /// <summary>An NTP timestamp: seconds since the era's start in the high 32 bits, the fraction in the low 32.</summary>
    public static ulong ToTimestamp(DateTimeOffset time)
    {
        var since = time >= Era1 ? time - Era1 : time - Era0;
        ulong seconds = (ulong)(since.Ticks / TimeSpan.TicksPerSecond);
        ulong fraction = ((ulong)(since.Ticks % TimeSpan.TicksPerSecond) << 32) / (ulong)TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    public static DateTimeOffset FromTimestamp(ulong timestamp)
    {
        ulong seconds = timestamp >> 32;
        ulong fraction = timestamp & 0xFFFF_FFFF;
        var era = (seconds & 0x8000_0000) != 0 ? Era0 : Era1;
        return era.AddTicks(((long)seconds * TimeSpan.TicksPerSecond) + (long)((fraction * (ulong)TimeSpan.TicksPerSecond) >> 32));
    }
}
