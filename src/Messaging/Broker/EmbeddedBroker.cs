using System.Globalization;
using System.Net;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CrosswalkWatch.Messaging.Broker;

/// <summary>
/// The in-process broker of a one-box install (MQTTnet.Server), bound to loopback only, with persistent sessions so
/// that a consumer that reconnects gets what was published while it was away. It enforces the same rules as a
/// mosquitto given <c>cww broker acl</c>'s files: only the accounts of <see cref="BrokerCredentials"/> sign in, each
/// publishes and subscribes as <see cref="BrokerAccess"/> allows its role (anything else is refused NotAuthorized), and
/// a payload over the cap is refused before it reaches anyone. It has no shared subscriptions: a box has one consumer;
/// several boxes use mosquitto.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private long _refused;

    private EmbeddedBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Connections, publications and subscriptions refused since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Starts a broker on 127.0.0.1:<paramref name="port"/> for the accounts of <paramref name="credentials"/>.</summary>
    public static async Task<EmbeddedBroker> StartAsync(int port, BrokerCredentials credentials, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadBytes, 1);
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .Build();
        var server = factory.CreateMqttServer(options);
        var broker = new EmbeddedBroker(server, port);
        server.ValidatingConnectionAsync += e =>
        {
            if (!credentials.Accepts(e.UserName, e.Password) || BrokerRole.OfUser(e.UserName) is null)
            {
                e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
                Interlocked.Increment(ref broker._refused);
            }

            return Task.CompletedTask;
        };
        server.InterceptingPublishAsync += e =>
        {
            var message = e.ApplicationMessage;
            var refusal = !BrokerAccess.MayPublish(BrokerRole.OfUser(e.UserName), message.Topic)
                ? (MqttPubAckReasonCode.NotAuthorized, $"{e.UserName} may not publish on {message.Topic}")
                : message.Payload.Length > maxPayloadBytes
                    ? (MqttPubAckReasonCode.QuotaExceeded, string.Create(CultureInfo.InvariantCulture, $"payload of {message.Payload.Length} bytes is over the cap of {maxPayloadBytes}"))
                    : ((MqttPubAckReasonCode, string)?)null;
            if (refusal is var (code, reason))
            {
                e.ProcessPublish = false;
                e.Response.ReasonCode = code;
                e.Response.ReasonString = reason;
                Interlocked.Increment(ref broker._refused);
            }

            return Task.CompletedTask;
        };
        server.InterceptingSubscriptionAsync += e =>
        {
            if (!BrokerAccess.MaySubscribe(BrokerRole.OfUser(e.UserName), e.TopicFilter.Topic))
            {
                e.ProcessSubscription = false;
                e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
                e.Response.ReasonString = $"{e.UserName} may not subscribe to {e.TopicFilter.Topic}";
                Interlocked.Increment(ref broker._refused);
            }

            return Task.CompletedTask;
        };

        try
        {
            await server.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            server.Dispose();
            throw new MessagingException($"the embedded MQTT broker cannot listen on 127.0.0.1:{port}: {e.Message} (another broker running? set messaging.port)", e);
        }

        return broker;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync().ConfigureAwait(false);
        _server.Dispose();
    }
}
