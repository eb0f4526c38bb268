using System.Globalization;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Broker;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrosswalkWatch.IntegrationTests.Messaging;

/// <summary>
/// Hours streaming at the central site: a box's account publishes its cameras' health, with their time streaming
/// today, through a real mosquitto on the files of <c>cww broker acl</c>; the central site's <see cref="BoxWatch"/>
/// keeps each as "at least" that much in the central store, where <c>cww stats</c> and the console read it. A lower
/// (late) report lowers nothing; an insane one, or one whose site does not match its topic, is refused.
/// </summary>
public sealed class StreamingHoursAtCentralTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task BoxWatch_HealthWithTimeStreamedToday_ShownInTheCentralStoresHours_InsaneOrForeignReportsRefused()
    {
        var site = BrokerRole.Site("site-a");
        var credentials = BrokerCredentials.OpenOrCreate(_temp.File("broker"), [site, BrokerRole.Central]);
        MosquittoFiles.Write(credentials, 64 * 1024); // as `cww broker acl` does
        await using var broker = await Mosquitto.StartAsync(access: credentials.Folder);

        var storage = new StorageConfig();
        using var boxStore = BoxStore.Open(storage, _temp.Path);
        using var hours = StreamingStore.Open(storage, _temp.Path);
        await hours.MigrateAsync();
        var logs = new LogLines();
        using var loggers = logs.Factory(LogLevel.Information);
        using var stop = new CancellationTokenSource();
        var central = credentials.Endpoint("127.0.0.1", broker.Port, BrokerRole.Central);
        Task watching;
        await using (var boxes = new BoxWatch(central, "central-1-boxes", new MessagingConfig().SharedGroup, boxStore, TimeSpan.FromMinutes(5), loggers.CreateLogger("Boxes"), hours: hours))
        {
            watching = boxes.RunAsync(stop.Token);
            try
            {
                await Eventually.WaitForAsync(() => Task.FromResult(logs.ToString().Contains("boxes: connected", StringComparison.Ordinal)), $"the box watch to connect: {logs}\n{broker.Log()}");

                using var box = new MqttClientFactory().CreateMqttClient();
                await credentials.Endpoint("127.0.0.1", broker.Port, site).ConnectAsync(box, "box-a", TimeSpan.Zero, CancellationToken.None);
                var today = DateOnly.FromDateTime(DateTime.UtcNow); // begun everywhere at least 14 h ago: 3 h are sane
                async Task PublishAsync(string camera, double streamedHours, string? claimedSite = null)
                {
                    var health = new CameraHealth { CameraId = camera, State = CameraState.Streaming, StreamedToday = new StreamedDay(camera, today, TimeSpan.FromHours(streamedHours)) };
                    var (_, payload) = Announcements.Health(claimedSite ?? "site-a", health);
                    var message = new MqttApplicationMessageBuilder().WithTopic(Topics.Health("site-a", camera)).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                    Assert.True((await box.PublishAsync(message)).IsSuccess, $"publish on {message.Topic}: {broker.Log()}");
                }

                async Task<string> HoursAsync() => string.Join(", ", (await hours.DaysAsync(today, today)).Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.CameraId} {d.Streamed.TotalHours}")));

                await PublishAsync("cam1", 2);
                await Eventually.WaitForAsync(async () => await HoursAsync() == "cam1 2", $"cam1's 2 h at the central site: {await HoursAsync()}\n{logs}", TimeSpan.FromSeconds(20));

                // A late lower report, an insane one, one claiming another site on site-a's topic; then cam2, which
                // arrives after them (one client, in order): by then they have been handled.
                await PublishAsync("cam1", 1);
                await PublishAsync("cam1", 30);
                await PublishAsync("cam1", 5, claimedSite: "site-b");
                await PublishAsync("cam2", 0.5);
                await Eventually.WaitForAsync(async () => (await HoursAsync()).Contains("cam2", StringComparison.Ordinal), $"cam2 at the central site: {logs}", TimeSpan.FromSeconds(20));
                Assert.Equal("cam1 2, cam2 0.5", await HoursAsync());
                Assert.Contains(logs.Lines, l => l.Message.Contains("refused the hours streaming reported on cww/v1/sites/site-a/health/cam1: streamedMs 108000000", StringComparison.Ordinal));
                Assert.Contains(logs.Lines, l => l.Message.Contains("does not match its topic", StringComparison.Ordinal));

                await PublishAsync("cam1", 3);
                await Eventually.WaitForAsync(async () => await HoursAsync() == "cam1 3, cam2 0.5", $"cam1 raised to 3 h: {await HoursAsync()}\n{logs}", TimeSpan.FromSeconds(20));
                Assert.Empty(await hours.OfSiteAsync("site-b", today));
            }
            finally
            {
                await stop.CancelAsync();
                await watching;
            }
        }
    }

    public void Dispose() => _temp.Dispose();
}
