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
    public async Task Review_TwoReviewersPerCaseAReplayAnUnmatchedCaseAndAnObjection_TheOfficeGetsTheTalliesOneNoticeAndOneWithdrawal()
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

        // Two reviewers for each official's case; the last confirmation replayed; the fuzzy read names nobody (one reviewer).
        foreach (var (id, by) in new[] { ("fuzzy", "王警官"), ("c1", "王警官"), ("c1", "李警官"), ("c2", "王警官"), ("c2", "李警官"), ("c3", "王警官"), ("c3", "李警官"), ("c3", "李警官") })
        {
            var result = await CwwProcess.RunAsync(Patience, "review", "confirm", id, "--by", by, "--config", config);
            Assert.True(result.ExitCode == 0, result.All);
        }

        await WaitForAsync(received, 4, central);

        // The official objects to c2: it stops counting, the notice is withdrawn once; reopening again is refused.
        var reopened = await CwwProcess.RunAsync(Patience, "review", "reopen", "c2", "--reason", "甲测试: the car was in the garage that day", "--by", "office:张主任", "--config", config);
        Assert.True(reopened.ExitCode == 0, reopened.All);
        Assert.Contains("notice withdrawn: official F1, no. 3 in 2026: the count fell to 2: case c2 reopened by office:张主任", reopened.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, (await CwwProcess.RunAsync(Patience, "review", "reopen", "c2", "--reason", "again", "--by", "office:张主任", "--config", config)).ExitCode);
        await WaitForAsync(received, 6, central);

        await central.StopAsync(TimeSpan.FromSeconds(30));
        var messages = received.ToList();
        Assert.Equal(4, messages.Count(m => m.Topic == Topics.OfficeTallies));
        var withdrawal = Assert.Single(messages, m => m.Payload.Contains("\"schema\":\"cww.notice.withdrawn\"", StringComparison.Ordinal));
        Assert.True(MessageCodec.TryDecode<NoticeWithdrawnMessage>(Encoding.UTF8.GetBytes(withdrawal.Payload), NoticeWithdrawnMessage.Schema, NoticeWithdrawnMessage.Version, out var withdrawn, out var notRead), notRead);
        Assert.Equal(("F1", "2026", 3, 2), (withdrawn.Body.Official.Id, withdrawn.Body.Window, withdrawn.Body.Ordinal, withdrawn.Body.Count));
        Assert.Equal(["c1", "c3"], withdrawn.Body.Violations.Select(v => v.CaseId));
        messages.Remove(withdrawal);
        var notice = Assert.Single(messages, m => m.Topic == Topics.OfficeNotices);
        Assert.True(MessageCodec.TryDecode<NoticeMessage>(Encoding.UTF8.GetBytes(notice.Payload), NoticeMessage.Schema, NoticeMessage.Version, out var envelope, out var error), error);
        Assert.Equal(("F1", "2026", 3), (envelope.Body.Official.Id, envelope.Body.Window, envelope.Body.Ordinal));
        Assert.Equal(["c1", "c2", "c3"], envelope.Body.Violations.Select(v => v.CaseId));
        Assert.All(envelope.Body.Violations, v => Assert.Equal("京A12345", v.Plate));
        var tallies = messages.Where(m => m.Topic == Topics.OfficeTallies).Select(m =>
            MessageCodec.TryDecode<TallyMessage>(Encoding.UTF8.GetBytes(m.Payload), TallyMessage.Schema, TallyMessage.Version, out var t, out _) ? t.Body : null).ToList();
        Assert.Equal([1, 2, 3, 2], tallies.Select(t => t!.Count));
        Assert.All(tallies.SelectMany(t => t!.Violations), v => Assert.NotEqual("fuzzy", v.CaseId));
        Assert.All(messages, m => Assert.DoesNotContain("8888B", m.Payload, StringComparison.Ordinal));
    }

    private static async Task WaitForAsync(ConcurrentQueue<(string Topic, string Payload)> received, int count, CwwProcess.Running central)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (received.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the office received {received.Count} of {count} messages:\n{central.Output}");
            await Task.Delay(100);
        }
    }
}
