using System.Text;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Edge;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Broker;
using CrosswalkWatch.Messaging.Payloads;
using MQTTnet;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.IntegrationTests.Edge;

/// <summary>
/// The city's signal controller feed into a running edge box, through a real mosquitto on the files of
/// <c>cww broker acl</c>: the controller's account publishes the camera's signal, the box's own account reads it, and
/// the signal the box gives its rule with each frame changes; a malformed or oversized payload is refused with a
/// log line and the feed goes on.
/// </summary>
public sealed class EdgeBoxSignalFeedTests(DetectionModels models) : IClassFixture<DetectionModels>
{
    private const string SiteId = "test-site";

    [Fact]
    public async Task EdgeBox_ControllerMessagesOverMosquitto_ChangeTheSignalTheRuleIsGiven_BadPayloadsRefusedAndLogged()
    {
        using var data = new TempFolder();
        var site = BrokerRole.Site(SiteId);
        var controller = BrokerRole.Signal(SiteId);
        var credentials = BrokerCredentials.OpenOrCreate(data.File("broker"), [site, BrokerRole.Central, controller]);
        MosquittoFiles.Write(credentials, 64 * 1024);
        await using var broker = await Mosquitto.StartAsync(access: credentials.Folder);

        // A head marked on the building across the junction, where the footage shows no lamp: the picture reads off.
        var scene = data.File("cam1.yaml");
        await File.WriteAllTextAsync(scene, await File.ReadAllTextAsync(Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml")) +
            "signals:\n  - name: far kerb head\n    box: [[0.60, 0.10], [0.62, 0.16]]\n");
        var config = new CwwConfig
        {
            Site = new SiteConfig { Id = SiteId, Name = "test" },
            Paths = new PathsConfig { Data = data.Path, Models = models.ModelsDirectory },
            Messaging = new MessagingConfig { Broker = BrokerKind.External, Port = broker.Port, Username = site.UserName, PasswordFile = credentials.PasswordFileOf(site) },
            Cameras =
            [
                new CameraConfig
                {
                    Id = "cam1",
                    Url = TestAssets.CrosswalkFootage,
                    Scene = scene,
                    Ingest = new IngestSettings { Record = false, Loop = true },
                    Rule = new YieldRuleSettings { SignalFeedSeconds = 60 }, // fresh for the whole test, however slow the machine
                },
            ],
        };
        var logs = new LogLines();
        using var loggers = logs.Factory(LogLevel.Information);

        await using var box = await EdgeBox.StartAsync(config, loggers, onCandidate: null, onStored: null, CancellationToken.None);
        var pipeline = Assert.Single(box.Pipelines);
        var feed = box.Signals;
        Assert.NotNull(feed);
        await Eventually.WaitForAsync(() => Task.FromResult(pipeline.LastSignal == SignalReading.Of(SignalState.Off, SignalSource.Image)), $"the picture's head read as off ({pipeline.LastSignal})");
        await Eventually.WaitForAsync(() => Task.FromResult(feed.Connected), $"the box's signal feed to connect: {logs}\n{broker.Log()}");

        using var client = new MqttClientFactory().CreateMqttClient();
        await credentials.Endpoint("127.0.0.1", broker.Port, controller).ConnectAsync(client, "controller", TimeSpan.Zero, CancellationToken.None);
        var topic = Topics.Signal(SiteId, "cam1");

        Assert.True((await client.PublishAsync(Message(topic, SignalMessage.Encode(SignalState.Red, DateTimeOffset.UtcNow)))).IsSuccess);
        await Eventually.WaitForAsync(
            () => Task.FromResult(pipeline.LastSignal == SignalReading.Of(SignalState.Red, SignalSource.Feed)),
            $"the controller's red to be the signal the rule is given ({pipeline.LastSignal}): {logs}");

        // Not JSON, a payload over the signal message's cap (but under the broker's), a state the feed does not know.
        byte[][] bad =
        [
            Encoding.UTF8.GetBytes("green, honestly"),
            Encoding.UTF8.GetBytes("{\"schema\":\"cww.signal\",\"state\":\"green\",\"at\":\"" + DateTimeOffset.UtcNow.ToString("O") + "\",\"pad\":\"" + new string('x', 8000) + "\"}"),
            Encoding.UTF8.GetBytes("{\"schema\":\"cww.signal\",\"state\":\"flashing\",\"at\":\"" + DateTimeOffset.UtcNow.ToString("O") + "\"}"),
        ];
        foreach (var payload in bad)
        {
            Assert.True((await client.PublishAsync(Message(topic, payload))).IsSuccess);
        }

        await Eventually.WaitForAsync(() => Task.FromResult(feed.Refused == 3), $"the three bad payloads refused ({feed.Refused}): {logs}");
        var refusals = logs.Lines.Where(l => l.Level == LogLevel.Warning && l.Message.StartsWith($"signal feed: refused a message on {topic}", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        Assert.Contains(refusals, m => m.Contains("malformed JSON", StringComparison.Ordinal));
        Assert.Contains(refusals, m => m.Contains("over the 1024 a signal message may have", StringComparison.Ordinal));
        Assert.Contains(refusals, m => m.Contains("state \"flashing\"", StringComparison.Ordinal));
        Assert.Equal(SignalReading.Of(SignalState.Red, SignalSource.Feed), pipeline.LastSignal); // nothing half-read

        // The feed and the box go on: the next good message is taken.
        Assert.True((await client.PublishAsync(Message(topic, SignalMessage.Encode(SignalState.Green, DateTimeOffset.UtcNow)))).IsSuccess);
        await Eventually.WaitForAsync(
            () => Task.FromResult(pipeline.LastSignal == SignalReading.Of(SignalState.Green, SignalSource.Feed)),
            $"the controller's green after the bad payloads ({pipeline.LastSignal}): {logs}");
        Assert.Equal(2, feed.Taken);
        Assert.True(feed.Connected);

        // Operators see it in the camera's health (the health file, the console's camera page, the retained topic).
        await Eventually.WaitForAsync(
            () => Task.FromResult(Assert.Single(box.Health()).Signal == "green, from the signal controller"),
            $"the camera's health to say the controller's green ({Assert.Single(box.Health()).Signal})");

        // …and the detector's pace under the motion gate, on by default.
        Assert.Matches(@"^(idle|full rate), \d+ frames gated$", Assert.Single(box.Health()).Detection);
        await client.DisconnectAsync();
    }

    private static MqttApplicationMessage Message(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
}
