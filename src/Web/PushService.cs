using CrosswalkWatch.Review;
using Microsoft.Extensions.Hosting;

namespace CrosswalkWatch.Web;

/// <summary>Runs the push of confirmed cases (<see cref="CasePusher"/>) for as long as the console runs.</summary>
internal sealed class PushService(CasePusher pusher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => pusher.RunAsync(stoppingToken);

    public override void Dispose()
    {
        pusher.Dispose();
        base.Dispose();
    }
}
