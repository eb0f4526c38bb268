using System.Net;
using System.Net.Sockets;
using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.Edge.Clock;

/// <summary>Asks one NTP server for the time over UDP (<see cref="Sntp"/>): a few requests, the one with the shortest round trip kept.</summary>
public sealed class SntpClient(TimeProvider? time = null)
{
    /// <summary>How long one request waits for its answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Requests per measurement: the answer least delayed on the way gives the best offset.</summary>
    public const int Samples = 3;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <exception cref="SntpException">No usable answer: the server's name does not resolve, it did not answer in time, or its answers were not to use.</exception>
    public async Task<SntpSample> QueryAsync(NtpServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var name = server.ToString();
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(server.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(server.Host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new SntpException($"{name}: the name does not resolve ({e.Message})");
        }

        if (addresses.Length == 0)
        {
            throw new SntpException($"{name}: the name does not resolve");
        }

        var endpoint = new IPEndPoint(addresses[0], server.Port);
        using var udp = new UdpClient(endpoint.AddressFamily);
        udp.Connect(endpoint);
        SntpSample? best = null;
        SntpException? last = null;
        var reply = new byte[512];
        for (var i = 0; i < Samples; i++)
        {
            try
            {
                var sent = _time.GetUtcNow();
                var request = Sntp.Request(sent);
                await udp.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(Timeout);
                int length;
                try
                {
                    length = await udp.Client.ReceiveAsync(reply, wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new SntpException($"{name}: no answer within {Timeout.TotalSeconds:0} s");
                }

                var received = _time.GetUtcNow();
                var sample = Sntp.Read(name, request, reply.AsSpan(0, length), sent, received);
                if (best is null || sample.DelayMs < best.DelayMs)
                {
                    best = sample;
                }
            }
            catch (SocketException e)
            {
                last = new SntpException($"{name}: {e.Message}"); // e.g. connection refused: nothing listens there
            }
            catch (SntpException e)
            {
                last = e;
            }
        }

        return best ?? throw last!;
    }
}
