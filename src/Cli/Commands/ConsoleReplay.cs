using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Edge.Pipeline;
using CrosswalkWatch.Web.Operators;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Cli.Commands;

/// <summary>
/// The web console's replay (<see cref="IClipReplay"/>), composed as <c>cww replay</c> composes it: the configured
/// detector, then for each set of thresholds a camera pipeline (tracker and yield rule) over the clip through
/// <see cref="FileReplay"/> at the camera's detection rate and in its detection region. The detector is loaded on the
/// first replay and kept; replays take turns (one detector, and a box has few cores).
/// </summary>
internal sealed class ConsoleReplay(CwwConfig config) : IClipReplay, IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private IObjectDetector? _detector;

    public async Task<IReadOnlyList<ReplayRun>> RunAsync(ReplayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                _detector ??= PipelineFactory.CreateDetector(PipelineFactory.OpenModels(config.Paths.Models), config.Detector);
            }
            catch (Exception e) when (e is ModelException or DetectorException or IOException)
            {
                throw new ReplayException($"the detector {config.Detector.Type} cannot be loaded from {config.Paths.Models}: {e.Message}", e);
            }

            var camera = request.Camera;
            var region = PipelineFactory.Region(camera);
            using var loggers = Logging.Create(LogLevel.Warning);
            var runs = new List<ReplayRun>(request.Rules.Count);
            foreach (var rule in request.Rules)
            {
                // Times count from the clip's start, so the page can say "at 3.2 s".
                var start = DateTimeOffset.UnixEpoch;
                using var pipeline = PipelineFactory.CreatePipeline(camera.Id, _detector, request.Scene, rule, region, PipelineFactory.IdleFps(camera.Ingest));
                var candidates = new List<ReplayCandidate>();
                var health = await FileReplay.RunAsync(request.Clip, camera.Ingest.DetectFps, pipeline, start, loggers, c =>
                {
                    candidates.Add(View(c, start));
                    return Task.CompletedTask;
                }, cancellationToken).ConfigureAwait(false);
                runs.Add(new ReplayRun(candidates, pipeline.Frames, pipeline.Rule.Deduplicated, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(health.State.ToString()), health.LastError));
            }

            return runs;
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose()
    {
        _detector?.Dispose();
        _turn.Dispose();
    }

    private static ReplayCandidate View(ViolationCandidate c, DateTimeOffset start) => new(
        c.VehicleTrackId,
        c.Lane,
        c.Approach,
        Seconds(c.BeforeLine.At, start),
        Seconds(c.OnLine.At, start),
        Seconds(c.Leaving.At, start),
        c.OnLine.VehicleBox,
        c.VehicleSpeed,
        c.StoppedBeforeLine,
        c.Pedestrians.Select(p => new ReplayPedestrian(p.TrackId, p.Box, p.Where, Math.Round(p.LanesFromVehicleLane, 2), Math.Round(p.Speed, 2), p.FramesInConflict)).ToList())
    {
        Movement = c.Movement,
    };

    private static double Seconds(DateTimeOffset at, DateTimeOffset start) => Math.Round((at - start).TotalSeconds, 2);
}
