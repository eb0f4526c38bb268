using System.Buffers;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Messaging.Payloads;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrosswalkWatch.Messaging.Central;

/// <summary>
/// The central site's eyes on every box: keeps each box's and camera's last health message and the history of their
/// states (<see cref="IBoxHealthStore"/>), and notices a box that has sent nothing for <c>messaging.silentSeconds</c>:
/// one alert on <see cref="Topics.BoxAlerts"/> per silence (the store decides which consumer sends it), and one when
/// it is heard again. Runs beside the candidate consumer in <c>cww central</c>, sharing the load the same way. The
/// time streaming today a camera's health carries (<see cref="StreamedOf"/>) goes into the hours streaming
/// (<see cref="IStreamedHoursStore"/>) as "at least" that much, so the central site's statistics show the boxes' hours.
/// </summary>
public sealed partial class BoxWatch : IAsyncDisposable
{
    private readonly BrokerEndpoint _endpoint;
    private readonly string _clientId;
    private readonly string _filter;
    private readonly IBoxHealthStore _store;
    private readonly TimeSpan _silentAfter;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly IMqttClient _client;
    private readonly int _maxPayloadBytes;
    private readonly IStreamedHoursStore? _hours;

    /// <param name="group">Shared-subscription group, or null for a plain subscription (embedded broker).</param>
    /// <param name="hours">Where the cameras' reported time streaming is kept; null to leave it.</param>
    public BoxWatch(BrokerEndpoint endpoint, string clientId, string? group, IBoxHealthStore store, TimeSpan silentAfter, ILogger logger, TimeProvider? clock = null, int maxPayloadBytes = Domain.Config.MessagingConfig.DefaultMaxPayloadBytes, IStreamedHoursStore? hours = null)
    {
        _endpoint = endpoint;
        _clientId = clientId;
        _filter = group is null ? Topics.AllHealth : Topics.Shared(group, Topics.AllHealth);
        _store = store;
        _silentAfter = silentAfter;
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
        _maxPayloadBytes = maxPayloadBytes;
        _hours = hours;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Keeps the subscription and looks for silent boxes until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var subscription = Subscription.KeepAsync(
            _client,
            _endpoint,
            _clientId,
            TimeSpan.Zero, // health is only ever the latest: nothing to keep while away
            Broker.MosquittoFiles.MaxPacketSize(_maxPayloadBytes),
            _filter,
            _ => LogConnected(_endpoint, _filter),
            error => LogBrokerDown(_endpoint, error),
            cancellationToken);
        var every = TimeSpan.FromSeconds(Math.Clamp(_silentAfter.TotalSeconds / 4, 1, 15));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCheckFailed(e.Message);
            }

