using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Edge.Clock;
using CrosswalkWatch.Edge.EvidenceQueue;
using CrosswalkWatch.Edge.Metrics;
using CrosswalkWatch.Edge.Pipeline;
using CrosswalkWatch.Edge.Streaming;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Ingest.Cameras;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Broker;
using CrosswalkWatch.Messaging.Edge;
using CrosswalkWatch.Messaging.Metrics;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Edge;

/// <summary>
/// One edge box composed from its configuration: ingest for every enabled camera; one detector shared through the
/// <see cref="DetectionScheduler"/> by the cameras that have a scene (each with its tracker and yield rule); evidence
/// packages built from each camera's recording ring; cases kept in the box's store; with messaging on, the city's
/// signal controller feed read for those cameras (<see cref="SignalFeed"/>); the box's clock measured against its NTP
/// servers (<see cref="ClockWatch"/>), signed into each package and holding candidates while far off. Cameras without a scene are only
/// recorded and watched. Used by <c>cww run</c>, <c>cww demo</c> and <c>cww bench capacity</c>.
/// </summary>
public sealed class EdgeBox : IAsyncDisposable
{
    private readonly IObjectDetector? _detector;
    private readonly PlateReader? _plates;
    private readonly ICaseStore _store;
    private readonly IRegistryStore? _registry;
    private readonly EvidenceSigner _signer;
    private readonly CwwConfig _config;
    private readonly List<Task> _consumers = [];
    private readonly Dictionary<string, (EvidenceCamera Camera, IEvidenceSource? Source)> _sources = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _stopDetecting = new();
    private readonly CancellationTokenSource _publishingStop = new();
    private readonly string _site;
    private readonly string _dataFolder;
    private readonly MessagingConfig _messaging;
    private readonly ILoggerFactory _loggers;
    private EmbeddedBroker? _broker;
    private StreamingRecorder? _streaming;
    private Task? _publishing;
    private Task? _signalFeeding;
    private Task? _scheduling;
    private int _candidates;
    private bool _stopped;

