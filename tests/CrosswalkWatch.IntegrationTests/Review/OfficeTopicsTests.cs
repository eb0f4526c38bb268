using System.Collections.Concurrent;
using System.Text;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Payloads;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrosswalkWatch.IntegrationTests.Review;

/// <summary>Decisions made with `cww review` reach the campaign office through `cww central` and a real mosquitto.</summary>
public sealed class OfficeTopicsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Review_ThreeConfirmationsAReplayAndAnUnmatchedCase_TheOfficeGetsThreeTalliesAndOneNoticeOfOfficialsOnly()
    {
        await using var broker = await Mosquitto.StartAsync();
        using var temp = new TempFolder();
        var data = temp.File("data");
        await ReviewCliTests.SeedAsync(data);
        var config = temp.File("central.yaml");
        await File.WriteAllTextAsync(config, $"""
            site:
              id: central
            paths:
              data: {data}

            """ + await broker.MessagingYamlAsync(temp.Path));
        var received = new ConcurrentQueue<(string Topic, string Payload)>();
        using var office = new MqttClientFactory().CreateMqttClient();
        office.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        await office.ConnectAsync(new BrokerEndpoint("127.0.0.1", broker.Port, Mosquitto.User, Mosquitto.Password).Options("office-test", TimeSpan.Zero));
        await office.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("cww/v1/office/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        using var central = CwwProcess.Start("central", "--config", config);
        await central.WaitForOutputAsync("connected to", Patience);

        foreach (var id in new[] { "fuzzy", "c1", "c2", "c3", "c3" })
        {
            var result = await CwwProcess.RunAsync(Patience, "review", "confirm", id, "--by", "王警官", "--config", config);
            Assert.True(result.ExitCode == 0, result.All);
        }

        var deadline = DateTime.UtcNow + Patience;
        while (received.Count < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the office received {received.Count} of 4 messages:\n{central.Output}");
            await Task.Delay(100);
        }

        await central.StopAsync(TimeSpan.FromSeconds(30));
        var messages = received.ToList();
        Assert.Equal(3, messages.Count(m => m.Topic == Topics.OfficeTallies));
        var notice = Assert.Single(messages, m => m.Topic == Topics.OfficeNotices);
        Assert.True(MessageCodec.TryDecode<NoticeMessage>(Encoding.UTF8.GetBytes(notice.Payload), NoticeMessage.Schema, NoticeMessage.Version, out var envelope, out var error), error);
        Assert.Equal(("F1", "2026", 3), (envelope.Body.Official.Id, envelope.Body.Window, envelope.Body.Ordinal));
        Assert.Equal(["c1", "c2", "c3"], envelope.Body.Violations.Select(v => v.CaseId));
        Assert.All(envelope.Body.Violations, v => Assert.Equal("京A12345", v.Plate));
        var tallies = messages.Where(m => m.Topic == Topics.OfficeTallies).Select(m =>
            MessageCodec.TryDecode<TallyMessage>(Encoding.UTF8.GetBytes(m.Payload), TallyMessage.Schema, TallyMessage.Version, out var t, out _) ? t.Body : null).ToList();
        Assert.Equal([1, 2, 3], tallies.Select(t => t!.Count));
        Assert.All(tallies.SelectMany(t => t!.Violations), v => Assert.NotEqual("fuzzy", v.CaseId));
        Assert.All(messages, m => Assert.DoesNotContain("8888B", m.Payload, StringComparison.Ordinal));
    }
}
