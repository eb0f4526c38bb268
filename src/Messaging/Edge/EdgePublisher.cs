using System.Text;
using CrosswalkWatch.Domain.Outbox;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Messaging.Edge;

/// <summary>
/// Delivers the outbox to the broker with QoS 1, oldest first: while the broker is away the messages stay in the
/// outbox (on disk) and the publisher reconnects with backoff; once it is back they go out in order. A message is
/// marked sent only after its PUBACK, so a crash between the two repeats it, which the central store ignores
/// (its id is the case id). A PUBACK saying no subscriber matched (no consumer, not even an offline one with a
/// persistent session) does not count as delivered: the message stays and is tried again. Health goes out retained and best effort: it is only ever the latest.
/// </summary>
public sealed partial class EdgePublisher : IAsyncDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);

    private readonly BrokerEndpoint _endpoint;
    private readonly string _clientId;
    private readonly IOutbox _outbox;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly SemaphoreSlim _nudge = new(0);
    private long _sent;

    public EdgePublisher(BrokerEndpoint endpoint, string clientId, IOutbox outbox, ILogger logger)
    {
        _endpoint = endpoint;
        _clientId = clientId;
        _outbox = outbox;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
    }

    public bool Connected => _client.IsConnected;

    /// <summary>Messages the broker acknowledged since start.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public string? LastError { get; private set; }

    /// <summary>Tells the publisher there is something new in the outbox (otherwise it looks every couple of seconds).</summary>
    public void Nudge() => _nudge.Release();

    /// <summary>Publishes until cancelled; never throws for a broker fault (it waits and reconnects).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = Backoff.First;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await _endpoint.ConnectAsync(_client, _clientId, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                    LogConnected(_endpoint);
                    LastError = null;
                }

                var pending = await _outbox.PendingAsync(100, cancellationToken).ConfigureAwait(false);
                foreach (var message in pending)
                {
                    await PublishAsync(message.Topic, Encoding.UTF8.GetBytes(message.Payload), retain: false, cancellationToken).ConfigureAwait(false);
                    await _outbox.MarkSentAsync(message.Id, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _sent);
                }

                backoff = Backoff.First;
                if (pending.Count == 0)
                {
                    await _nudge.WaitAsync(Idle, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MqttCommunicationException or MessagingException or OperationCanceledException or InvalidOperationException)
            {
                if (LastError != e.Message)
                {
                    LogBrokerDown(_endpoint, e.Message, backoff.TotalSeconds);
                }

                LastError = e.Message;
                await Backoff.WaitAsync(backoff, cancellationToken).ConfigureAwait(false);
                backoff = Backoff.Next(backoff);
            }
        }
    }

    /// <summary>Publishes a retained message if connected (health); false when the broker is away.</summary>
    public async Task<bool> TryPublishRetainedAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return false;
        }

        try
        {
            await PublishAsync(topic, payload, retain: true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is MqttCommunicationException or MessagingException or InvalidOperationException)
        {
            return false;
        }
    }

    private async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .WithContentType("application/json")
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers && !retain)
        {
            // Nobody would ever get it (a consumer's persistent session would have matched): keep it and try again.
            throw new MessagingException($"no central consumer is subscribed to {topic} yet; the message stays in the outbox");
        }

        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            throw new MessagingException($"the broker refused a message on {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await BrokerEndpoint.CloseAsync(_client).ConfigureAwait(false);
        _nudge.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "publisher: connected to {Broker}")]
    private partial void LogConnected(BrokerEndpoint broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "publisher: broker {Broker} unavailable ({Error}); candidates wait in the outbox, retrying in {Seconds:0} s")]
    private partial void LogBrokerDown(BrokerEndpoint broker, string error, double seconds);
}
