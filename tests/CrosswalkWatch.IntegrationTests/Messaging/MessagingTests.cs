using System.Net;
using System.Text;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Broker;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using MQTTnet;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Messaging;

/// <summary>Edge → broker → central, against a real mosquitto and the embedded broker, with the real stores.</summary>
[Collection(PostgresServer.Collection)]
public sealed class MessagingTests(ITestOutputHelper output, PostgresServer postgres) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Delivery_BrokerStoppedAndStartedMidRun_EveryCandidateReachesTheCentralStoreExactlyOnce()
    {
        await using var broker = await Mosquitto.StartAsync();
        var endpoint = new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password);
        using var edge = await StoreAsync("edge.db");
        using var central = await StoreAsync("central.db");
        using var stop = new CancellationTokenSource();
        await using var consumer = new CentralConsumer(endpoint, "central-1", "central", new CaseStoreSink(central), NullLogger.Instance);
        await using var publisher = new EdgePublisher(endpoint, "edge-1", edge, NullLogger.Instance);
        var consuming = consumer.RunAsync(stop.Token);
        var publishing = publisher.RunAsync(stop.Token);

        await AddCasesAsync(edge, publisher, 0, 20);
        await WaitForAsync(async () => (await central.ListAsync(1000)).Count == 20, "the first 20 cases at the central store");

        await broker.StopAsync();
        await AddCasesAsync(edge, publisher, 20, 20);
        await WaitForAsync(() => Task.FromResult(publisher.LastError is not null), "the publisher to notice the broker is gone");
        Assert.Equal(20, await edge.PendingCountAsync()); // kept on the edge's disk while the broker is away
        Assert.Equal(20, (await central.ListAsync(1000)).Count);

        await broker.StartAgainAsync();
        await WaitForAsync(
            async () => (await central.ListAsync(1000)).Count == 40 && await edge.PendingCountAsync() == 0,
            "all 40 cases at the central store",
            async () => $"central {(await central.ListAsync(1000)).Count}, edge pending {await edge.PendingCountAsync()}, publisher {(publisher.Connected ? "connected" : "not connected")} ({publisher.LastError}), consumer {(consumer.Connected ? "connected" : "not connected")}\n{broker.Log()}");
        await stop.CancelAsync();
        await Task.WhenAll(consuming, publishing);

        var ids = (await central.ListAsync(1000)).Select(c => c.CaseId).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(Id).Order(), ids.Order());
        Assert.Equal(40, consumer.Stored); // each stored once; a repeated delivery would count as a duplicate
        output.WriteLine($"repeated deliveries ignored: {consumer.Duplicates}");
    }

    [Fact]
    public async Task Consumer_MalformedForeignOrNewerPayloads_ParksThemAndGoesOn()
    {
        await using var broker = await Mosquitto.StartAsync();
        var endpoint = new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password);
        using var central = await StoreAsync("central.db");
        using var stop = new CancellationTokenSource();
        await using var consumer = new CentralConsumer(endpoint, "central-1", "central", new CaseStoreSink(central), NullLogger.Instance);
        var consuming = consumer.RunAsync(stop.Token);
        await WaitForAsync(() => Task.FromResult(consumer.Connected), "the consumer to connect");

        var good = Announcements.Candidate(Case(1));
        var newer = good.Payload.Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal);
        var foreign = good.Payload.Replace("\"schema\":\"cww.candidate\"", "\"schema\":\"acme.alert\"", StringComparison.Ordinal);
        await RawPublishAsync(endpoint, Topics.Candidates("site-a"), "{not json"u8.ToArray());
        await RawPublishAsync(endpoint, Topics.Candidates("site-a"), [0xFF, 0x00, 0x13]);
        await RawPublishAsync(endpoint, Topics.Candidates("site-a"), Encoding.UTF8.GetBytes(newer));
        await RawPublishAsync(endpoint, Topics.Candidates("site-a"), Encoding.UTF8.GetBytes(foreign));
        await RawPublishAsync(endpoint, Topics.Candidates("site-b"), Encoding.UTF8.GetBytes(good.Payload)); // its site says site-a
        await RawPublishAsync(endpoint, good.Topic, Encoding.UTF8.GetBytes(good.Payload));

        await WaitForAsync(async () => (await central.ListAsync()).Count == 1 && consumer.Parked == 5, "1 stored and 5 parked");
        await stop.CancelAsync();
        await consuming;

        var parked = await central.ParkedAsync();
        Assert.Equal(5, parked.Count);
        Assert.Contains(parked, p => p.Reason.Contains("malformed JSON", StringComparison.Ordinal));
        Assert.Contains(parked, p => p.Reason.Contains("version 2", StringComparison.Ordinal));
        Assert.Contains(parked, p => p.Reason.Contains("schema 'acme.alert'", StringComparison.Ordinal));
        Assert.Contains(parked, p => p.Reason.Contains("does not match its topic", StringComparison.Ordinal));
        Assert.Equal(Id(1), (await central.ListAsync()).Single().CaseId);
        Assert.All(parked, p => Assert.Contains(" bytes, sha256 ", p.Payload, StringComparison.Ordinal)); // by reference, not whole
    }

    [Fact]
    public async Task CentralMetrics_ScrapedByARealPrometheus_CountStoredParkedAndTheLag()
    {
        await using var broker = await Mosquitto.StartAsync();
        var endpoint = new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password);
        using var central = await StoreAsync("central.db");
        using var stop = new CancellationTokenSource();
        await using var consumer = new CentralConsumer(endpoint, "central-1", "central", new CaseStoreSink(central), NullLogger.Instance);
        using var metrics = CentralMetrics.Start(consumer, "central-1", ct => central.PendingCountAsync(ct), new Domain.Config.MetricsConfig { Port = CameraSim.CameraSimulator.FreePort() }, NullLogger.Instance);
        await using var prometheus = await PrometheusServer.StartAsync(metrics.Address);
        var consuming = consumer.RunAsync(stop.Token);
        await WaitForAsync(() => Task.FromResult(consumer.Connected), "the consumer to connect");

        var good = Announcements.Candidate(Case(1));
        await RawPublishAsync(endpoint, good.Topic, Encoding.UTF8.GetBytes(good.Payload));
        await RawPublishAsync(endpoint, good.Topic, Encoding.UTF8.GetBytes(good.Payload)); // delivered again: ignored
        await RawPublishAsync(endpoint, Topics.Candidates("site-a"), "{not json"u8.ToArray());
        await WaitForAsync(() => Task.FromResult(consumer.Stored == 1 && consumer.Duplicates == 1 && consumer.Parked == 1), "1 stored, 1 repeated, 1 parked");

        await WaitForAsync(async () => await prometheus.QueryAsync("cww_central_stored_total{consumer=\"central-1\"}") == 1, "Prometheus to count the stored candidate");
        Assert.Equal(1, await prometheus.QueryAsync("cww_central_duplicates_total{consumer=\"central-1\"}"));
        Assert.Equal(1, await prometheus.QueryAsync("cww_central_parked_total{consumer=\"central-1\"}"));
        Assert.Equal(1, await prometheus.QueryAsync("cww_central_connected{consumer=\"central-1\"}"));
        Assert.InRange((await prometheus.QueryAsync("cww_central_lag_seconds{consumer=\"central-1\"}")).GetValueOrDefault(-1), 0, Patience.TotalSeconds);
        Assert.NotNull(await prometheus.QueryAsync("cww_central_outbox_depth{consumer=\"central-1\"}"));

        // Every query of the central Grafana dashboard in the repository runs and finds its series.
        await prometheus.RunDashboardAsync(Path.Combine(TestAssets.RepositoryRoot, "samples", "grafana", "central.json"), atLeast: 6);

        await stop.CancelAsync();
        await consuming;
    }

    [Fact]
    public async Task EmbeddedBroker_ItsOwnAccounts_RefusesAWrongPasswordAndCarriesCandidates()
    {
        var port = CrosswalkWatch.CameraSim.CameraSimulator.FreePort();
        var credentials = BrokerCredentials.ForEmbedded(_temp.Path, "site-a");
        await using var broker = await EmbeddedBroker.StartAsync(port, credentials, CrosswalkWatch.Domain.Config.MessagingConfig.DefaultMaxPayloadBytes);
        using (var wrong = new MqttClientFactory().CreateMqttClient())
        {
            var refused = await Assert.ThrowsAsync<MessagingException>(() => new BrokerEndpoint("127.0.0.1", port, "site-a", "nope").ConnectAsync(wrong, "x", TimeSpan.Zero, CancellationToken.None));
            Assert.Contains("BadUserNameOrPassword", refused.Message, StringComparison.Ordinal);
        }

        using var edge = await StoreAsync("edge.db");
        using var central = await StoreAsync("central.db");
        using var stop = new CancellationTokenSource();
        await using var consumer = new CentralConsumer(credentials.Endpoint("127.0.0.1", port, BrokerRole.Central), "central-1", group: null, new CaseStoreSink(central), NullLogger.Instance);
        await using var publisher = new EdgePublisher(credentials.Endpoint("127.0.0.1", port, BrokerRole.Site("site-a")), "edge-1", edge, NullLogger.Instance);
        var consuming = consumer.RunAsync(stop.Token);
        await WaitForAsync(() => Task.FromResult(consumer.Connected), "the consumer to connect");
        var publishing = publisher.RunAsync(stop.Token);

        await AddCasesAsync(edge, publisher, 0, 5);
        await WaitForAsync(async () => (await central.ListAsync()).Count == 5, "5 cases at the central store");
        await stop.CancelAsync();
        await Task.WhenAll(consuming, publishing);
        Assert.Equal(0, await edge.PendingCountAsync());
    }

    [Fact]
    public async Task CentralConsumers_OneOfTwoKilledMidStream_NothingLostNothingDoubledInPostgres()
    {
        await using var broker = await Mosquitto.StartAsync();
        var connection = postgres.CreateDatabase();
        var config = _temp.File("central.yaml");
        await File.WriteAllTextAsync(config, $"""
            site:
              id: central
            paths:
              data: {_temp.Path}
            storage:
              type: postgres
              connectionString: "{connection}"

            """ + await broker.MessagingYamlAsync(_temp.Path, sharedGroup: "central"));
        using var first = CwwProcess.Start("central", "--config", config, "--instance", "1");
        using var second = CwwProcess.Start("central", "--config", config, "--instance", "2");
        await first.WaitForOutputAsync("connected to", TimeSpan.FromSeconds(60));
        await second.WaitForOutputAsync("connected to", TimeSpan.FromSeconds(60));

        const int Total = 300;
        var endpoint = new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password);
        using var edge = await StoreAsync("edge.db");
        using var central = Stores.OpenCases(new CrosswalkWatch.Domain.Config.StorageConfig { Type = CrosswalkWatch.Domain.Config.StorageKind.Postgres, ConnectionString = connection }, _temp.Path);
        using var stop = new CancellationTokenSource();
        await using var publisher = new EdgePublisher(endpoint, "edge-1", edge, NullLogger.Instance);
        var publishing = publisher.RunAsync(stop.Token);
        var adding = AddCasesAsync(edge, publisher, 0, Total, TimeSpan.FromMilliseconds(40)); // about 12 s of stream

        // Mid-stream, the first consumer dies without a word (SIGKILL); a supervisor starts it again a little later
        // with the same identity, and its persistent session hands it what it had not acknowledged.
        await WaitForAsync(async () => (await central.ListAsync(Total)).Count >= Total / 5, "a fifth of the cases at the central store");
        first.Kill();
        var atKill = (await central.ListAsync(Total)).Count;
        await WaitForAsync(async () => (await central.ListAsync(Total)).Count > atKill + 20, "the second consumer to go on alone", async () => second.Output);
        using var restarted = CwwProcess.Start("central", "--config", config, "--instance", "1");
        await adding;
        await WaitForAsync(
            async () => (await central.ListAsync(Total)).Count == Total && await edge.PendingCountAsync() == 0,
            $"all {Total} cases at the central store",
            async () => $"central {(await central.ListAsync(Total)).Count}, edge pending {await edge.PendingCountAsync()}\nsecond:\n{second.Output}\nrestarted:\n{restarted.Output}");
        await stop.CancelAsync();
        await publishing;
        Assert.Equal(0, await second.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await restarted.StopAsync(TimeSpan.FromSeconds(30)));

        var ids = (await central.ListAsync(2 * Total)).Select(c => c.CaseId).ToList();
        Assert.Equal(Enumerable.Range(0, Total).Select(Id).Order(), ids.Order());
        var secondStored = StoredCount(second.Output);
        output.WriteLine($"killed at {atKill} stored; the second consumer stored {secondStored}; restarted:\n{restarted.Output}");
        Assert.InRange(secondStored, 1, Total - 1); // the load was shared
    }

    [Fact]
    public async Task Tls_BrokerCertificateOfAPrivateCaGivenInCaFile_EdgeDeliversToCwwCentralOverTls()
    {
        using var pki = new TestPki(_temp.File("pki"));
        await using var broker = await Mosquitto.StartAsync(pki.Server("broker", IPAddress.Loopback));

        // As deployed: one config file, its password and CA files beside it given by relative paths.
        var folder = _temp.File("site");
        Directory.CreateDirectory(Path.Combine(folder, "tls"));
        File.Copy(pki.CaFile, Path.Combine(folder, "tls", "broker-ca.pem"));
        var config = Path.Combine(folder, "cww.yaml");
        await File.WriteAllTextAsync(config, "site:\n  id: central\npaths:\n  data: .\n" + await broker.MessagingYamlAsync(folder) + "  tls: true\n  caFile: tls/broker-ca.pem\n");
        var settings = ConfigLoader.Load(config);
        Assert.Equal(Path.Combine(folder, "tls", "broker-ca.pem"), settings.Messaging.CaFile);
        var endpoint = BrokerEndpoint.From(settings.Messaging, folder);
        Assert.Equal($"mqtts://127.0.0.1:{broker.Port}", endpoint.ToString());

        using var central = CwwProcess.Start("central", "--config", config, "--instance", "1");
        await central.WaitForOutputAsync("connected to", TimeSpan.FromSeconds(60));
        using var edge = await StoreAsync("edge.db");
        using var stop = new CancellationTokenSource();
        await using var publisher = new EdgePublisher(endpoint, "edge-1", edge, NullLogger.Instance);
        var publishing = publisher.RunAsync(stop.Token);
        using var stored = new SqliteCaseStore(Path.Combine(folder, "cww.db"));
        await AddCasesAsync(edge, publisher, 0, 5);
        await WaitForAsync(
            async () => (await stored.ListAsync()).Count == 5,
            "the 5 cases in the central store, over TLS",
            async () => $"edge pending {await edge.PendingCountAsync()}, publisher: {publisher.LastError}\ncentral:\n{central.Output}\n{broker.Log()}");
        await stop.CancelAsync();
        await publishing;
        Assert.Equal(0, await central.StopAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("stopped; ", central.Output, StringComparison.Ordinal);
        Assert.Contains($"mqtts://127.0.0.1:{broker.Port}", central.Output, StringComparison.Ordinal);
        Assert.Equal(5, StoredCount(central.Output));
        Assert.Equal(Enumerable.Range(0, 5).Select(Id).Order(), (await stored.ListAsync()).Select(c => c.CaseId).Order());
        Assert.Equal(0, await edge.PendingCountAsync());
    }

    [Fact]
    public async Task Tls_WrongCaNoCaOrAnotherHostName_RefusedSayingTheCertificateIsNotTrustedAndWhere()
    {
        using var pki = new TestPki(_temp.File("pki"));
        using var stranger = new TestPki(_temp.File("stranger"), "Some other CA");
        await using var broker = await Mosquitto.StartAsync(pki.Server("broker", IPAddress.Loopback));
        var tls = new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password, Tls: true);
        using var edge = await StoreAsync("edge.db");
        Assert.True(await edge.AddAsync(Case(1), Announcements.Candidate(Case(1))));

        var wrongCa = await RefusalAsync(tls.WithCaFile(stranger.CaFile), edge);
        Assert.StartsWith($"mqtts://127.0.0.1:{broker.Port}: the broker's certificate is not trusted", wrongCa, StringComparison.Ordinal);
        Assert.Contains($"CN=cww test broker (issued by CN=CrosswalkWatch test CA) does not chain to the CA in messaging.caFile {stranger.CaFile}", wrongCa, StringComparison.Ordinal);

        var systemStore = await RefusalAsync(tls, edge);
        Assert.StartsWith($"mqtts://127.0.0.1:{broker.Port}: the broker's certificate is not trusted", systemStore, StringComparison.Ordinal);
        Assert.Contains("does not chain to a CA this machine trusts", systemStore, StringComparison.Ordinal);

        // The right CA, but the certificate names 127.0.0.1 and the client asked for localhost.
        var otherName = await RefusalAsync(tls.WithCaFile(pki.CaFile) with { Host = "localhost" }, edge);
        Assert.StartsWith($"mqtts://localhost:{broker.Port}: the broker's certificate is not trusted", otherName, StringComparison.Ordinal);
        Assert.Contains("is not issued for localhost", otherName, StringComparison.Ordinal);

        Assert.Equal(1, await edge.PendingCountAsync()); // nothing went out: the case waits in the outbox
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>The error of an edge publisher's first attempt to connect with <paramref name="endpoint"/>.</summary>
    private static async Task<string> RefusalAsync(BrokerEndpoint endpoint, SqliteCaseStore edge)
    {
        using var stop = new CancellationTokenSource();
        await using var publisher = new EdgePublisher(endpoint, "edge-tls", edge, NullLogger.Instance);
        var publishing = publisher.RunAsync(stop.Token);
        await WaitForAsync(() => Task.FromResult(publisher.LastError is not null), $"{endpoint}: the first connection attempt");
        await stop.CancelAsync();
        await publishing;
        Assert.False(publisher.Connected);
        return publisher.LastError!;
    }

    private static int StoredCount(string output) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"stopped; .*stored (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static string Id(int i) => $"site-a-cam1-{i:D4}";

    private static CaseRecord Case(int i) => new(
        Id(i), "site-a", "cam1", new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero).AddSeconds(i), "T1", "towards the camera", i,
        CaseStatus.Candidate, $"/evidence/{Id(i)}", "{\"vehicleTrackId\":" + i + "}", $"sig-{Id(i)}", DateTimeOffset.UtcNow);

    private async Task<SqliteCaseStore> StoreAsync(string name)
    {
        var store = new SqliteCaseStore(_temp.File(name));
        await store.MigrateAsync();
        return store;
    }

    /// <param name="pace">Time between two cases (a stream), or zero for all at once.</param>
    private static async Task AddCasesAsync(SqliteCaseStore edge, EdgePublisher publisher, int from, int count, TimeSpan pace = default)
    {
        for (var i = from; i < from + count; i++)
        {
            var record = Case(i);
            Assert.True(await edge.AddAsync(record, Announcements.Candidate(record)));
            publisher.Nudge();
            if (pace > TimeSpan.Zero)
            {
                await Task.Delay(pace);
            }
        }
    }

    private static async Task RawPublishAsync(BrokerEndpoint endpoint, string topic, byte[] payload)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(endpoint.Options("raw-" + Guid.NewGuid().ToString("N")[..8], TimeSpan.Zero));
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, Func<Task<string>>? state = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"timed out after {Patience.TotalSeconds:0} s waiting for {what}{(state is null ? "" : ": " + await state())}");
            }

            await Task.Delay(100);
        }
    }
}