            await Task.Delay(every, _clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await subscription.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// One look: a box silent beyond the setting gets its alert (once: the store records the silence once, and only
    /// the consumer that recorded it sends it); a box heard again after a silence gets its "back".
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var lastHeard = (await _store.LatestAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(r => r.SiteId)
            .ToDictionary(g => g.Key, g => g.Max(r => r.ReceivedAt), StringComparer.Ordinal);
        var episodes = (await _store.EventsAsync(now - TimeSpan.FromDays(7), cancellationToken: cancellationToken).ConfigureAwait(false))
            .Where(e => e.Kind is BoxEvent.Silent or BoxEvent.Back)
            .ToList();
        foreach (var (site, heard) in lastHeard)
        {
            if (now - heard > _silentAfter)
            {
                if (await _store.RecordEpisodeAsync(site, BoxEvent.Silent, heard, now, cancellationToken).ConfigureAwait(false))
                {
                    LogSilent(site, heard, (now - heard).TotalSeconds);
                    await AlertAsync(new BoxAlertMessage(site, BoxEvent.Silent, heard, now), cancellationToken).ConfigureAwait(false);
                }
            }
            else if (episodes.Where(e => e.SiteId == site && e.Kind == BoxEvent.Silent).MaxBy(e => e.Since) is { } silence
                     && silence.Since < heard
                     && !episodes.Any(e => e.SiteId == site && e.Kind == BoxEvent.Back && e.Since == silence.Since)
                     && await _store.RecordEpisodeAsync(site, BoxEvent.Back, silence.Since, now, cancellationToken).ConfigureAwait(false))
            {
                LogBack(site, (heard - silence.Since).TotalSeconds);
                await AlertAsync(new BoxAlertMessage(site, BoxEvent.Back, silence.Since, now), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync() => await BrokerEndpoint.CloseAsync(_client).ConfigureAwait(false);

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.Payload.ToArray();
        if (Topics.OfHealth(topic) is not var (site, camera) || payload.Length > _maxPayloadBytes)
        {
            LogIgnored(topic, "not a health topic, or over the payload cap");
            return;
        }

        var state = StateOf(payload, site, camera, out var error);
        if (state is null)
        {
            LogIgnored(topic, error);
            return;
        }

        var now = _clock.GetUtcNow();
        try
        {
            await _store.RecordAsync(new BoxHealthRow(site, camera, state, now, System.Text.Encoding.UTF8.GetString(payload))).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(ex.Message); // the next one, 5 s later, says the same: health is only ever the latest
        }

        if (_hours is null || camera.Length == 0)
        {
            return;
        }

        var streamed = StreamedOf(payload, camera, now, out error);
        if (error.Length > 0)
        {
            LogHoursRefused(topic, error);
            return;
        }

        try
        {
            if (streamed is not null)
            {
                await _hours.AtLeastAsync(site, streamed).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(ex.Message); // the next report, 5 s later, carries at least as much
        }
    }

    /// <summary>The longest a day of a site's zone can be: 25 h, the day its clocks go back an hour.</summary>
    public static readonly TimeSpan LongestDay = TimeSpan.FromHours(25);

    /// <summary>The most a zone is ahead of UTC (UTC+14): no site's day starts earlier than its date at 00:00 UTC less this.</summary>
    private static readonly TimeSpan MostAhead = TimeSpan.FromHours(14);

    /// <summary>
    /// The time streaming a camera's health message reports for its day (<c>streamedDay</c>, <c>streamedMs</c>), null
    /// when it has none (older boxes, nothing recorded yet). Null with the reason when the report is not sane: a day
    /// not written yyyy-MM-dd, a time below zero, longer than <see cref="LongestDay"/>, or longer than that day can
    /// have lasted anywhere by <paramref name="now"/> (the central site does not know the box's zone: measured from
    /// the day's start in the zone furthest ahead, so a day not yet begun anywhere is refused too).
    /// </summary>
    public static StreamedDay? StreamedOf(byte[] payload, string camera, DateTimeOffset now, out string error)
    {
        error = "";
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(payload);
            if (!json.RootElement.TryGetProperty("body", out var body) || body.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                error = "no body in it";
                return null;
            }

            var hasDay = body.TryGetProperty("streamedDay", out var dayValue);
            var hasMs = body.TryGetProperty("streamedMs", out var msValue);
            if (!hasDay && !hasMs)
            {
                return null;
            }

            if (!hasDay || !hasMs)
            {
                error = "streamedDay and streamedMs come together";
                return null;
            }

            if (dayValue.ValueKind != System.Text.Json.JsonValueKind.String
                || !DateOnly.TryParseExact(dayValue.GetString(), HealthMessage.DayFormat, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            {
                error = $"streamedDay {dayValue.GetRawText()} is not a day written {HealthMessage.DayFormat}";
                return null;
            }

            if (msValue.ValueKind != System.Text.Json.JsonValueKind.Number || !msValue.TryGetInt64(out var ms) || ms < 0)
            {
                error = $"streamedMs {msValue.GetRawText()} is not a whole number of milliseconds, zero or more";
                return null;
            }

            var streamed = TimeSpan.FromMilliseconds(ms);
            var begun = now - (new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - MostAhead);
            if (streamed > LongestDay || streamed > begun)
            {
                error = begun < TimeSpan.Zero
                    ? $"streamedDay {dayValue.GetString()} has not begun anywhere yet"
                    : $"streamedMs {ms} is longer than {dayValue.GetString()} can have lasted by now";
                return null;
            }

            return new StreamedDay(camera, day, streamed);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            error = "unreadable: " + e.Message;
            return null;
        }
    }

    /// <summary>
    /// The state a health message reports (a camera's state, or the box's evidence disk state), read from the envelope
    /// as it is (the boxes leave out empty fields); null with the reason when it is not a health message of that topic.
    /// </summary>
    public static string? StateOf(byte[] payload, string site, string camera, out string error)
    {
        error = "";
        var (schema, path) = camera.Length == 0 ? (BoxHealthMessage.Schema, new[] { "evidence", "state" }) : (HealthMessage.Schema, new[] { "state" });
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(payload);
            var root = json.RootElement;
            if (!root.TryGetProperty("schema", out var s) || s.GetString() != schema || !root.TryGetProperty("body", out var body))
            {
                error = $"not a {schema} message";
                return null;
            }

            if (!body.TryGetProperty("siteId", out var siteId) || siteId.GetString() != site
                || (camera.Length > 0 && (!body.TryGetProperty("cameraId", out var cameraId) || cameraId.GetString() != camera)))
            {
                error = "its site or camera does not match its topic";
                return null;
            }

            var value = body;
            foreach (var name in path)
            {
                if (value.ValueKind != System.Text.Json.JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    error = $"no {string.Join('.', path)} in it";
                    return null;
                }
            }

            return value.GetString();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            error = "unreadable: " + e.Message;
            return null;
        }
    }

    private async Task AlertAsync(BoxAlertMessage alert, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return; // recorded in the history and the log; the broker is away
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.BoxAlerts)
            .WithPayload(MessageCodec.Encode(BoxAlertMessage.Schema, BoxAlertMessage.Version, $"{alert.SiteId}/{alert.Kind}/{alert.LastHeard.ToUnixTimeMilliseconds()}", alert))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "boxes: connected to {Broker}, {Filter}")]
    private partial void LogConnected(BrokerEndpoint broker, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "boxes: broker {Broker} unreachable: {Error}; retrying")]
    private partial void LogBrokerDown(BrokerEndpoint broker, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "boxes: {Site} is SILENT: nothing heard since {LastHeard:O} ({Seconds:0} s)")]
    private partial void LogSilent(string site, DateTimeOffset lastHeard, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "boxes: {Site} is heard again after {Seconds:0} s of silence")]
    private partial void LogBack(string site, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "boxes: ignored a message on {Topic}: {Reason}")]
    private partial void LogIgnored(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "boxes: refused the hours streaming reported on {Topic}: {Reason}")]
    private partial void LogHoursRefused(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "boxes: the store could not be read or written: {Message}; trying again")]
    private partial void LogCheckFailed(string message);
}