    private EdgeBox(CwwConfig config, ILoggerFactory loggers, Action<ViolationCandidate>? onCandidate, Action<CaseRecord>? onStored)
    {
        Pool = new FramePool();
        Ingest = new IngestService(config, Pool, loggers);
        var models = config.Cameras.Any(c => c.Enabled && c.Scene is not null) ? PipelineFactory.OpenModels(config.Paths.Models) : null;
        _detector = models is null ? null : PipelineFactory.CreateDetector(models, config.Detector);
        // The box's own signing key, made on first start; it never leaves the box (the central site has its public key).
        _signer = EvidenceSigner.LoadOrCreate(EvidenceSigner.DefaultPath(config.Paths.Data));
        _config = config;
        var site = new EvidenceSite(config.Site.Id, config.Site.Name, TimeZoneInfo.FindSystemTimeZoneById(config.Site.TimeZone), _signer);
        _store = Stores.OpenCases(config.Storage, config.Paths.Data);
        // The plate cascade reads only candidates' vehicle crops, in the evidence writer, off the cameras' frame loops.
        _plates = models is null ? null : PipelineFactory.CreatePlateReader(models, config.Plates, config.Detector.Threads);

        // The clock against clock.servers: taken with each candidate into its package; far off, it holds new candidates.
        Clock = new ClockWatch(config.Clock, loggers.CreateLogger("CrosswalkWatch.Clock"));
        // Each live camera's own clock from its RTCP sender reports, on the lighter sub-stream where there is one.
        CameraClocks = new CameraClockWatch(
            config.Clock.CameraCheckMinutes == 0 ? [] : config.Cameras.Where(c => c.Enabled && CameraFactory.IsRtsp(c.Url)).Select(c => (c.Id, c.SubUrl ?? c.Url)),
            config.Clock,
            loggers.CreateLogger("CrosswalkWatch.Clock"));

        // Without an external broker this box is its own central site: it matches plates when it stores a case.
        _registry = config.Messaging.Broker == BrokerKind.External ? null : Stores.OpenRegistry(config.Storage, config.Paths.Data);
        Evidence = new EvidenceWriter(
            new EvidenceBuilder(Path.Combine(config.Paths.Data, "evidence"), site, _plates),
            _store,
            Path.Combine(config.Paths.Data, "evidence", "parked"),
            loggers.CreateLogger("CrosswalkWatch.Evidence"),
            // Candidates go to a central site only through an external broker: on one box the store is the central one.
            config.Messaging.Broker == BrokerKind.External ? Announcements.Candidate : null,
            stored =>
            {
                Publisher?.Nudge();
                onStored?.Invoke(stored);
            },
            _registry is null ? null : new CaseIntake(_registry, site.Zone),
            config.Plates,
            config.Evidence.MinFreeMegabytes * 1024L * 1024L,
            // Parked candidates beside the evidence, or beside the database when the evidence disk is full (another disk if mounted so).
            fallbackParked: Path.Combine(config.Paths.Data, "parked"),
            builders: config.Evidence.BuildersOn(Environment.ProcessorCount),
            clock: () => Clock.Health,
            cameraClock: CameraClocks.EvidenceOf);
        _site = config.Site.Id;
        _dataFolder = config.Paths.Data;
        _messaging = config.Messaging;
        _loggers = loggers;

        var judged = new List<ScheduledCamera>();
        foreach (var camera in Ingest.Cameras)
        {
            var settings = config.Cameras.First(c => c.Id == camera.CameraId);
            if (_detector is null || settings.Scene is not { } scene)
            {
                _consumers.Add(Task.Run(async () =>
                {
                    await foreach (var frame in camera.Frames.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        frame.Dispose();
                    }
                }, CancellationToken.None));
                continue;
            }

            // The scene file's own `rule:` (thresholds an operator saved from the console) goes over the configuration's.
            var definition = SceneLoader.Load(scene);
            // A live camera's view is checked against its reference picture: moved or blocked, it produces no candidates.
            var view = CameraFactory.IsRtsp(settings.Url) && ViewCheckSettings.Of(settings.Ingest) is { } check
                ? new ViewWatch(camera.CameraId, config.Paths.Data, scene, check, settings.Rule, loggers.CreateLogger("CrosswalkWatch.View"))
                : null;
            var pipeline = PipelineFactory.CreatePipeline(camera.CameraId, _detector, definition, definition.RuleFor(settings.Rule), PipelineFactory.Region(settings), PipelineFactory.IdleFps(settings.Ingest), view);
            judged.Add(new ScheduledCamera(camera.CameraId, camera.Frames, pipeline, settings.Ingest.DetectFps));

            // A live camera's evidence comes from its recording ring, once the recording has passed the event by 5 s.
            _sources[camera.CameraId] = (
                new EvidenceCamera(settings.Id, settings.Place, settings.Direction) { Scene = definition },
                camera.Ring is { } ring ? new RingEvidenceSource(ring, EvidenceBuilder.After + TimeSpan.FromSeconds((3 * settings.Ingest.SegmentSeconds) + 5)) : null);
        }

        Pipelines = judged.Select(j => j.Pipeline).ToList();
        Scheduler = new DetectionScheduler(judged, candidate =>
        {
            Interlocked.Increment(ref _candidates);
            onCandidate?.Invoke(candidate);
            if (_sources[candidate.CameraId] is { Source: { } source } where)
            {
                // The scene the candidate was judged with: the pipeline's, which a scene saved since start replaces.
                var scene = Pipelines.First(p => p.CameraId == candidate.CameraId).Scene;
                Evidence.Enqueue(candidate, where.Camera.Scene == scene ? where.Camera : where.Camera with { Scene = scene }, source);
            }
        });
    }

    public FramePool Pool { get; }

    public IngestService Ingest { get; }

    public DetectionScheduler Scheduler { get; }

    /// <summary>The decision chains of the cameras that have a scene.</summary>
    public IReadOnlyList<CameraPipeline> Pipelines { get; }

    public EvidenceWriter Evidence { get; }

    /// <summary>The box's clock against clock.servers (not checked without servers).</summary>
    public ClockWatch Clock { get; }

    /// <summary>Each live RTSP camera's clock against the box's, from its RTCP sender reports.</summary>
    public CameraClockWatch CameraClocks { get; }

    /// <summary>/metrics for Prometheus, when <c>metrics.port</c> is set.</summary>
    public MetricsEndpoint? Metrics { get; private set; }

    /// <summary>Cases stored on the box and not yet delivered to the broker (the outbox).</summary>
    public Task<int> OutboxDepthAsync(CancellationToken cancellationToken = default) => _store.PendingCountAsync(cancellationToken);

    /// <summary>Delivers the stored cases from the outbox to the broker; null when messaging is off.</summary>
    public EdgePublisher? Publisher { get; private set; }

    /// <summary>Reads the city's signal controller for the cameras with a scene; null when messaging is off or no camera judges.</summary>
    public SignalFeed? Signals { get; private set; }

    public int Candidates => Volatile.Read(ref _candidates);

