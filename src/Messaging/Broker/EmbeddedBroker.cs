using System.Net;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CrosswalkWatch.Messaging.Broker;

/// <summary>
/// The in-process broker of a one-box install (MQTTnet.Server), bound to loopback only, with persistent sessions so
/// that a consumer that reconnects gets what was published while it was away. Optionally checks a user name and
/// password. It has no shared subscriptions: a box has one consumer; several boxes use mosquitto.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private EmbeddedBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public static async Task<EmbeddedBroker> StartAsync(int port, string? username = null, string? password = null)
    {
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .Build();
        var server = factory.CreateMqttServer(options);
        if (username is not null)
        {
            server.ValidatingConnectionAsync += e =>
            {
                if (e.UserName != username || e.Password != password)
                {
                    e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
                }

                return Task.CompletedTask;
            };
        }

        try
        {
            await server.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            server.Dispose();
            throw new MessagingException($"the embedded MQTT broker cannot listen on 127.0.0.1:{port}: {e.Message} (another broker running? set messaging.port)", e);
        }

        return new EmbeddedBroker(server, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync().ConfigureAwait(false);
        _server.Dispose();
    }
}
