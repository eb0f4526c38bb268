using System.Globalization;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Messaging.Payloads;
using MQTTnet;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Messaging.Edge;

/// <summary>
/// The edge box's reader of the city's signal controller (<see cref="Topics.Signals"/>): each
/// <see cref="SignalMessage"/> on <c>cww/v1/sites/SITE/signals/CAMERA</c> goes to that camera's crossing signal. It
/// signs in with the box's own account (which may read its own site's signals and nothing else), keeps no session
/// (a state that waited while the box was away is stale anyway) and reconnects with backoff. A message that is not a
/// signal message — over <see cref="SignalMessage.MaxBytes"/>, malformed, another schema or state, no time — or is for
/// a camera this box does not judge is refused with a warning (the same reason at most every 10 s) and changes
/// nothing; the feed goes on with the next one.
/// </summary>
public sealed partial class SignalFeed : IAsyncDisposable
{
    private static readonly TimeSpan RepeatLogAfter = TimeSpan.FromSeconds(10);

    private readonly BrokerEndpoint _endpoint;
    private readonly string _clientId;
    private readonly string _site;
    private readonly IReadOnlyDictionary<string, ISignalFeedTarget> _cameras;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly int _maxPacketBytes;
    private readonly Lock _logLock = new();
    private string? _lastRefusal;
    private DateTimeOffset _lastRefusalAt;
    private long _taken;
    private long _refused;

    /// <param name="cameras">The cameras the box judges, by id: where each camera's signal goes.</param>
    /// <param name="maxPacketBytes">The largest packet the broker may send this client (messaging.maxPayloadBytes and its overhead); larger signal payloads are refused here, with a log line.</param>
    public SignalFeed(BrokerEndpoint endpoint, string clientId, string site, IReadOnlyDictionary<string, ISignalFeedTarget> cameras, ILogger logger, int maxPacketBytes = 0)
    {
        _endpoint = endpoint;
        _clientId = clientId;
        _site = site;
        _cameras = cameras;
        _logger = logger;
        _maxPacketBytes = maxPacketBytes;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public bool Connected => _client.IsConnected;

    /// <summary>Messages taken (handed to a camera's signal) since start.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>Messages refused since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Reads the feed until cancelled; never throws for a broker fault (it waits and reconnects).</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var filter = Topics.Signals(_site);
        return Subscription.KeepAsync(
            _client, _endpoint, _clientId, TimeSpan.Zero, _maxPacketBytes, filter, _ => LogConnected(_endpoint, filter), error => LogBrokerDown(_endpoint, error), cancellationToken);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.Payload;
        string? error;
        if (Topics.CameraOfSignal(_site, topic) is not { } camera)
        {
            error = "not a signal topic of this site";
        }
        else if (!_cameras.TryGetValue(camera, out var target))
        {
            error = $"no camera '{camera}' with a scene on this box";
        }
        else if (payload.Length > SignalMessage.MaxBytes)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{payload.Length} bytes, over the {SignalMessage.MaxBytes} a signal message may have");
        }
        else if (SignalMessage.TryDecode(payload.IsSingleSegment ? payload.FirstSpan : System.Buffers.BuffersExtensions.ToArray(payload), out var message, out error))
        {
            target.Observe(message.State, message.At);
            Interlocked.Increment(ref _taken);
            return Task.CompletedTask;
        }

        Interlocked.Increment(ref _refused);
        Refuse(topic, error ?? "unreadable");
        return Task.CompletedTask;
    }

    private void Refuse(string topic, string reason)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_logLock)
        {
            if (reason == _lastRefusal && now - _lastRefusalAt < RepeatLogAfter)
            {
                return;
            }

            _lastRefusal = reason;
            _lastRefusalAt = now;
        }

        LogRefused(topic, reason);
    }

    public async ValueTask DisposeAsync()
    {
        await BrokerEndpoint.CloseAsync(_client).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "signal feed: connected to {Broker}, {Filter}")]
    private partial void LogConnected(BrokerEndpoint broker, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "signal feed: broker {Broker} unavailable ({Error}); reconnecting (the cameras use the signal heads in the picture meanwhile)")]
    private partial void LogBrokerDown(BrokerEndpoint broker, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "signal feed: refused a message on {Topic}: {Reason}")]
    private partial void LogRefused(string topic, string reason);
}