    /// <summary>How long a stop waits for the packages still being built while the cameras go on recording.</summary>
    public static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Migrates the store and starts every camera and the detector. <paramref name="onCandidate"/> runs on the
    /// detector's loop as each candidate is decided; <paramref name="onStored"/> once its evidence and case are stored.
    /// </summary>
    public static async Task<EdgeBox> StartAsync(CwwConfig config, ILoggerFactory loggers, Action<ViolationCandidate>? onCandidate, Action<CaseRecord>? onStored, CancellationToken cancellationToken)
    {
        var box = new EdgeBox(config, loggers, onCandidate, onStored);
        try
        {
            await box._store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            await box.RegisterOwnKeyAsync(cancellationToken).ConfigureAwait(false);
            await box.StartMessagingAsync().ConfigureAwait(false);
            box.Clock.Start();
            await box.Ingest.StartAsync(box._stopping.Token).ConfigureAwait(false);
            box.CameraClocks.Start();
            box._streaming = StreamingRecorder.Start(config, box.Ingest.Health, loggers.CreateLogger("CrosswalkWatch.Streaming"));

            // Candidates an earlier run held for a full evidence disk: built now if their recording is still in the ring.
            box.Evidence.ResumeParked(id => box._sources.GetValueOrDefault(id) is { Source: { } source } where ? (where.Camera, source) : null);
            box._scheduling = Task.Run(() => box.Scheduler.RunAsync(box._stopDetecting.Token), CancellationToken.None);
            box._consumers.Add(box._scheduling);
            box.Metrics = config.Metrics.Port > 0 ? EdgeMetrics.Start(box, config.Metrics, loggers.CreateLogger("CrosswalkWatch.Metrics")) : null;
            return box;
        }
        catch
        {
            await box.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Without an external broker the box is its own central site: its public key is registered for its site in its
    /// store (once; a key retired there stays retired), so its cases verify and can be reviewed with no setup.
    /// </summary>
    private async Task RegisterOwnKeyAsync(CancellationToken cancellationToken)
    {
        if (_config.Messaging.Broker == BrokerKind.External)
        {
            return;
        }

        using var keys = SiteKeyStore.Open(_config.Storage, _config.Paths.Data);
        await StoredEvidenceKeys.RegisterOwnAsync(keys, _site, _signer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the box without losing a candidate: first the evidence still being built is finished while the cameras
    /// keep recording (a package needs the 5 s after its event; up to <see cref="FinishTimeout"/>); then detection
    /// stops and completes the candidates of vehicles still on the crosswalk, whose packages are built while the
    /// cameras still record (up to <see cref="FinishTimeout"/> again); then the cameras stop.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await Evidence.WaitIdleAsync(FinishTimeout).ConfigureAwait(false);
        if (_scheduling is not null)
        {
            await _stopDetecting.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(Scheduler.Detecting, _scheduling).ConfigureAwait(false);
            await Evidence.WaitIdleAsync(FinishTimeout).ConfigureAwait(false);
        }

        if (_streaming is not null)
        {
            await _streaming.StopAsync().ConfigureAwait(false); // the hours streaming up to now, while the cameras still stream
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Ingest.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(_consumers).ConfigureAwait(false);
        await Evidence.DisposeAsync().ConfigureAwait(false);
        if (Publisher is not null && _publishing is not null)
        {
            // Give the publisher a moment to deliver the last cases; what is left waits in the outbox for the next start.
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
            while (Publisher.Connected && await _store.PendingCountAsync().ConfigureAwait(false) > 0 && DateTimeOffset.UtcNow < deadline)
            {
                Publisher.Nudge();
                await Task.Delay(100).ConfigureAwait(false);
            }

            await _publishingStop.CancelAsync().ConfigureAwait(false);
            await _publishing.ConfigureAwait(false);
        }

        if (_signalFeeding is not null)
        {
            await _publishingStop.CancelAsync().ConfigureAwait(false);
            await _signalFeeding.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every camera's health, with the pedestrian signal its rule took at the last judged frame where it has one, the
    /// motion gate's pace where it is on, and its time streaming today as the recorder last wrote it.
    /// </summary>
    public IReadOnlyList<CameraHealth> Health()
    {
        var cameras = Ingest.Health().Select(h => h with { StreamedToday = _streaming?.Today(h.CameraId) });
        return cameras.Select(h => Pipelines.FirstOrDefault(p => p.CameraId == h.CameraId) is { } pipeline ? Judged(h, pipeline) : h)
            .Select(CameraClocks.Apply).ToList();
    }

    /// <summary>A judged camera's health with what its pipeline says: the signal, the detector's pace and the view check, each in English and as a phrase.</summary>
    private static CameraHealth Judged(CameraHealth h, CameraPipeline pipeline)
    {
        var signal = pipeline.LastSignal?.Said();
        var pace = pipeline.View is { Judging: false } paused ? DetectorPace.Paused(paused.State)
            : pipeline.Gating ? DetectorPace.Gated(pipeline.Idle, pipeline.Gated) : null;
        return h with
        {
            Signal = signal?.English,
            SignalPhrase = signal?.ToJson(),
            Detection = pace?.English,
            DetectionPhrase = pace?.ToJson(),
            View = pipeline.View?.State ?? ViewState.Unchecked,
            ViewSince = pipeline.View?.Since,
            ViewDetail = pipeline.View?.Why,
            ViewPhrase = pipeline.View?.WhyPhrase.ToJson(),
            ViewShift = pipeline.View?.Shift,
            ViewReferenceAt = pipeline.View?.ReferenceAt,
        };
    }

    /// <summary>The detector's load over its judged cameras; null when the box judges none.</summary>
    public DetectorLoad? DetectorLoad()
    {
        if (Pipelines.Count == 0)
        {
            return null;
        }

        var shares = Scheduler.Shares();
        return new DetectorLoad(shares.Count, shares.Sum(s => s.AchievedFps), shares.Sum(s => s.ConfiguredFps), Scheduler.Overloaded);
    }

    /// <summary>Publishes the box's own health and every camera's (retained), when connected; health is only ever the latest.</summary>
    public async Task PublishHealthAsync(CancellationToken cancellationToken)
    {
        if (Publisher is null)
        {
            return;
        }

        var (boxTopic, boxPayload) = Announcements.BoxHealth(_site, Evidence.Health, Clock.Health, DetectorLoad(), Evidence.Pending);
        await Publisher.TryPublishRetainedAsync(boxTopic, boxPayload, cancellationToken).ConfigureAwait(false);
        foreach (var health in Health())
        {
            var (topic, payload) = Announcements.Health(_site, health);
            await Publisher.TryPublishRetainedAsync(topic, payload, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The embedded broker (one-box default) or the external one, and the outbox's publisher.</summary>
    private async Task StartMessagingAsync()
    {
        if (_messaging.Broker == BrokerKind.None)
        {
            return;
        }

        BrokerEndpoint endpoint;
        if (_messaging.Broker == BrokerKind.Embedded)
        {
            var credentials = BrokerCredentials.ForEmbedded(_dataFolder, _site);
            _broker = await EmbeddedBroker.StartAsync(_messaging.Port, credentials, _messaging.MaxPayloadBytes).ConfigureAwait(false);
            endpoint = credentials.Endpoint("127.0.0.1", _broker.Port, BrokerRole.Site(_site));
        }
        else
        {
            endpoint = BrokerEndpoint.From(_messaging);
        }

        var clientId = _messaging.ClientId is { Length: > 0 } id ? id : $"cww-{_site}-edge";
        Publisher = new EdgePublisher(endpoint, clientId, _store, _loggers.CreateLogger("CrosswalkWatch.Messaging"));
        _publishing = Task.Run(() => Publisher.RunAsync(_publishingStop.Token), CancellationToken.None);

        // The signal controller's feed, where the city has one: each judged camera's signal takes its messages.
        if (Pipelines.Count > 0)
        {
            var cameras = Pipelines.ToDictionary(p => p.CameraId, p => (ISignalFeedTarget)p, StringComparer.Ordinal);
            Signals = new SignalFeed(endpoint, clientId + "-signals", _site, cameras, _loggers.CreateLogger("CrosswalkWatch.Signals"), MosquittoFiles.MaxPacketSize(_messaging.MaxPayloadBytes));
            _signalFeeding = Task.Run(() => Signals.RunAsync(_publishingStop.Token), CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Metrics?.Dispose();
        await StopAsync().ConfigureAwait(false);
        await Clock.DisposeAsync().ConfigureAwait(false);
        await CameraClocks.DisposeAsync().ConfigureAwait(false);
        if (_streaming is not null)
        {
            await _streaming.DisposeAsync().ConfigureAwait(false);
        }

        Ingest.Dispose();
        _detector?.Dispose();
        _plates?.Dispose();
        if (Publisher is not null)
        {
            await Publisher.DisposeAsync().ConfigureAwait(false);
        }

        if (Signals is not null)
        {
            await Signals.DisposeAsync().ConfigureAwait(false);
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var pipeline in Pipelines)
        {
            pipeline.Dispose();
        }

        _store.Dispose();
        _registry?.Dispose();
        _signer.Dispose();
        _stopping.Dispose();
        _stopDetecting.Dispose();
        _publishingStop.Dispose();
    }
}
