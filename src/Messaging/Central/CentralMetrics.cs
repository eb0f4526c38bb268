using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Messaging.Metrics;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace CrosswalkWatch.Messaging.Central;

/// <summary>
/// The central consumer's <c>/metrics</c> (<c>cww central</c> with <c>metrics.port</c>): whether it is connected, the
/// candidates it stored, the repeated deliveries it ignored and the messages it parked, how long the last stored one
/// took from the box's sending to the store, and the office messages waiting in its outbox. Each series carries the
/// consumer's client id, so the members of a shared group are told apart.
/// </summary>
public static class CentralMetrics
{
    /// <summary>Starts serving <paramref name="consumer"/>'s metrics; <paramref name="outboxDepth"/> reads its store's outbox at each scrape.</summary>
    /// <exception cref="InvalidOperationException">The port cannot be listened on; the message says which.</exception>
    public static MetricsEndpoint Start(CentralConsumer consumer, string clientId, Func<CancellationToken, Task<int>> outboxDepth, MetricsConfig config, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(outboxDepth);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = Prometheus.Metrics.WithCustomRegistry(registry).WithLabels(new Dictionary<string, string> { ["consumer"] = clientId });
        var connected = metrics.CreateGauge("cww_central_connected", "1 while the consumer is connected to the broker.");
        var stored = metrics.CreateCounter("cww_central_stored_total", "Candidates stored.");
        var duplicates = metrics.CreateCounter("cww_central_duplicates_total", "Repeated deliveries of candidates already stored (ignored).");
        var parked = metrics.CreateCounter("cww_central_parked_total", "Messages parked by reference: unreadable, too large, foreign or of another site.");
        var lag = metrics.CreateGauge("cww_central_lag_seconds", "From the box's sending to the store, for the last candidate stored.");
        var outbox = metrics.CreateGauge("cww_central_outbox_depth", "Office messages (tallies, notices) not yet delivered to the broker.");
        registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            connected.Set(consumer.Connected ? 1 : 0);
            stored.IncTo(consumer.Stored);
            duplicates.IncTo(consumer.Duplicates);
            parked.IncTo(consumer.Parked);
            if (consumer.LastLag is { } last)
            {
                lag.Set(last.TotalSeconds);
            }

            outbox.Set(await outboxDepth(cancellationToken).ConfigureAwait(false));
        });
        return MetricsEndpoint.Start(registry, config, logger);
    }
}
