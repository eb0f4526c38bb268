using System.Threading.Channels;
using CrosswalkWatch.Core.Outbox;
using CrosswalkWatch.Core.Config;
using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Detector.Rules;
using System.Text.Json;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;
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
    private readonly string _parked;
    private readonly Func<CaseRecord, OutboxMessage>? _announce;
    private readonly ILogger _logger;
    private readonly Action<CaseRecord>? _onStored;
    private readonly CaseIntake? _intake;
    private readonly PlateSettings? _plates;
    private readonly Task _worker;
    private int _pending;

    /// <param name="parked">Folder where a candidate whose package could not be built is kept (its JSON and the reason).</param>
    /// <param name="announce">The outbox message stored with each case (null: none, the box does not publish).</param>
    /// <param name="onStored">Called with each case once its package is in place and the case stored.</param>
    /// <param name="intake">Matches each case's plate against the registry before it is stored (null: the central site will).</param>
    public EvidenceWriter(EvidenceBuilder builder, ICaseStore store, string parked, ILogger logger, Func<CaseRecord, OutboxMessage>? announce = null, Action<CaseRecord>? onStored = null, CaseIntake? intake = null, PlateSettings? plates = null)
    {
        _plates = plates;
        _intake = intake;
        _announce = announce;
        _builder = builder;
        _parked = parked;
        _store = store;
        _logger = logger;
        _onStored = onStored;
        _worker = Task.Run(WorkAsync);
    }

    public int Written { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Candidates enqueued whose package is not finished yet.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Enqueue(ViolationCandidate candidate, EvidenceCamera camera, IEvidenceSource source)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite((candidate, camera, source)))
        {
            Interlocked.Decrement(ref _pending);
            LogFailed(camera.Id, candidate.VehicleTrackId, "the evidence writer has already stopped", Park(candidate, "the evidence writer had stopped"));
        }
    }

    /// <summary>
    /// Waits until every enqueued package is finished, or <paramref name="timeout"/> passes: used before stopping the
    /// cameras, so that the recordings still cover the seconds after the last events.
    /// </summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (Pending > 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        return Pending == 0;
    }

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
                var stored = ToCase(candidate, package, _plates);
                if (_intake is not null)
                {
                    stored = await _intake.MatchAsync(stored).ConfigureAwait(false);
                }

                await _store.AddAsync(stored, _announce?.Invoke(stored)).ConfigureAwait(false);
                Written++;
                _onStored?.Invoke(stored);
                LogWritten(package.CaseId, package.Folder);
            }
            catch (Exception e) when (e is EvidenceException or IOException or Ingest.IngestException or StorageException)
            {
                Failed++;
                LogFailed(camera.Id, candidate.VehicleTrackId, e.Message, Park(candidate, e.Message));
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    /// <summary>
    /// The stored case of a candidate whose package is complete and in place, with the plate voted on its looks at the
    /// vehicle (text, per-character confidence, and why it is in doubt under <paramref name="plates"/>, if it is).
    /// </summary>
    internal static CaseRecord ToCase(ViolationCandidate candidate, EvidencePackage package, PlateSettings? plates = null)
    {
        var record = new CaseRecord(
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
        if (package.Plate is not { } voted)
        {
            return record;
        }

        var read = new PlateReadSummary(
            voted.Text,
            voted.Valid,
            voted.Colour.ToString(),
            voted.MinConfidence,
            voted.Reads,
            voted.ValidReads,
            voted.Agreeing,
            PlateCertainty.Doubt(voted, plates ?? new PlateSettings()),
            voted.Characters.Select(c => new PlateCharacterSummary(c.Symbol.ToString(), c.Confidence, c.Votes)).ToList());
        return record with { PlateRead = voted.Text, PlateReadJson = JsonSerializer.Serialize(read, Cli.ReplayCommand.Json) };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "evidence {CaseId}: {Folder}")]
    private partial void LogWritten(string caseId, string folder);

    /// <summary>
    /// Keeps a candidate whose package could not be built (for example an event at the very end of a recording),
    /// so that nothing decided is lost: its JSON and the reason, in the parked folder. Returns where, or why not.
    /// </summary>
    private string Park(ViolationCandidate candidate, string reason)
    {
        try
        {
            Directory.CreateDirectory(_parked);
            var path = Path.Combine(_parked, $"{candidate.CameraId}-{candidate.OnLine.At.UtcDateTime:yyyyMMdd-HHmmss.fff}-v{candidate.VehicleTrackId}.json");
            var json = JsonSerializer.Serialize(new { reason, parkedAt = DateTimeOffset.UtcNow, candidate }, Cli.ReplayCommand.Json);
            File.WriteAllText(path + ".part", json);
            File.Move(path + ".part", path, overwrite: true);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"not kept either ({e.Message})";
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "camera {Camera}: the evidence of vehicle {Track} could not be built: {Error}; the candidate is kept in {Parked}")]
    private partial void LogFailed(string camera, int track, string error, string parked);
}

/// <summary>What a case keeps of its plate read (plate_read_json): the voted plate, how sure, and why not when in doubt.</summary>
internal sealed record PlateReadSummary(
    string Text,
    bool Valid,
    string Colour,
    float MinConfidence,
    int Reads,
    int ValidReads,
    int Agreeing,
    string? Doubt,
    IReadOnlyList<PlateCharacterSummary> Characters);

internal sealed record PlateCharacterSummary(string Symbol, float Confidence, int Votes);
