using CrosswalkWatch.Domain.Config;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace CrosswalkWatch.Messaging.Metrics;

/// <summary>
/// <c>/metrics</c> for Prometheus where <c>metrics.host</c> and <c>metrics.port</c> say, serving one registry of
/// its own (not prometheus-net's static default, so two services in one process do not mix). The edge box
/// (<c>EdgeMetrics</c>) and the central consumer (<see cref="Central.CentralMetrics"/>) each fill one.
/// </summary>
public sealed partial class MetricsEndpoint : IDisposable
{
    private readonly MetricServer _server;

    private MetricsEndpoint(MetricServer server, Uri address)
    {
        _server = server;
        Address = address;
    }

    /// <summary>The address scraped, e.g. http://127.0.0.1:9464/metrics.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving <paramref name="registry"/>.</summary>
    /// <exception cref="InvalidOperationException">The port cannot be listened on (in use, or not allowed); the message says which.</exception>
    public static MetricsEndpoint Start(CollectorRegistry registry, MetricsConfig config, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(config);
        var server = new MetricServer(config.Host, config.Port, "metrics/", registry);
        try
        {
            server.Start();
        }
        catch (Exception e) when (e is System.Net.HttpListenerException or InvalidOperationException)
        {
            server.Dispose();
            throw new InvalidOperationException($"metrics: cannot listen on {config.Host}:{config.Port} (metrics.host, metrics.port): {e.Message}", e);
        }

        var endpoint = new MetricsEndpoint(server, new Uri($"http://{config.Host}:{config.Port}/metrics"));
        LogServing(logger, endpoint.Address);
        return endpoint;
    }

    public void Dispose() => _server.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "metrics for Prometheus at {Address}")]
    private static partial void LogServing(ILogger logger, Uri address);
}
