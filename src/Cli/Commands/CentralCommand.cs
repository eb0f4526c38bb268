using System.CommandLine;
using System.Globalization;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Broker;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Cli.Commands;

/// <summary>
/// <c>cww central</c>: the central site's consumer. Takes every edge box's candidates from the broker into the
/// central store; run two or more (each with its own <c>--instance</c>) to share the load through the broker's
/// shared subscription.
/// </summary>
internal static class CentralCommand
{
    public static Command Create()
    {
        var config = RunCommands.ConfigOption();
        var instance = new Option<int>("--instance") { Description = "Number of this consumer among the site's consumers (its MQTT client id and persistent session).", DefaultValueFactory = _ => 1 };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (default: run until Ctrl+C)." };
        var command = new Command("central", "Consume every edge box's candidates and health from the broker into the central store (MQTT 5 shared subscription; run several with different --instance); alert when a box falls silent.")
        {
            config, instance, seconds,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetRequiredValue(config).FullName;
            var settings = ConfigLoader.Load(path);
            if (settings.Messaging.Broker == BrokerKind.None)
            {
                await Console.Error.WriteLineAsync($"{path}: messaging.broker is none: there is nothing to consume (set embedded or external)").ConfigureAwait(false);
                return 2;
            }

            using var loggers = Logging.Create();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (result.GetValue(seconds) is > 0 and var s)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(s));
            }

            using var store = Stores.OpenCases(settings.Storage, settings.Paths.Data);
            using var registry = Stores.OpenRegistry(settings.Storage, settings.Paths.Data);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var intake = new CaseIntake(registry, TimeZoneInfo.FindSystemTimeZoneById(settings.Site.TimeZone), settings.Plates);
            var embedded = settings.Messaging.Broker == BrokerKind.Embedded;
            // On the embedded broker, the account the box made for its central consumer (DATA/keys/broker/central.password).
            var endpoint = embedded
                ? BrokerCredentials.ForEmbedded(settings.Paths.Data, settings.Site.Id).Endpoint("127.0.0.1", settings.Messaging.Port, BrokerRole.Central)
                : BrokerEndpoint.From(settings.Messaging, Path.GetDirectoryName(path));
            var clientId = $"{(settings.Messaging.ClientId is { Length: > 0 } id ? id : $"cww-{settings.Site.Id}-central")}-{result.GetValue(instance)}";
            await using var consumer = new CentralConsumer(endpoint, clientId, embedded ? null : settings.Messaging.SharedGroup, new CaseStoreSink(store, intake), loggers.CreateLogger("CrosswalkWatch.Central"), maxPayloadBytes: settings.Messaging.MaxPayloadBytes);

            // What reviews write for the campaign office (tallies, notices) leaves through the store's outbox.
            await using var office = new EdgePublisher(endpoint, clientId + "-office", store, loggers.CreateLogger("CrosswalkWatch.Office"));
            using var metrics = settings.Metrics.Port > 0
                ? CentralMetrics.Start(consumer, clientId, ct => store.PendingCountAsync(ct), settings.Metrics, loggers.CreateLogger("CrosswalkWatch.Metrics"))
                : null;
            var publishing = office.RunAsync(stop.Token);

            // Every box's health: the last state and the history, and an alert when a box falls silent (cww boxes); the
            // cameras' time streaming today it carries becomes the central site's hours streaming (cww stats, the console).
            using var boxStore = BoxStore.Open(settings.Storage, settings.Paths.Data);
            using var hours = StreamingStore.Open(settings.Storage, settings.Paths.Data);
            await using var boxes = new BoxWatch(endpoint, clientId + "-boxes", embedded ? null : settings.Messaging.SharedGroup, boxStore, TimeSpan.FromSeconds(settings.Messaging.SilentSeconds), loggers.CreateLogger("CrosswalkWatch.Boxes"), maxPayloadBytes: settings.Messaging.MaxPayloadBytes, hours: hours);
            var watching = boxes.RunAsync(stop.Token);
            Console.WriteLine($"central consumer {clientId}: {endpoint}, store {store.Location}{(embedded ? "" : $", shared group {settings.Messaging.SharedGroup}")}");
            var run = consumer.RunAsync(stop.Token);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    Console.WriteLine(Counts(consumer));
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped by --seconds or Ctrl+C.
            }

            await run.ConfigureAwait(false);
            await publishing.ConfigureAwait(false);
            await watching.ConfigureAwait(false);
            Console.WriteLine("stopped; " + Counts(consumer));
            return 0;
        });
        return command;
    }

    private static string Counts(CentralConsumer consumer) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(consumer.Connected ? "connected" : "waiting for the broker")}: stored {consumer.Stored}, repeated deliveries {consumer.Duplicates}, parked {consumer.Parked}");
}
