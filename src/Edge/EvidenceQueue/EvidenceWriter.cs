using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Outbox;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Edge.EvidenceQueue;

/// <summary>
/// Builds evidence packages off the cameras' frame loops, several at once: each candidate first waits for its
/// recording to pass the event by 5 s without taking a builder, then is built by one of a bounded number of builders
/// (evidence.builders), so one slow package never holds up the others; each camera's cases are stored in the order of
/// its candidates, a case waiting for the one before it. Candidates are never dropped: the queue is unbounded
/// (candidates are rare) and is drained before shutdown completes. Each queued candidate keeps its recording from
/// being pruned (<see cref="IEvidenceSource.Keep"/>) until its package is built or it is parked, however long the
/// queue before it.
/// <para>
/// A full evidence disk stops new packages, not the box: when the disk has less free space than the reserve before a
/// package is started, or a write fails for lack of space (the half-written package is deleted; a package appears
/// only complete), the writer reports "disk full" in its <see cref="Health"/> and holds each candidate instead of
/// building it: parked (its JSON and the reason) and kept for a retry. It looks at the disk every couple of seconds and,
/// once the reserve and some headroom are free, builds the held candidates whose recording is still there and goes on.
/// Packages and cases already stored are never touched. A held candidate comes after the packages already under way
/// when it is built, so its case may be stored after a later one of its camera: the order within a camera holds
/// except across a full disk.
/// </para>
/// <para>
/// The box's clock (<see cref="ClockHealth"/>, when measured) is taken with each candidate as it comes and signed into
/// its package; while it is off by more than clock.holdOffsetMs, candidates are held the same way ("clock held" in the
/// health) and built once it is within the limit again, each with the offset measured at its event.
/// </para>
/// </summary>
public sealed partial class EvidenceWriter : IAsyncDisposable
{
    private static readonly TimeSpan SpaceCheckEvery = TimeSpan.FromSeconds(2);

    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });

    private readonly EvidenceBuilder _builder;
    private readonly CaseRecorder _recorder;
    private readonly EvidenceParking _parking;
    private readonly DiskGuard _disk;
    private readonly ILogger _logger;
    private readonly Action<CaseRecord>? _onStored;
    private readonly Func<ClockHealth>? _clock;
    private readonly Func<string, EvidenceCameraClock?>? _cameraClock;
    private readonly List<Job> _held = []; // oldest first, each with HeldFor; under _heldLock
    private readonly Lock _heldLock = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _builders;
    private readonly Dictionary<string, Task> _lastOfCamera = []; // the worker's own: each camera's latest job
    private readonly List<Task> _running = []; // the worker's own: jobs started and maybe not finished
    private readonly Task _worker;
    private EvidenceHealth _health;
    private int _pending;

    /// <param name="parked">Folder where a candidate whose package could not be built is kept (its JSON and the reason).</param>
    /// <param name="announce">The outbox message stored with each case (null: none, the box does not publish).</param>
    /// <param name="onStored">Called with each case once its package is in place and the case stored.</param>
    /// <param name="intake">Matches each case's plate against the registry before it is stored (null: the central site will).</param>
    /// <param name="reserveBytes">Free space kept on the evidence disk: below it no package is started (evidence.minFreeMegabytes).</param>
    /// <param name="fallbackParked">Where to park when <paramref name="parked"/> cannot be written (a full evidence disk): best on another disk.</param>
    /// <param name="builders">Packages built at once (evidence.builders, resolved: <see cref="EvidenceConfig.BuildersOn"/>).</param>
    /// <param name="clock">The box's clock as last measured (null: not measured, never held for it).</param>
    /// <param name="cameraClock">A camera's own clock as last measured from its sender reports, by camera id (null or a null answer: not measured).</param>
    public EvidenceWriter(
        EvidenceBuilder builder,
        ICaseStore store,
        string parked,
        ILogger logger,
        Func<CaseRecord, OutboxMessage>? announce = null,
        Action<CaseRecord>? onStored = null,
        CaseIntake? intake = null,
        PlateSettings? plates = null,
        long reserveBytes = 0,
        string? fallbackParked = null,
        int builders = 1,
        Func<ClockHealth>? clock = null,
        Func<string, EvidenceCameraClock?>? cameraClock = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(builders);
        _builders = new SemaphoreSlim(builders);
        _builder = builder;
        _recorder = new CaseRecorder(builder, store, intake, plates, announce);
        _parking = new EvidenceParking(parked, fallbackParked);
        _disk = new DiskGuard(builder.Root, reserveBytes);
        _logger = logger;
        _onStored = onStored;
        _clock = clock;
        _cameraClock = cameraClock;
        _health = new EvidenceHealth { Directory = builder.Root, ReserveBytes = reserveBytes, StateSince = DateTimeOffset.UtcNow, FreeBytes = _disk.FreeBytes() };
        _builder.CleanIncoming();
        _worker = Task.Run(WorkAsync);
    }

    public int Written => (int)Health.Written;

    public int Failed => (int)Health.Failed;

    /// <summary>Candidates enqueued whose package is not finished yet (held ones are not: they are parked).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Where packages go, whether there is room, what was written and what waits.</summary>
    public EvidenceHealth Health
    {
        get
        {
            lock (_lock)
            {
                return _health;
            }
        }
    }

    public void Enqueue(ViolationCandidate candidate, EvidenceCamera camera, IEvidenceSource source)
    {
        Interlocked.Increment(ref _pending);
        var kept = source.Keep(candidate.BeforeLine.At - EvidenceBuilder.Before); // the ring keeps its recording meanwhile
        var clock = MeasuredClock();
        if (!_queue.Writer.TryWrite(new Job(candidate, camera, source, kept, Clock: clock, CameraClock: _cameraClock?.Invoke(camera.Id))))
        {
            kept.Dispose();
            Interlocked.Decrement(ref _pending);
            LogFailed(camera.Id, candidate.VehicleTrackId, "the evidence writer has already stopped", _parking.Park(candidate, "the evidence writer had stopped", clock: clock) ?? "nowhere: the parked folders cannot be written");
        }
    }

    /// <summary>
    /// Takes up the candidates an earlier run held for lack of space (their parked files, marked held), for the cameras
    /// <paramref name="sourceOf"/> still has: queued again, oldest first, built when there is room (if their recording
    /// is still there), their parked file removed once the case is stored. Returns how many.
    /// </summary>
    public int ResumeParked(Func<string, (EvidenceCamera Camera, IEvidenceSource Source)?> sourceOf)
    {
        ArgumentNullException.ThrowIfNull(sourceOf);
        var resumed = new List<(ParkedCandidate Parked, string File, EvidenceCamera Camera, IEvidenceSource Source)>();
        foreach (var (parked, file) in _parking.Held((file, error) => LogUnreadableParked(file, error)))
        {
            if (sourceOf(parked.Candidate.CameraId) is { } where)
            {
                resumed.Add((parked, file, where.Camera, where.Source));
            }
        }

        var queued = 0;
        foreach (var (parked, file, camera, source) in resumed.OrderBy(r => r.Parked.Candidate.OnLine.At))
        {
            Interlocked.Increment(ref _pending);
            var kept = source.Keep(parked.Candidate.BeforeLine.At - EvidenceBuilder.Before);
            if (!_queue.Writer.TryWrite(new Job(parked.Candidate, camera, source, kept, file, parked.Reason, parked.Clock)))
            {
                kept.Dispose();
                Interlocked.Decrement(ref _pending);
                break; // stopped: they stay parked
            }

            queued++;
        }

        if (queued > 0)
        {
            LogResumedParked(queued);
        }

        return queued;
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
        _builders.Dispose();
    }

    private async Task WorkAsync()
    {
        while (await WaitForWorkAsync().ConfigureAwait(false))
        {
            if (HeldCount > 0 && HasRoomAgain() && !ClockHolds())
            {
                await Task.WhenAll(_running).ConfigureAwait(false); // the held ones go first, in order, alone
                await RetryHeldAsync().ConfigureAwait(false);
            }

            while (_queue.Reader.TryRead(out var job))
            {
                if (HeldCount > 0 || !HasRoom() || ClockHolds())
                {
                    Hold(job, null); // behind the ones already waiting, in order
                    Interlocked.Decrement(ref _pending);
                }
                else
                {
                    Start(job);
                }
            }
        }

        // Stopping: the packages under way are finished, then one last look for room; what is still held stays
        // parked for the operator.
        await Task.WhenAll(_running).ConfigureAwait(false);
        if (HeldCount > 0 && HasRoomAgain() && !ClockHolds())
        {
            await RetryHeldAsync().ConfigureAwait(false);
        }

        foreach (var held in _held)
        {
            held.Kept.Dispose();
            if (held.ParkedAt is null)
            {
                var candidate = JsonSerializer.Serialize(held.Candidate, EvidenceJson.Compact); // in the log at least
                LogLost(held.Camera.Id, held.Candidate.VehicleTrackId, candidate);
            }
        }
    }

    private int HeldCount
    {
        get
        {
            lock (_heldLock)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Starts a job beside the others; its case is stored after its camera's job before it.</summary>
    private void Start(Job job)
    {
        var before = _lastOfCamera.GetValueOrDefault(job.Camera.Id) ?? Task.CompletedTask;
        var running = RunAsync(job, before);
        _lastOfCamera[job.Camera.Id] = running;
        _running.RemoveAll(t => t.IsCompleted);
        _running.Add(running);
    }

    private async Task RunAsync(Job job, Task before)
    {
        try
        {
            await Task.Yield(); // off the worker: it goes on starting the others
            var (outcome, parkedAt) = await BuildAsync(job, before).ConfigureAwait(false);
            Finish(job, outcome, parkedAt);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>
    /// True when there may be a candidate to read; while candidates are held or packages under way (which may find the
    /// disk full), also every couple of seconds to look at the disk. False once stopped and drained.
    /// </summary>
    private async Task<bool> WaitForWorkAsync()
    {
        if (HeldCount == 0 && _running.TrueForAll(t => t.IsCompleted))
        {
            return await _queue.Reader.WaitToReadAsync().ConfigureAwait(false);
        }

        using var look = new CancellationTokenSource(SpaceCheckEvery);
        try
        {
            return await _queue.Reader.WaitToReadAsync(look.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (look.IsCancellationRequested)
        {
            return true;
        }
    }

    /// <summary>
    /// Waits for the candidate's recording, builds the package in one of the builders, waits for <paramref name="before"/>
    /// (its camera's job before it) and stores the case; a lack of space holds the candidate, any other failure parks
    /// it. Returns what became of it and, when parked or held, its parked file.
    /// </summary>
    private async Task<(Outcome Outcome, string? ParkedAt)> BuildAsync(Job job, Task? before = null)
    {
        var (candidate, camera, source, _, _, heldFor, clock, cameraClock) = job;
        try
        {
            await source.WaitForRecordingAsync(candidate.Leaving.At + EvidenceBuilder.After, CancellationToken.None).ConfigureAwait(false);
            EvidencePackage package;
            await _builders.WaitAsync().ConfigureAwait(false);
            try
            {
                package = await _recorder.BuildAsync(candidate, camera, source, clock, cameraClock).ConfigureAwait(false);
            }
            finally
            {
                _builders.Release();
            }

            if (before is not null)
            {
                await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            var stored = await _recorder.StoreAsync(candidate, package).ConfigureAwait(false);
            var took = Math.Max(0, (DateTimeOffset.UtcNow - candidate.Leaving.At).TotalSeconds);
            Update(h => h with { Written = h.Written + 1, StoredSeconds = h.StoredSeconds + took });
            _onStored?.Invoke(stored);
            LogWritten(package.CaseId, package.Folder);
            return (Outcome.Stored, null);
        }
        catch (Exception e) when (e is EvidenceException or IOException or UnauthorizedAccessException or Media.MediaException or StorageException)
        {
            if (DiskGuard.IsDiskFull(e))
            {
                return (Outcome.Held, Hold(job, e.Message));
            }

            Update(h => h with { Failed = h.Failed + 1 });
            var reason = heldFor is null ? e.Message : $"{e.Message} (held first: {heldFor})";
            var parked = _parking.Park(candidate, reason, clock: clock);
            LogFailed(camera.Id, candidate.VehicleTrackId, reason, parked ?? "nowhere: the parked folders cannot be written");
            return (Outcome.Parked, parked);
        }
    }

    /// <summary>
    /// Builds the held candidates, oldest first, now that there is room; stops at the first that finds the disk full
    /// again (it and the rest stay held, in order), or before one when the clock is off again. One whose recording is
    /// gone by now stays parked with that reason.
    /// </summary>
    private async Task RetryHeldAsync()
    {
        var wasClock = Health.State == EvidenceState.ClockHeld;
        Update(h => h with { State = EvidenceState.Writing, StateSince = DateTimeOffset.UtcNow });
        var freeMegabytes = _disk.FreeBytes() / (1024 * 1024);
        Queue<Job> waiting;
        lock (_heldLock)
        {
            waiting = new Queue<Job>(_held);
            _held.Clear();
        }

        if (wasClock && _clock is not null)
        {
            var offset = _clock().OffsetMs;
            LogClockRight(offset, waiting.Count);
        }
        else
        {
            LogRoomAgain(_builder.Root, freeMegabytes, waiting.Count);
        }
        while (waiting.TryPeek(out var held))
        {
            if (ClockHolds())
            {
                lock (_heldLock)
                {
                    _held.InsertRange(0, waiting); // the clock went off again: they wait on, first
                }

                EnterHeld(EvidenceState.ClockHeld, ClockHeldReason(), _disk.FreeBytes());
                break;
            }

            waiting.Dequeue();
            var (outcome, parkedAt) = await BuildAsync(held).ConfigureAwait(false);
            if (outcome == Outcome.Held)
            {
                lock (_heldLock)
                {
                    _held.AddRange(waiting);
                }

                break;
            }

            Finish(held, outcome, parkedAt);
        }

        PublishHeld();
    }

    /// <summary>
    /// A candidate stored or parked for good lets its recording go; a held candidate's earlier parked file goes once it
    /// is stored, or parked anew under another name.
    /// </summary>
    private static void Finish(Job job, Outcome outcome, string? parkedAt)
    {
        if (outcome == Outcome.Held)
        {
            return;
        }

        job.Kept.Dispose();
        if (job.ParkedAt is { } old && old != parkedAt)
        {
            EvidenceParking.TryDelete(old);
        }
    }

    /// <summary>
    /// Keeps a candidate for when there is room again (or the clock is right again), parked on disk with the reason;
    /// says "disk full" (or "clock held") in the health. Returns its parked file (null: kept in memory only for now).
    /// </summary>
    private string? Hold(Job job, string? error)
    {
        var free = _disk.FreeBytes();
        var mb = 1024.0 * 1024;
        var forClock = error is null && _disk.HasRoom(free) && ClockHolds();
        var reason = forClock ? ClockHeldReason()
            : string.Create(CultureInfo.InvariantCulture, $"{_builder.Root}: evidence disk full: ") + (
                error is not null ? error
                : !_disk.HasRoom(free) ? string.Create(CultureInfo.InvariantCulture, $"{free / mb:0.#} MB free, below the reserve of {_disk.ReserveBytes / mb:0.#} MB (evidence.minFreeMegabytes)")
                : string.Create(CultureInfo.InvariantCulture, $"{free / mb:0.#} MB free, waiting for {(_disk.ReserveBytes + DiskGuard.ResumeHeadroomBytes) / mb:0.#} MB before building again"));
        var parked = ParkHeld(job, reason);
        if (parked is not null && job.ParkedAt is { } old && old != parked)
        {
            EvidenceParking.TryDelete(old);
        }

        lock (_heldLock)
        {
            _held.Add(job with { ParkedAt = parked ?? job.ParkedAt, HeldFor = reason });
        }

        EnterHeld(forClock ? EvidenceState.ClockHeld : EvidenceState.DiskFull, reason, free);
        if (forClock)
        {
            LogHeldForClock(job.Camera.Id, job.Candidate.VehicleTrackId, parked ?? "memory only (no parked folder can be written)");
        }
        else
        {
            LogHeld(job.Camera.Id, job.Candidate.VehicleTrackId, parked ?? "memory only (no parked folder can be written)");
        }

        return parked;
    }

    /// <summary>The health says why candidates are held; the first time in a while, the log too.</summary>
    private void EnterHeld(EvidenceState state, string reason, long free)
    {
        var now = DateTimeOffset.UtcNow;
        var entered = false;
        var until = state == EvidenceState.ClockHeld ? "the clock is within clock.holdOffsetMs" : "there is room";
        Update(h =>
        {
            entered = h.State != state;
            return h with
            {
                State = state,
                StateSince = entered ? now : h.StateSince,
                FreeBytes = free,
                LastError = $"{reason}; no new evidence package until {until}",
                LastErrorAt = now,
            };
        });
        PublishHeld();
        if (entered && state == EvidenceState.ClockHeld)
        {
            LogClockHeld(reason);
        }
        else if (entered)
        {
            LogDiskFull(reason);
        }
    }

    /// <summary>Why a candidate is held for the clock: the clock in words.</summary>
    private string ClockHeldReason() => "clock " + (_clock is null ? "unknown" : Clock.ClockWatch.Describe(_clock()));

    /// <summary>New candidates wait: the box's clock is off by more than clock.holdOffsetMs.</summary>
    private bool ClockHolds() => _clock?.Invoke().HoldsCandidates == true;

    /// <summary>The box's clock now, as a package records it; null when it is not measured (no servers, or none answered lately).</summary>
    private EvidenceClock? MeasuredClock() =>
        _clock?.Invoke() is { State: ClockState.Ok or ClockState.Off or ClockState.Holding, OffsetMs: { } offset, Server: { } server, MeasuredAt: { } at } h
            ? new EvidenceClock(Math.Round(offset, 1), Math.Round((h.DelayMs ?? 0) / 2, 1), server, at, h.MaxOffsetMs)
            : null;

    private string? ParkHeld(Job job, string reason) =>
        _parking.Park(job.Candidate, reason + "; held, and built once that is over if its recording is still there", held: true, job.Clock);

    private void PublishHeld()
    {
        lock (_heldLock)
        {
            Update(h => h with
            {
                Held = _held.Count,
                HeldInMemoryOnly = _held.Count(c => c.ParkedAt is null),
                ParkedIn = _held.Select(c => c.ParkedAt).FirstOrDefault(p => p is not null) is { } p ? Path.GetDirectoryName(p) : h.ParkedIn,
            });
        }
    }

    /// <summary>Room to start a package: the reserve is free.</summary>
    private bool HasRoom()
    {
        var free = _disk.FreeBytes();
        Update(h => h with { FreeBytes = free });
        return _disk.HasRoom(free);
    }

    /// <summary>Room again after the disk was full: the reserve and a couple of packages' worth are free. Parks what is only in memory meanwhile.</summary>
    private bool HasRoomAgain()
    {
        lock (_heldLock)
        {
            for (var i = 0; i < _held.Count; i++)
            {
                if (_held[i].ParkedAt is null && ParkHeld(_held[i], _held[i].HeldFor!) is { } parked)
                {
                    _held[i] = _held[i] with { ParkedAt = parked };
                }
            }
        }

        PublishHeld();

        var free = _disk.FreeBytes();
        Update(h => h with { FreeBytes = free });
        return _disk.HasRoomAgain(free);
    }

    private void Update(Func<EvidenceHealth, EvidenceHealth> change)
    {
        lock (_lock)
        {
            _health = change(_health);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "evidence {CaseId}: {Folder}")]
    private partial void LogWritten(string caseId, string folder);

    [LoggerMessage(Level = LogLevel.Error, Message = "camera {Camera}: the evidence of vehicle {Track} could not be built: {Error}; the candidate is kept in {Parked}")]
    private partial void LogFailed(string camera, int track, string error, string parked);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}: no new evidence package until there is room; new candidates are held and parked")]
    private partial void LogDiskFull(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Camera}: vehicle {Track} held for lack of space on the evidence disk; parked in {Parked}")]
    private partial void LogHeld(string camera, int track, string parked);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}: no new evidence package until the clock is within clock.holdOffsetMs; new candidates are held and parked")]
    private partial void LogClockHeld(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Camera}: vehicle {Track} held while the box's clock is off; parked in {Parked}")]
    private partial void LogHeldForClock(string camera, int track, string parked);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Folder}: room on the evidence disk again ({Free} MB free): building the {Count} held candidate(s)")]
    private partial void LogRoomAgain(string folder, long free, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "clock within clock.holdOffsetMs again (off by {OffsetMs} ms): building the {Count} held candidate(s), each with the offset measured at its event")]
    private partial void LogClockRight(double? offsetMs, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} candidate(s) held for lack of space before the last stop: queued again")]
    private partial void LogResumedParked(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "parked candidate {File} cannot be read ({Error}); left as it is")]
    private partial void LogUnreadableParked(string file, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "camera {Camera}: vehicle {Track} was held for lack of space and could be written nowhere before stopping; its candidate: {Candidate}")]
    private partial void LogLost(string camera, int track, string candidate);

    private enum Outcome
    {
        /// <summary>The package is in place and the case stored.</summary>
        Stored,

        /// <summary>Parked for good with the reason (not for lack of space).</summary>
        Parked,

        /// <summary>Held for lack of space: built once there is room again.</summary>
        Held,
    }

    /// <summary>
    /// A candidate to build, the recording kept for it until it is done, and the box's clock when it came; a held one
    /// knows its parked file and why it was held.
    /// </summary>
    /// <summary>A candidate to build, with the box's and the camera's clocks taken when it came (a parked one keeps the box's only).</summary>
    private sealed record Job(ViolationCandidate Candidate, EvidenceCamera Camera, IEvidenceSource Source, IDisposable Kept, string? ParkedAt = null, string? HeldFor = null, EvidenceClock? Clock = null, EvidenceCameraClock? CameraClock = null);

}
