using System.Text;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Broker;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Messaging.Payloads;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Messaging;

/// <summary>
/// Who may talk on the broker, attacked through the real path: a real mosquitto running on the files of
/// <c>cww broker acl</c> (<see cref="MosquittoFiles"/>), and the embedded broker on the same accounts and rules; a real
/// central consumer storing into a real SQLite store, and an edge box's signal feed. Each attack is made with a
/// genuine account of the system.
/// </summary>
public sealed class BrokerAccessTests(ITestOutputHelper output) : IDisposable
{
    private const int MaxPayload = 64 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly BrokerRole SiteA = BrokerRole.Site("site-a");
    private static readonly BrokerRole SiteB = BrokerRole.Site("site-b");
    private static readonly BrokerRole SignalA = BrokerRole.Signal("site-a");
    private static readonly BrokerRole SignalB = BrokerRole.Signal("site-b");
    private readonly TempFolder _temp = new();

    public static TheoryData<string> Brokers => new() { "mosquitto", "embedded" };

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Publish_SiteAUnderSiteBsTopic_RefusedAndNothingStored(string kind)
    {
        await using var broker = await StartAsync(kind);
        await using var central = await ConsumerAsync(broker);

        // Site A's genuine account publishes a well-formed candidate of site B, on site B's topic.
        var forged = Announcements.Candidate(Case("forged-b", "site-b"));
        await using (var attacker = await ClientAsync(broker, SiteA))
        {
            var refused = await attacker.Client.PublishAsync(Message(forged.Topic, forged.Payload));
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        }

        // (MQTTnet's client drops its connection after mosquitto's PUBACK 135, so what follows comes on a new one; both
        // brokers handle a client's packets in order, so the refused one was dealt with before anything below.)
        await using var siteA = await ClientAsync(broker, SiteA);

        // And on its own topic with site B in the body: the broker lets it through, the consumer parks it.
        var mislabelled = Announcements.Candidate(Case("mislabelled-b", "site-b"));
        Assert.True((await siteA.Client.PublishAsync(Message(Topics.Candidates("site-a"), mislabelled.Payload))).IsSuccess);

        // Site A's own case after both: once it is stored, anything before it would be too.
        var own = Announcements.Candidate(Case("own-a", "site-a"));
        Assert.True((await siteA.Client.PublishAsync(Message(own.Topic, own.Payload))).IsSuccess);
        await WaitForAsync(async () => (await central.Store.ListAsync()).Count == 1 && central.Consumer.Parked == 1, "site A's own case stored and the mislabelled one parked", broker);

        Assert.Equal(["own-a"], (await central.Store.ListAsync()).Select(c => c.CaseId));
        var parked = Assert.Single(await central.Store.ParkedAsync());
        Assert.Contains("does not match its topic", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("sha256 ", parked.Payload, StringComparison.Ordinal); // parked by reference
        Assert.True(parked.Payload.Length < 512, $"parked {parked.Payload.Length} characters");
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Subscribe_OfficeToCandidatesByEveryFilter_ReceivesNothingButItsOwnTopics(string kind)
    {
        await using var broker = await StartAsync(kind);
        await using var central = await ConsumerAsync(broker);
        await using var office = await ClientAsync(broker, BrokerRole.Office);
        string[] attacks = [Topics.AllCandidates, Topics.Candidates("site-a"), "#", "cww/v1/#", "cww/v1/sites/#", "cww/v1/sites/+/+", "+/v1/sites/site-a/candidates"];
        if (kind == "mosquitto")
        {
            attacks = [.. attacks, Topics.Shared("office", Topics.AllCandidates), Topics.Shared("central", Topics.AllCandidates)];
        }

        foreach (var filter in attacks)
        {
            var result = await office.Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
            output.WriteLine($"{kind}: office subscribing to {filter}: {result.Items.Single().ResultCode}");
            if (kind == "embedded")
            {
                Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, result.Items.Single().ResultCode);
            }
        }

        var own = await office.Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("cww/v1/office/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, own.Items.Single().ResultCode);

        // Site A's candidate reaches the central store (so the broker did deliver it to its readers)…
        await using (var siteA = await ClientAsync(broker, SiteA))
        {
            var candidate = Announcements.Candidate(Case("plate-of-a-citizen", "site-a"));
            Assert.True((await siteA.Client.PublishAsync(Message(candidate.Topic, candidate.Payload))).IsSuccess);
        }

        await WaitForAsync(async () => (await central.Store.ListAsync()).Count == 1, "the candidate at the central store", broker);

        // …then the central site says something to the office; once the office has that, it would have had the candidate.
        await using (var centralClient = await ClientAsync(broker, BrokerRole.Central))
        {
            Assert.True((await centralClient.Client.PublishAsync(Message(Topics.OfficeNotices, "{\"schema\":\"cww.notice\"}"))).IsSuccess);
        }

        await WaitForAsync(() => Task.FromResult(office.Received.Any(m => m.Topic == Topics.OfficeNotices)), "the notice at the office", broker);
        Assert.DoesNotContain(office.Received, m => m.Topic.StartsWith("cww/v1/sites/", StringComparison.Ordinal));
        Assert.DoesNotContain(office.Received, m => m.Payload.Contains("plate-of-a-citizen", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Publish_TenMegabytePayload_RefusedAndTheConsumerTakesTheNextGoodMessage(string kind)
    {
        await using var broker = await StartAsync(kind);
        await using var central = await ConsumerAsync(broker);

        var huge = new byte[10 * 1024 * 1024];
        Encoding.UTF8.GetBytes("{\"schema\":\"cww.candidate\",\"version\":1,\"id\":\"huge\",\"body\":\"").CopyTo(huge, 0);
        await using (var siteA = await ClientAsync(broker, SiteA))
        {
            string outcome;
            try
            {
                var result = await siteA.Client.PublishAsync(Message(Topics.Candidates("site-a"), huge));
                outcome = result.ReasonCode.ToString();
                Assert.False(result.IsSuccess, $"the broker accepted a 10 MB payload: {outcome}");
            }
            catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                outcome = $"{e.GetType().Name}: {e.Message}"; // mosquitto closes the connection of a packet over max_packet_size
            }

            output.WriteLine($"{kind}: 10 MB payload: {outcome}");
        }

        await using (var siteA = await ClientAsync(broker, SiteA))
        {
            var good = Announcements.Candidate(Case("after-the-huge-one", "site-a"));
            Assert.True((await siteA.Client.PublishAsync(Message(good.Topic, good.Payload))).IsSuccess);
        }

        await WaitForAsync(async () => (await central.Store.ListAsync()).Count == 1, "the good candidate at the central store", broker);
        Assert.Equal("after-the-huge-one", (await central.Store.ListAsync()).Single().CaseId);
        Assert.Equal(0, central.Consumer.Parked); // the huge one never reached the consumer
        Assert.Empty(await central.Store.ParkedAsync());
        Assert.True(central.Consumer.Connected);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Connect_AnonymousUnknownOrAnotherAccountsPassword_Refused(string kind)
    {
        await using var broker = await StartAsync(kind);
        var password = broker.Credentials.PasswordOf(SiteB);
        BrokerEndpoint[] attempts =
        [
            new("127.0.0.1", broker.Port),
            new("127.0.0.1", broker.Port, "site-a", password),
            new("127.0.0.1", broker.Port, "site-c", password),
            new("127.0.0.1", broker.Port, "site-a", ""),
        ];
        foreach (var endpoint in attempts)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var refused = await Assert.ThrowsAsync<MessagingException>(() => endpoint.ConnectAsync(client, "intruder", TimeSpan.Zero, CancellationToken.None));
            output.WriteLine($"{kind}: {endpoint.Username ?? "anonymous"}: {refused.Message}");
            Assert.Contains("refused intruder", refused.Message, StringComparison.Ordinal);
        }

        await using var genuine = await ClientAsync(broker, SiteB); // the right password for the right name goes in
        Assert.True(genuine.Client.IsConnected);
    }

    [Fact]
    public async Task Consumer_PayloadOverItsCapFromABrokerWithoutOne_ParkedByReferenceNotWhole()
    {
        await using var broker = await Mosquitto.StartAsync(); // no ACL, no cap: one account that may do anything
        var endpoint = new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password);
        using var store = await StoreAsync();
        using var stop = new CancellationTokenSource();
        await using var consumer = new CentralConsumer(endpoint, "central-1", "central", new CaseStoreSink(store), NullLogger.Instance, maxPayloadBytes: 4096);
        var consuming = consumer.RunAsync(stop.Token);
        await WaitForAsync(() => Task.FromResult(consumer.Connected), "the consumer to connect", null);

        // A valid candidate, padded past the consumer's cap but within the packet size it told the broker.
        var good = Announcements.Candidate(Case("padded", "site-a"));
        var padded = good.Payload.Replace("\"body\":{", "\"padding\":\"" + new string('x', 4500) + "\",\"body\":{", StringComparison.Ordinal);
        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            await client.ConnectAsync(endpoint.Options("raw", TimeSpan.Zero));
            Assert.True((await client.PublishAsync(Message(good.Topic, padded))).IsSuccess);
            await client.DisconnectAsync();
        }

        await WaitForAsync(() => Task.FromResult(consumer.Parked == 1), "the padded message parked", null);
        await stop.CancelAsync();
        await consuming;

        Assert.Empty(await store.ListAsync());
        var parked = Assert.Single(await store.ParkedAsync());
        Assert.Contains("over the cap of 4096 bytes", parked.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{Encoding.UTF8.GetByteCount(padded)} bytes, sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(padded)))}, first bytes: {{\"schema\"", parked.Payload, StringComparison.Ordinal);
        Assert.True(parked.Payload.Length < 512, $"parked {parked.Payload.Length} characters");
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Publish_SignalControllerOutsideItsSignalsOrAnotherSiteOnThem_RefusedAndOnlyItsOwnSignalReachesTheBox(string kind)
    {
        await using var broker = await StartAsync(kind);
        await using var central = await ConsumerAsync(broker);

        // Site A's box reads its signals through its own account, as its feed does.
        var camera = new SeenSignals();
        using var stop = new CancellationTokenSource();
        await using var feed = new SignalFeed(
            broker.Credentials.Endpoint("127.0.0.1", broker.Port, SiteA), "site-a-signals", "site-a", new Dictionary<string, ISignalFeedTarget> { ["cam1"] = camera }, NullLogger.Instance, MosquittoFiles.MaxPacketSize(MaxPayload));
        var feeding = feed.RunAsync(stop.Token);
        await WaitForAsync(() => Task.FromResult(feed.Connected), "site A's signal feed to connect", broker);

        // Site A's controller publishes a well-formed candidate of site A, on the candidates topic.
        var forged = Announcements.Candidate(Case("from-the-controller", "site-a"));
        await using (var attacker = await ClientAsync(broker, SignalA))
        {
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await attacker.Client.PublishAsync(Message(forged.Topic, forged.Payload))).ReasonCode);
        }

        // Site B's box and site B's controller, with their genuine accounts, say red on site A's signal.
        var red = SignalMessage.Encode(SignalState.Red, DateTimeOffset.UtcNow);
        foreach (var other in new[] { SiteB, SignalB })
        {
            await using var attacker = await ClientAsync(broker, other);
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await attacker.Client.PublishAsync(Message(Topics.Signal("site-a", "cam1"), red))).ReasonCode);
        }

        // Site A's own controller says green: the box gets that, and only that.
        await using (var controller = await ClientAsync(broker, SignalA))
        {
            Assert.True((await controller.Client.PublishAsync(Message(Topics.Signal("site-a", "cam1"), SignalMessage.Encode(SignalState.Green, DateTimeOffset.UtcNow)))).IsSuccess);
        }

        await WaitForAsync(() => Task.FromResult(!camera.States.IsEmpty), "site A's controller's signal at site A's box", broker);
        Assert.Equal([SignalState.Green], camera.States);
        Assert.Equal((1, 0), (feed.Taken, feed.Refused));

        // A candidate of site A's own box after all that: once it is stored, the controller's would have been too.
        await using (var siteA = await ClientAsync(broker, SiteA))
        {
            var own = Announcements.Candidate(Case("own-a", "site-a"));
            Assert.True((await siteA.Client.PublishAsync(Message(own.Topic, own.Payload))).IsSuccess);
        }

        await WaitForAsync(async () => (await central.Store.ListAsync()).Count == 1, "site A's own case stored", broker);
        Assert.Equal(["own-a"], (await central.Store.ListAsync()).Select(c => c.CaseId));
        Assert.Equal(0, central.Consumer.Parked);
        await stop.CancelAsync();
        await feeding;
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Subscribe_SignalControllerOrAnotherSiteToSiteAsSignals_ReceivesNothing(string kind)
    {
        await using var broker = await StartAsync(kind);
        await using var controllerA = await ClientAsync(broker, SignalA);
        await using var siteB = await ClientAsync(broker, SiteB);
        await using var siteA = await ClientAsync(broker, SiteA);
        foreach (var (reader, name) in new[] { (controllerA, "signal-site-a"), (siteB, "site-site-b") })
        {
            var result = await reader.Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(Topics.Signals("site-a"), MqttQualityOfServiceLevel.AtLeastOnce).Build());
            output.WriteLine($"{kind}: {name} subscribing to {Topics.Signals("site-a")}: {result.Items.Single().ResultCode}");
            if (kind == "embedded")
            {
                Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, result.Items.Single().ResultCode);
            }
        }

        var own = await siteA.Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(Topics.Signals("site-a"), MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, own.Items.Single().ResultCode);

        await using (var publisher = await ClientAsync(broker, SignalA))
        {
            Assert.True((await publisher.Client.PublishAsync(Message(Topics.Signal("site-a", "cam1"), SignalMessage.Encode(SignalState.Red, DateTimeOffset.UtcNow)))).IsSuccess);
        }

        // Once site A's box has it, the others would have had it too.
        await WaitForAsync(() => Task.FromResult(siteA.Received.Count == 1), "the signal at site A's box", broker);
        Assert.Empty(controllerA.Received);
        Assert.Empty(siteB.Received);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>What a camera's signal was told by the feed.</summary>
    private sealed class SeenSignals : ISignalFeedTarget
    {
        public System.Collections.Concurrent.ConcurrentQueue<SignalState> States { get; } = new();

        public void Observe(SignalState state, DateTimeOffset at) => States.Enqueue(state);
    }

    private async Task<TestBroker> StartAsync(string kind)
    {
        var credentials = BrokerCredentials.OpenOrCreate(_temp.File("broker-" + kind), [SiteA, SiteB, BrokerRole.Central, BrokerRole.Office, SignalA, SignalB]);
        if (kind == "mosquitto")
        {
            MosquittoFiles.Write(credentials, MaxPayload); // as `cww broker acl` does
            var mosquitto = await Mosquitto.StartAsync(access: credentials.Folder);
            return new TestBroker(mosquitto.Port, credentials, true, mosquitto, mosquitto.Log);
        }

        var embedded = await EmbeddedBroker.StartAsync(CrosswalkWatch.CameraSim.CameraSimulator.FreePort(), credentials, MaxPayload);
        return new TestBroker(embedded.Port, credentials, false, embedded, () => $"embedded broker: {embedded.Refused} refused");
    }

    private async Task<Central> ConsumerAsync(TestBroker broker)
    {
        var store = await StoreAsync();
        var consumer = new CentralConsumer(
            broker.Credentials.Endpoint("127.0.0.1", broker.Port, BrokerRole.Central), "central-1", broker.Shared ? "central" : null, new CaseStoreSink(store), NullLogger.Instance, maxPayloadBytes: MaxPayload);
        var stop = new CancellationTokenSource();
        var central = new Central(store, consumer, stop, consumer.RunAsync(stop.Token));
        await WaitForAsync(() => Task.FromResult(consumer.Connected), "the central consumer to connect", broker);
        return central;
    }

    private static async Task<TestClient> ClientAsync(TestBroker broker, BrokerRole role)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var received = new List<(string Topic, string Payload)>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            lock (received)
            {
                received.Add((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
            }

            return Task.CompletedTask;
        };
        await broker.Credentials.Endpoint("127.0.0.1", broker.Port, role).ConnectAsync(client, $"{role.UserName}-{Guid.NewGuid():N}"[..24], TimeSpan.Zero, CancellationToken.None);
        return new TestClient(client, received);
    }

    private async Task<SqliteCaseStore> StoreAsync()
    {
        var store = new SqliteCaseStore(_temp.File($"central-{Guid.NewGuid():N}.db"));
        await store.MigrateAsync();
        return store;
    }

    private static MqttApplicationMessage Message(string topic, string payload) => Message(topic, Encoding.UTF8.GetBytes(payload));

    private static MqttApplicationMessage Message(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    private static CaseRecord Case(string id, string site) => new(
        id, site, "cam1", new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero), "T1", "towards the camera", 1,
        CaseStatus.Candidate, $"/evidence/{id}", "{\"vehicleTrackId\":1}", "sig", DateTimeOffset.UtcNow);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, TestBroker? broker)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"timed out after {Patience.TotalSeconds:0} s waiting for {what}{(broker is null ? "" : ": " + broker.Log())}");
            }

            await Task.Delay(50);
        }
    }

    private sealed record TestBroker(int Port, BrokerCredentials Credentials, bool Shared, IAsyncDisposable Owner, Func<string> Log) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owner.DisposeAsync();
    }

    private sealed record TestClient(IMqttClient Client, List<(string Topic, string Payload)> Messages) : IAsyncDisposable
    {
        public IReadOnlyList<(string Topic, string Payload)> Received
        {
            get
            {
                lock (Messages)
                {
                    return [.. Messages];
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Client.IsConnected)
            {
                try
                {
                    await Client.DisconnectAsync();
                }
                catch (MqttCommunicationException)
                {
                    // Already gone.
                }
            }

            Client.Dispose();
        }
    }

    private sealed record Central(SqliteCaseStore Store, CentralConsumer Consumer, CancellationTokenSource Stop, Task Running) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Running;
            await Consumer.DisposeAsync();
            Store.Dispose();
            Stop.Dispose();
        }
    }
}
