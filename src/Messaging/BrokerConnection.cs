using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrosswalkWatch.Domain.Config;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;

namespace CrosswalkWatch.Messaging;

/// <summary>
/// How to reach the broker: MQTT 5 over TCP (TLS as an option), a user name and the password read from a file. With
/// TLS the broker's certificate is always checked (<see cref="BrokerCertificateCheck"/>): against <see cref="TrustedCa"/>
/// when a CA file is given, else against the system's trusted roots; an untrusted certificate is never accepted.
/// </summary>
public sealed record BrokerEndpoint(string Host, int Port, string? Username = null, string? Password = null, bool Tls = false)
{
    /// <summary>With TLS, the only CA certificates the broker's certificate may chain to (messaging.caFile); null: the system's store.</summary>
    public X509Certificate2Collection? TrustedCa { get; init; }

    /// <summary>The file <see cref="TrustedCa"/> was read from, named in errors.</summary>
    public string? CaFile { get; init; }

    /// <summary>
    /// The endpoint of <paramref name="config"/>; the password file and the CA file are read here (relative paths from
    /// <paramref name="baseDirectory"/>, the config file's folder), and a missing or unreadable one is named.
    /// </summary>
    public static BrokerEndpoint From(MessagingConfig config, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
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

        var endpoint = new BrokerEndpoint(config.Host, config.Port, config.Username, password, config.Tls);
        return config.CaFile is { Length: > 0 } ca ? endpoint.WithCaFile(Path.GetFullPath(ca, baseDirectory ?? Environment.CurrentDirectory)) : endpoint;
    }

    /// <summary>This endpoint trusting only the CA certificates of the PEM file at <paramref name="path"/>.</summary>
    public BrokerEndpoint WithCaFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new MessagingException($"messaging.caFile: {path} does not exist");
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new MessagingException($"messaging.caFile: {path} is not a PEM certificate file: {e.Message}", e);
        }

        return certificates.Count == 0
            ? throw new MessagingException($"messaging.caFile: {path} holds no certificate (expected -----BEGIN CERTIFICATE----- blocks)")
            : this with { TrustedCa = certificates, CaFile = path };
    }

    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";

    /// <summary>
    /// Connects <paramref name="client"/>; a refusal (bad password, not authorised…) or a broker certificate that is
    /// not trusted is a <see cref="MessagingException"/> naming the broker and the reason.
    /// </summary>
    /// <param name="maxPacketSize">The largest packet this client takes (MQTT 5: the broker drops larger ones for it); 0: no limit.</param>
    internal async Task<MqttClientConnectResult> ConnectAsync(IMqttClient client, string clientId, TimeSpan sessionExpiry, CancellationToken cancellationToken, int maxPacketSize = 0)
    {
        var check = new BrokerCertificateCheck(this);
        MqttClientConnectResult result;
        try
        {
            var options = Options(clientId, sessionExpiry, check);
            options.MaximumPacketSize = (uint)Math.Max(0, maxPacketSize);
            result = await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && (check.Refusal is not null || Holds<AuthenticationException>(e)))
        {
            throw new MessagingException(
                check.Refusal is { } refusal
                    ? $"{this}: the broker's certificate is not trusted, so nothing was sent: {refusal}"
                    : $"{this}: the TLS handshake failed: {Innermost(e).Message} (does the broker listen with TLS on port {Port}?)",
                e);
        }

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

    /// <summary>
    /// Options for one client. A persistent session (clean start off, a session that outlives a disconnect) makes
    /// the broker keep QoS 1 messages for a consumer that is away and resend unacknowledged ones. With TLS,
    /// <paramref name="check"/> validates the broker's certificate (and keeps why it refused it).
    /// </summary>
    internal MqttClientOptions Options(string clientId, TimeSpan sessionExpiry, BrokerCertificateCheck? check = null)
    {
        check ??= new BrokerCertificateCheck(this);
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
            builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost(Host).WithCertificateValidationHandler(check.Validate));
        }

        return builder.Build();
    }

    private static bool Holds<T>(Exception e)
        where T : Exception
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is T)
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}

/// <summary>
/// The broker's certificate check for one connection, and why it refused, for the error. The certificate must be
/// for the host connected to, and chain to the CA of messaging.caFile (the only one trusted then; no revocation list
/// is asked for, a private CA rarely publishes one) or, without a CA file, to the system's trusted roots.
/// </summary>
internal sealed class BrokerCertificateCheck(BrokerEndpoint endpoint)
{
    /// <summary>Why the broker's certificate was refused; null when it was accepted or not seen yet.</summary>
    public string? Refusal { get; private set; }

    public bool Validate(MqttClientCertificateValidationEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Refusal = Problem(e.Certificate, e.Chain, e.SslPolicyErrors);
        return Refusal is null;
    }

    private string? Problem(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the broker sent no certificate";
        }

        var who = $"{certificate.Subject} (issued by {certificate.Issuer})";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"{who} is not issued for {endpoint.Host}: connect by a name or address the certificate lists";
        }

        if (endpoint.TrustedCa is not { } ca)
        {
            return errors == SslPolicyErrors.None
                ? null
                : $"{who} does not chain to a CA this machine trusts ({Status(chain)}); give the broker's CA in messaging.caFile";
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate); // intermediates the broker sent
            }
        }

        return custom.Build(server) ? null : $"{who} does not chain to the CA in messaging.caFile {endpoint.CaFile} ({Status(custom)})";
    }

    private static string Status(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
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
