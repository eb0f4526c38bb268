using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrosswalkWatch.CameraSim;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Broker;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrosswalkWatch.Measure;

/// <summary>
/// <c>cww bench delivery</c>: candidates per second from an edge box's outbox through the broker into the central
/// store, end to end (publish with QoS 1, PUBACK, mark sent; consume, store, acknowledge).
/// </summary>
public static class DeliveryBench
{
    public static Command Create()
    {
        var count = new Option<int>("--candidates") { Description = "Cases written to the edge's outbox, then delivered.", DefaultValueFactory = _ => 2000 };
        var broker = new Option<string?>("--broker") { Description = "HOST:PORT of an external broker (mosquitto); default: the embedded broker on a free port." };
        var username = new Option<string?>("--username") { Description = "User name for the external broker (the one account both publishes as site bench and consumes, so a broker without `cww broker acl`'s rules)." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "File holding its password." };
        var postgres = new Option<string?>("--postgres") { Description = "Central store: a PostgreSQL connection string (Npgsql form); default: a SQLite file." };
        var consumers = new Option<int>("--consumers") { Description = "Central consumers sharing the load (an external broker's shared subscription; 1 with the embedded broker).", DefaultValueFactory = _ => 1 };
        var command = new Command("delivery", "Candidates per second from an edge outbox through the broker into the central store (SQLite or PostgreSQL), end to end.")
        {
            count, broker, username, passwordFile, postgres, consumers,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var total = result.GetValue(count);
            var work = Directory.CreateTempSubdirectory("cww-bench-delivery-").FullName;
            try
            {
                // The embedded broker with its own accounts (in the work folder): the edge signs in as site-bench, the consumers as central.
                var credentials = BrokerCredentials.ForEmbedded(work, "bench");
                await using var embedded = result.GetValue(broker) is null
                    ? await EmbeddedBroker.StartAsync(CameraSimulator.FreePort(), credentials, MessagingConfig.DefaultMaxPayloadBytes).ConfigureAwait(false)
                    : null;
                var endpoint = embedded is not null
                    ? credentials.Endpoint("127.0.0.1", embedded.Port, BrokerRole.Central)
                    : Parse(result.GetValue(broker)!, result.GetValue(username), result.GetValue(passwordFile));
                var edgeEndpoint = embedded is not null ? credentials.Endpoint("127.0.0.1", embedded.Port, BrokerRole.Site("bench")) : endpoint;
                var storage = result.GetValue(postgres) is { } connection
                    ? new StorageConfig { Type = StorageKind.Postgres, ConnectionString = connection }
                    : new StorageConfig { SqlitePath = "central.db" };
                using var edge = Stores.OpenCases(new StorageConfig { SqlitePath = "edge.db" }, work);
                using var central = Stores.OpenCases(storage, work);
                await edge.MigrateAsync(cancellationToken).ConfigureAwait(false);
                await central.MigrateAsync(cancellationToken).ConfigureAwait(false);
                var before = (await central.ListAsync(int.MaxValue, cancellationToken).ConfigureAwait(false)).Count;
                var run = Guid.NewGuid().ToString("N")[..8];

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var group = embedded is null ? "bench" : null;
                var sinks = Enumerable.Range(1, embedded is null ? Math.Max(1, result.GetValue(consumers)) : 1)
                    .Select(i => new CentralConsumer(endpoint, $"bench-central-{run}-{i}", group, new CaseStoreSink(central), NullLogger.Instance, TimeSpan.Zero)).ToList();
                var consuming = sinks.Select(c => c.RunAsync(stop.Token)).ToList();
                while (!sinks.All(c => c.Connected))
                {
                    await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                }

                // The edge's outbox first (as if the broker had been away), then the clock runs from the first publish.
                for (var i = 0; i < total; i++)
                {
                    var record = new CaseRecord(
                        $"bench-{run}-{i:D6}", "bench", "cam1", DateTimeOffset.UtcNow, "T1", "towards the camera", i, CaseStatus.Candidate,
                        $"/evidence/bench-{run}-{i:D6}", "{\"vehicleTrackId\":" + i.ToString(CultureInfo.InvariantCulture) + "}", $"signature-{run}-{i:D6}", DateTimeOffset.UtcNow);
                    await edge.AddAsync(record, Announcements.Candidate(record), cancellationToken).ConfigureAwait(false);
                }

                await using var publisher = new EdgePublisher(edgeEndpoint, $"bench-edge-{run}", edge, NullLogger.Instance);
                var clock = Stopwatch.StartNew();
                var publishing = publisher.RunAsync(stop.Token);
                long stored;
                do
                {
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                    stored = sinks.Sum(c => c.Stored);
                }
                while (stored < total && clock.Elapsed < TimeSpan.FromMinutes(10));

                var seconds = clock.Elapsed.TotalSeconds;
                await stop.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll([publishing, .. consuming]).ConfigureAwait(false);
                foreach (var sink in sinks)
                {
                    await sink.DisposeAsync().ConfigureAwait(false);
                }

                var after = (await central.ListAsync(int.MaxValue, cancellationToken).ConfigureAwait(false)).Count;
                Console.WriteLine($"bench delivery: {total} candidates, broker {endpoint}{(embedded is null ? " (external)" : " (embedded)")}, central store {central.Location}, {sinks.Count} consumer(s)");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"delivered {after - before} of {total} in {seconds:0.00} s = {(after - before) / seconds:0} candidates/s end to end (publish, PUBACK, mark sent; consume, store, acknowledge)"));
                return after - before == total ? 0 : 1;
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        });
        return command;
    }

    private static BrokerEndpoint Parse(string hostPort, string? username, FileInfo? passwordFile)
    {
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"--broker: '{hostPort}' is not HOST:PORT");
        }

        var password = passwordFile is null ? null : File.ReadAllText(passwordFile.FullName).Trim();
        return new BrokerEndpoint(hostPort[..colon], port, username, password);
    }
}
