using System.Buffers;
using CrosswalkWatch.Messaging.Payloads;
using MQTTnet;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Messaging.Central;

/// <summary>Where the consumer puts what it receives; both must be idempotent (a message may come twice).</summary>
public interface ICandidateSink
{
    /// <summary>Stores a candidate; false when it was already stored (a repeated delivery).</summary>
    Task<bool> StoreAsync(CandidateMessage candidate, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a message that could not be stored (too large, unreadable, foreign), by reference, with the reason, for
    /// an operator to look at; the payload itself is not kept.
    /// </summary>
    Task ParkAsync(MessageReference message, string reason, CancellationToken cancellationToken);
}

/// <summary>
/// The central site's consumer of every edge box's candidates. Several consumers share the load through one MQTT 5
/// shared subscription (<c>$share/GROUP/…</c>: each message goes to one of them); with the embedded broker, which
/// has no shared subscriptions, a plain subscription. A message is acknowledged only after it is stored (or parked
/// when unreadable), so a consumer that dies mid-message gets it again from its persistent session; a store that
/// is away is retried with backoff while the message waits unacknowledged. A payload over the cap
/// (messaging.maxPayloadBytes; the broker should have refused it already, and the consumer tells the broker its
/// largest packet) is parked by reference without being read.
/// </summary>
public sealed partial class CentralConsumer : IAsyncDisposable
{
    private static readonly TimeSpan SessionExpiry = TimeSpan.FromDays(7);

    private readonly BrokerEndpoint _endpoint;
    private readonly string _clientId;
    private readonly string _filter;
    private readonly ICandidateSink _sink;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly TimeSpan _sessionExpiry;
    private readonly int _maxPayloadBytes;
    private CancellationToken _stopping;
    private long _stored;
    private long _duplicates;
    private long _parked;
    private long _lagTicks = -1;

    /// <param name="group">Shared-subscription group, or null for a plain subscription (embedded broker).</param>
    /// <param name="sessionExpiry">
    /// How long the broker keeps this consumer's session while it is away (default 7 days). In a shared group the
    /// broker goes on handing an absent member its share, so a consumer must come back under the same client id;
    /// a throwaway consumer (a benchmark) uses zero.
    /// </param>
    /// <param name="maxPayloadBytes">The largest payload read (messaging.maxPayloadBytes); a larger one is parked by reference.</param>
    public CentralConsumer(BrokerEndpoint endpoint, string clientId, string? group, ICandidateSink sink, ILogger logger, TimeSpan? sessionExpiry = null, int maxPayloadBytes = Domain.Config.MessagingConfig.DefaultMaxPayloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadBytes, 1);
        _maxPayloadBytes = maxPayloadBytes;
        _sessionExpiry = sessionExpiry ?? SessionExpiry;
        _endpoint = endpoint;
        _clientId = clientId;
        _filter = group is null ? Topics.AllCandidates : Topics.Shared(group, Topics.AllCandidates);
        _sink = sink;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public bool Connected => _client.IsConnected;

    public long Stored => Interlocked.Read(ref _stored);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Parked => Interlocked.Read(ref _parked);

    /// <summary>From the box's sending to the store, for the last candidate stored; null before the first.</summary>
    public TimeSpan? LastLag => Interlocked.Read(ref _lagTicks) is >= 0 and var ticks ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>Consumes until cancelled, reconnecting with backoff whenever the broker goes away.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        _stopping = cancellationToken;
        return Subscription.KeepAsync(
            _client,
            _endpoint,
            _clientId,
            _sessionExpiry,
            Broker.MosquittoFiles.MaxPacketSize(_maxPayloadBytes),
            _filter,
            session => LogConnected(_endpoint, _filter, session),
            error => LogBrokerDown(_endpoint, error),
            cancellationToken);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.Payload;
        Envelope<CandidateMessage>? envelope = null;
        string? error = null;
        if (payload.Length > _maxPayloadBytes)
        {
            error = $"the payload is over the cap of {_maxPayloadBytes} bytes (messaging.maxPayloadBytes)";
        }
        else if (MessageCodec.TryDecode(payload.ToArray(), CandidateMessage.Schema, CandidateMessage.Version, out envelope, out error)
            && Topics.SiteOfCandidates(topic) != envelope.Body.SiteId)
        {
            error = $"the message's site does not match its topic {topic}";
        }

        if (error is not null || envelope is null)
        {
            var reason = error ?? "unreadable";
            var reference = MessageReference.Of(topic, payload);
            await RetryAsync(ct => _sink.ParkAsync(reference, reason, ct)).ConfigureAwait(false);
            Interlocked.Increment(ref _parked);
            LogParked(topic, reason);
        }
        else
        {
            var added = false;
            await RetryAsync(async ct => added = await _sink.StoreAsync(envelope.Body, ct).ConfigureAwait(false)).ConfigureAwait(false);
            Interlocked.Increment(ref added ? ref _stored : ref _duplicates);
            if (added)
            {
                Interlocked.Exchange(ref _lagTicks, Math.Max(0, (DateTimeOffset.UtcNow - envelope.SentAt).Ticks));
            }
        }

        await e.AcknowledgeAsync(_stopping).ConfigureAwait(false);
    }

    /// <summary>Runs a store operation until it succeeds: the message stays unacknowledged meanwhile.</summary>
    private async Task RetryAsync(Func<CancellationToken, Task> action)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await action(_stopping).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStoreDown(e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, _stopping).ConfigureAwait(false);
                backoff = Backoff.Next(backoff);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await BrokerEndpoint.CloseAsync(_client).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "consumer: connected to {Broker}, {Filter} (session kept: {Session})")]
    private partial void LogConnected(BrokerEndpoint broker, string filter, bool session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "consumer: broker {Broker} unavailable ({Error}); reconnecting")]
    private partial void LogBrokerDown(BrokerEndpoint broker, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "consumer: parked a message on {Topic}: {Reason}")]
    private partial void LogParked(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "consumer: the store failed ({Error}); the message stays unacknowledged, retrying in {Seconds:0.0} s")]
    private partial void LogStoreDown(string error, double seconds);
}
