using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace CrosswalkWatch.Messaging;

/// <summary>
/// A subscribing client's life, shared by the central consumer and the edge's signal feed: connect, subscribe to one
/// filter — again after every reconnect, since a broker restarted from its persistence may keep a session but not its
/// subscription — and stay; when the broker goes away or refuses (the connection or the subscription), disconnect,
/// wait with backoff and start again, until cancelled. What a message means is the caller's
/// (<c>ApplicationMessageReceivedAsync</c> on the client).
/// </summary>
internal static class Subscription
{
    /// <param name="connected">Called after each successful subscription, with whether the broker kept the session.</param>
    /// <param name="down">Called with the reason when the broker goes away or refuses, once per new reason.</param>
    public static async Task KeepAsync(
        IMqttClient client,
        BrokerEndpoint endpoint,
        string clientId,
        TimeSpan sessionExpiry,
        int maxPacketSize,
        string filter,
        Action<bool> connected,
        Action<string> down,
        CancellationToken cancellationToken)
    {
        var backoff = Backoff.First;
        string? lastError = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    var result = await endpoint.ConnectAsync(client, clientId, sessionExpiry, cancellationToken, maxPacketSize).ConfigureAwait(false);
                    var subscribe = new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                        .Build();
                    var granted = await client.SubscribeAsync(subscribe, cancellationToken).ConfigureAwait(false);
                    var code = granted.Items.First().ResultCode;
                    if (code > MqttClientSubscribeResultCode.GrantedQoS2)
                    {
                        throw new MessagingException($"the broker refused the subscription to {filter}: {code} (may this account read it? see `cww broker acl`)");
                    }

                    connected(result.IsSessionPresent);
                    lastError = null;
                    backoff = Backoff.First;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MqttCommunicationException or MessagingException or OperationCanceledException or InvalidOperationException)
            {
                if (lastError != e.Message)
                {
                    down(e.Message);
                }

                lastError = e.Message;
                await DisconnectQuietlyAsync(client).ConfigureAwait(false); // connected but refused the subscription: all again later
                await Backoff.WaitAsync(backoff, cancellationToken).ConfigureAwait(false);
                backoff = Backoff.Next(backoff);
            }
        }
    }

    private static async Task DisconnectQuietlyAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            await client.DisconnectAsync().ConfigureAwait(false);
        }
        catch (MqttCommunicationException)
        {
            // Gone already.
        }
    }
}
