using System.Text;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using MQTTnet;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Review;

/// <summary>
/// A package backs one case only, at the central site's intake: through a real mosquitto and the central consumer, a
/// box (with its site's own credentials) that re-sends an official's earlier genuine package under a new case id
/// finds it parked with the reason, never stored as a second case.
/// </summary>
public sealed class PackageReuseTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Intake_NewCaseIdsPointingAtAStoredCasesPackage_ParkedWithTheReasonAndNeverStored()
    {
        await using var broker = await Mosquitto.StartAsync();
        var endpoint = new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password);
        using var central = new SqliteCaseStore(_temp.File("central.db"));
        await central.MigrateAsync();
        using var stop = new CancellationTokenSource();
        await using var consumer = new CentralConsumer(endpoint, "central-1", "central", new CaseStoreSink(central), NullLogger.Instance);
        var consuming = consumer.RunAsync(stop.Token);
        await Eventually.WaitForAsync(() => Task.FromResult(consumer.Connected), "the consumer to connect");

        var at = Local(2026, 3, 1);
        var genuine = EvidencePackages.Write(_temp.Path, "a", at);
        var copy = Path.Combine(_temp.Path, "copied", "b3");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(genuine))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var original = Case("a", at, folder: genuine);
        await PublishAsync(endpoint, original);
        await Eventually.WaitForAsync(async () => (await central.ListAsync()).Count == 1, "the genuine case to be stored");

        // Ten days later (outside de-duplication): the same folder and signature; the same folder with another
        // signature; a copy of the package in a folder of its own.
        await PublishAsync(endpoint, Case("b1", at.AddDays(10), folder: genuine));
        await PublishAsync(endpoint, Case("b2", at.AddDays(10), folder: genuine) with { ManifestSignature = "made-up" });
        await PublishAsync(endpoint, Case("b3", at.AddDays(10), folder: copy) with { ManifestSignature = "another" });
        await PublishAsync(endpoint, original); // a repeated delivery of the genuine case is no attack
        await Eventually.WaitForAsync(async () => (await central.ParkedAsync()).Count == 3, "three parked messages");
        await stop.CancelAsync();
        await consuming;

        Assert.Equal(["a"], (await central.ListAsync()).Select(c => c.CaseId));
        var reasons = (await central.ParkedAsync()).Select(p => p.Reason).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                $"case b1: its evidence package ({genuine}) already backs case a; a package backs one case only",
                $"case b2: its evidence package ({genuine}) already backs case a; a package backs one case only",
                $"case b3: its evidence package ({copy}) is signed for case a; a package backs one case only",
            ],
            reasons);
        Assert.All(await central.ParkedAsync(), p => Assert.Equal(Topics.Candidates("site-01"), p.Topic));
    }

    public void Dispose() => _temp.Dispose();

    private static async Task PublishAsync(BrokerEndpoint endpoint, CaseRecord record)
    {
        var message = Announcements.Candidate(record);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(endpoint.Options("box-" + Guid.NewGuid().ToString("N")[..8], TimeSpan.Zero));
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(message.Topic).WithPayload(Encoding.UTF8.GetBytes(message.Payload)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
    }
}
