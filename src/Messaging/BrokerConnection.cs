using CrosswalkWatch.Core.Config;
using MQTTnet;
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
