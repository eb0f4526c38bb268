using System.Threading.Channels;
using CrosswalkWatch.Detector.Rules;
using System.Text.Json;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Host.Edge;

/// <summary>
/// Builds evidence packages one after another, off the cameras' frame loops (a package waits for the recording to
/// pass the event by 5 s). Candidates are never dropped: the queue is unbounded (candidates are rare) and is drained
/// before shutdown completes.
/// </summary>
internal sealed partial class EvidenceWriter : IAsyncDisposable
{
    private readonly Channel<(ViolationCandidate Candidate, EvidenceCamera Camera, IEvidenceSource Source)> _queue =
        Channel.CreateUnbounded<(ViolationCandidate, EvidenceCamera, IEvidenceSource)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly EvidenceBuilder _builder;
    private readonly ICaseStore _store;
    private readonly ILogger _logger;
    private readonly Task _worker;

    public EvidenceWriter(EvidenceBuilder builder, ICaseStore store, ILogger logger)
    {
        _builder = builder;
        _store = store;
        _logger = logger;
        _worker = Task.Run(WorkAsync);
    }

    public int Written { get; private set; }

    public int Failed { get; private set; }

    public void Enqueue(ViolationCandidate candidate, EvidenceCamera camera, IEvidenceSource source) =>
        _queue.Writer.TryWrite((candidate, camera, source));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    private async Task WorkAsync()
    {
        await foreach (var (candidate, camera, source) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var package = await _builder.BuildAsync(candidate, camera, source).ConfigureAwait(false);
                await _store.AddAsync(ToCase(candidate, package)).ConfigureAwait(false);
                Written++;
                LogWritten(package.CaseId, package.Folder);
            }
            catch (Exception e) when (e is EvidenceException or IOException or Ingest.IngestException or StorageException)
            {
                Failed++;
                LogFailed(camera.Id, candidate.VehicleTrackId, e.Message);
            }
        }
    }

    /// <summary>The stored case of a candidate whose package is complete and in place.</summary>
    internal static CaseRecord ToCase(ViolationCandidate candidate, EvidencePackage package) => new(
        package.CaseId,
        package.Manifest.SiteId,
        candidate.CameraId,
        candidate.OnLine.At,
        candidate.Lane,
        candidate.Approach,
        candidate.VehicleTrackId,
        CaseRecord.Candidate,
        package.Folder,
        JsonSerializer.Serialize(candidate, Cli.ReplayCommand.Json),
        package.Manifest.Signature,
        DateTimeOffset.UtcNow);

    [LoggerMessage(Level = LogLevel.Information, Message = "evidence {CaseId}: {Folder}")]
    private partial void LogWritten(string caseId, string folder);

    [LoggerMessage(Level = LogLevel.Error, Message = "camera {Camera}: the evidence of vehicle {Track} could not be built: {Error}")]
    private partial void LogFailed(string camera, int track, string error);
}
