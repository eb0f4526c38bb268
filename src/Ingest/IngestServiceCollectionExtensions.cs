using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Ingest.Cameras;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrosswalkWatch.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>Adds camera ingest: one runner per enabled camera, started as a hosted service.</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.TryAddSingleton<FramePool>();
        services.AddSingleton<IngestService>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestService>());
        return services;
    }
}
