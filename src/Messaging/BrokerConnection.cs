using CrosswalkWatch.Core.Config;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;

namespace CrosswalkWatch.Messaging;

/// <summary>How to reach the broker: MQTT 5 over TCP (TLS as an option), a user name and the password read from a file.</summary>
public sealed record BrokerEndpoint(string Host, int Port, string? Username = null, string? Password = null, bool Tls = false)
{
    /// <summary>The endpoint of <paramref name="config"/>; the password file is read here, and a missing one is named.</summary>
    public static BrokerEndpoint From(MessagingConfig config, string? baseDirectory = null)
    {
        string? password = null;
        if (config.PasswordFile is { } file)
        {
            var path = Path.GetFullPath(file, baseDirectory ?? Environment.CurrentDirectory);
            if (!File.Exists(path))
            {
                throw new MessagingException($"messaging.passwordFile: {path} does not exist");
            }

            password = File.ReadAllText(path).Trim();
        }

        return new BrokerEndpoint(config.Host, config.Port, config.Username, password, config.Tls);
    }

    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";

    /// <summary>
    /// Options for one client. A persistent session (clean start off, a session that outlives a disconnect) makes
    /// the broker keep QoS 1 messages for a consumer that is away and resend unacknowledged ones.
    /// </summary>
    /// <summary>Connects <paramref name="client"/>; a refusal (bad password, not authorised…) is a <see cref="MessagingException"/> naming the broker and the reason.</summary>
    internal async Task<MqttClientConnectResult> ConnectAsync(IMqttClient client, string clientId, TimeSpan sessionExpiry, CancellationToken cancellationToken)
    {
        var result = await client.ConnectAsync(Options(clientId, sessionExpiry), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MessagingException($"{this} refused {clientId}: {result.ResultCode}{(string.IsNullOrEmpty(result.ReasonString) ? "" : $" ({result.ReasonString})")}");
        }

        return result;
    }

    /// <summary>Disconnects politely if connected (a broker already gone is no error here) and disposes the client.</summary>
    internal static async ValueTask CloseAsync(IMqttClient client)
    {
        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync().ConfigureAwait(false);
            }
            catch (MqttCommunicationException)
            {
                // Going away anyway.
            }
        }

        client.Dispose();
    }

    internal MqttClientOptions Options(string clientId, TimeSpan sessionExpiry)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(Host, Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)sessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(10))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (Username is not null)
        {
            builder = builder.WithCredentials(Username, Password);
        }

        if (Tls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls());
        }

        return builder.Build();
    }
}

/// <summary>Reconnect backoff: doubling from one second up to 30, with a little jitter so boxes do not retry in step.</summary>
internal static class Backoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    public static TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(Max.Ticks, backoff.Ticks * 2));

    /// <summary>Waits <paramref name="backoff"/> plus up to 250 ms; returns early (without throwing) when cancelled.</summary>
    public static Task WaitAsync(TimeSpan backoff, CancellationToken cancellationToken) =>
        Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(250)), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
}
