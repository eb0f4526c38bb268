using CrosswalkWatch.Config;
using CrosswalkWatch.Detector.CameraView;
using CrosswalkWatch.Domain;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Scene;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Edge.Pipeline;

/// <summary>A camera's <c>ingest.viewCheck*</c> settings; null from <see cref="Of"/> when the check is off.</summary>
public sealed record ViewCheckSettings(double CheckSeconds, ViewLimits Limits)
{
    public static ViewCheckSettings? Of(IngestSettings ingest)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        return ingest.ViewCheck ? new ViewCheckSettings(ingest.ViewCheckSeconds, new ViewLimits(ingest.ViewMovePercent, ingest.ViewTurnDegrees)) : null;
    }
}

/// <summary>
/// Watches one camera's view against its reference picture (<see cref="ViewReferenceFile"/>), as a vendor's video
/// diagnosis does: every <see cref="ViewCheckSettings.CheckSeconds"/> it compares the median of the last few frames
/// (<see cref="ViewSampler"/>, one taken every fifth of the interval, so passing traffic fades out) with the
/// reference and judges it (<see cref="ViewJudge"/>). A state changes only when <see cref="Confirm"/> checks in a row
/// agree, so one odd check (a bus parked in front of the camera for a moment) changes nothing.
/// <para>
/// The reference belongs to a version of the camera's scene: when the scene file changes (an operator saved it from
/// the console, or applied the estimated shift) the new scene is loaded and handed to the pipeline
/// (<see cref="ViewStep.Scene"/>), and the reference is taken again from the view of that moment. A box that starts
/// with no reference for its scene's version takes one from the first usable view.
/// </para>
/// Not thread-safe: one watch per camera pipeline, called on its loop.
/// </summary>
public sealed partial class ViewWatch
{
    /// <summary>Checks in a row that must agree before the state changes.</summary>
    public const int Confirm = 2;

    private readonly string _dataDirectory;
    private readonly string? _scenePath;
    private readonly ViewCheckSettings _settings;
    private readonly ILogger _logger;
    private readonly YieldRuleSettings _cameraRule;
    private readonly ViewSampler _sampler = new();
    private readonly TimeSpan _sampleEvery;
    private readonly TimeSpan _checkEvery;
    private ViewPicture? _reference;
    private string _sceneVersion;
    private DateTime _sceneWrittenAt;
    private DateTimeOffset? _lastSample;
    private DateTimeOffset _nextCheck;
    private ViewState _pending;
    private int _agreeing;

    /// <param name="scenePath">The camera's scene file, watched for changes; null when the scene is not a file (tests).</param>
    /// <param name="cameraRule">The camera's rule settings, under a saved scene's own <c>rule:</c>.</param>
    public ViewWatch(string cameraId, string dataDirectory, string? scenePath, ViewCheckSettings settings, YieldRuleSettings cameraRule, ILogger logger)
    {
        _cameraRule = cameraRule;
        ArgumentNullException.ThrowIfNull(settings);
        CameraId = cameraId;
        _dataDirectory = dataDirectory;
        _scenePath = scenePath;
        _settings = settings;
        _logger = logger;
        _checkEvery = TimeSpan.FromSeconds(settings.CheckSeconds);
        _sampleEvery = _checkEvery / ViewSampler.Samples;
        (_sceneVersion, _sceneWrittenAt) = scenePath is null ? ("", default) : (SceneLoader.VersionOf(File.ReadAllText(scenePath)), File.GetLastWriteTimeUtc(scenePath));
        State = ViewState.Learning;
        WhyPhrase = Phrase.Of("view.learning", "taking the reference picture");
        LoadReference();
    }

    public string CameraId { get; }

    public ViewState State { get; private set; }

    /// <summary>When <see cref="State"/> last changed (null until the first frame).</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>What the last check found, in English.</summary>
    public string Why => WhyPhrase.English;

    /// <summary>What the last check found, as a phrase the console words in its reader's language.</summary>
    public Phrase WhyPhrase { get; private set; }

    /// <summary>The move and turn the last check measured (null before one).</summary>
    public ViewShift? Shift { get; private set; }

    /// <summary>When the reference was taken; null while there is none.</summary>
    public DateTimeOffset? ReferenceAt { get; private set; }

    /// <summary>Whether the camera may produce candidates (<see cref="ViewStates.Judges"/>).</summary>
    public bool Judging => State.Judges();

    /// <summary>What the last check alone found, before <see cref="Confirm"/> checks agree on it.</summary>
    public ViewState LastFound { get; private set; } = ViewState.Learning;

    /// <summary>
    /// Whether candidates held since the last check may be handed on: the camera judges and the last check found
    /// nothing against it either (a move the next check may confirm keeps them held).
    /// </summary>
    public bool Sound => Judging && LastFound.Judges();

    /// <summary>Takes the frame (the caller keeps it) as a sample when one is due, and checks the view when a check is due.</summary>
    public ViewStep Observe(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var at = frame.CapturedAt;
        Since ??= at;
        if (_lastSample is { } last && at < last)
        {
            // The clock went back (a reconnect, a file from its start): sample afresh.
            _sampler.Clear();
            _lastSample = null;
        }

        if (_lastSample is { } previous && at - previous < _sampleEvery)
        {
            return default;
        }

        _sampler.Add(frame);
        _lastSample = at;
        if (!_sampler.Full || at < _nextCheck)
        {
            return default;
        }

        _nextCheck = at + _checkEvery;
        var scene = SceneChanged();
        using var live = _sampler.Median()!;
        if (scene is not null || _reference is null || _reference.Height != live.Height)
        {
            // A first start, a saved scene, or a stream that came back at another aspect: the view of now is the reference.
            TakeReference(live, at, frame);
            return new ViewStep(Checked: true, scene, scene?.RuleFor(_cameraRule));
        }

        var reading = ViewCompare.Compare(_reference, live);
        var (state, why) = ViewJudge.Judge(reading, _settings.Limits);
        Shift = reading.Shift;
        WhyPhrase = why;
        LastFound = state;
        if (state != ViewState.Ok)
        {
            TryWrite(() => ViewReferenceFile.WriteLive(_dataDirectory, CameraId, live));
        }

        Settle(state, at);
        return new ViewStep(Checked: true, null);
    }

    private void Settle(ViewState state, DateTimeOffset at)
    {
        if (state == State)
        {
            _agreeing = 0;
            return;
        }

        _agreeing = state == _pending ? _agreeing + 1 : 1;
        _pending = state;
        if (_agreeing < Confirm)
        {
            return;
        }

        var was = State;
        State = state;
        Since = at;
        _agreeing = 0;
        if (state == ViewState.Ok)
        {
            Back(_logger, CameraId, was, Why);
        }
        else
        {
            Fault(_logger, CameraId, state, Why, state.Judges() ? "" : "; no candidates until it is put right or its scene is saved again");
        }
    }

    /// <summary>The camera's reference when it was taken for the scene in use; otherwise none (one is taken at the first check).</summary>
    private void LoadReference()
    {
        try
        {
            if (ViewReferenceFile.Read(_dataDirectory, CameraId) is { } found)
            {
                if (found.Info.SceneVersion == _sceneVersion)
                {
                    _reference = found.Picture;
                    ReferenceAt = found.Info.TakenAt;
                    return;
                }

                found.Picture.Dispose();
                ReferenceOutdated(_logger, CameraId, found.Info.TakenAt);
            }
        }
        catch (InvalidDataException e)
        {
            ReferenceUnreadable(_logger, CameraId, e.Message);
        }
    }

    /// <summary>The scene file's new scene when it changed since last looked at; null otherwise, or when it cannot be loaded (logged; the scene in use stays).</summary>
    private SceneDefinition? SceneChanged()
    {
        if (_scenePath is null)
        {
            return null;
        }

        try
        {
            var writtenAt = File.GetLastWriteTimeUtc(_scenePath);
            if (writtenAt == _sceneWrittenAt)
            {
                return null;
            }

            _sceneWrittenAt = writtenAt;
            var text = File.ReadAllText(_scenePath);
            var version = SceneLoader.VersionOf(text);
            if (version == _sceneVersion)
            {
                return null;
            }

            var scene = SceneLoader.Parse(text, _scenePath);
            _sceneVersion = version;
            SceneSaved(_logger, CameraId, _scenePath, version);
            return scene;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ConfigException)
        {
            SceneUnloadable(_logger, CameraId, _scenePath, e.Message);
            return null;
        }
    }

    private void TakeReference(ViewPicture live, DateTimeOffset at, Frame frame)
    {
        if (!ViewCompare.Usable(live, out var why))
        {
            WhyPhrase = Phrase.Of("view.waiting", "waiting for a usable view to take as reference: {why}", ("why", why!));
            State = LastFound = ViewState.Learning;
            return;
        }

        var picture = ViewPicture.FromImage(live.ToJpeg()); // the reference as it is kept: what a restart will read
        _reference?.Dispose();
        _reference = picture;
        ReferenceAt = at;
        TryWrite(() => ViewReferenceFile.Write(_dataDirectory, new ViewReferenceInfo(CameraId, _sceneVersion, at, frame.Width, frame.Height), picture));
        ReferenceTaken(_logger, CameraId, _sceneVersion);
        (State, LastFound, Since, WhyPhrase, Shift, _agreeing) = (ViewState.Ok, ViewState.Ok, at, Phrase.Of("view.referenceTaken", "reference picture taken"), ViewShift.None, 0);
    }

    /// <summary>The view files are for the console: failing to write one (a full disk) is logged, never stops the camera.</summary>
    private void TryWrite(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Unwritable(_logger, CameraId, _dataDirectory, e.Message);
        }
    }

    /// <summary>Candidates completed before a check found the view moved or blocked were dropped (the pipeline says how many).</summary>
    internal void Dropped(int count) => CandidatesDropped(_logger, CameraId, count, State);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Camera}: the view matches its reference again (was {Was}): {Why}")]
    private static partial void Back(ILogger logger, string camera, ViewState was, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Camera}: camera {State}: {Why}{Pause}")]
    private static partial void Fault(ILogger logger, string camera, ViewState state, string why, string pause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Camera}: {Count} candidates dropped: the camera turned out {State} before they were handed on")]
    private static partial void CandidatesDropped(ILogger logger, string camera, int count, ViewState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Camera}: the scene changed since the reference picture of {TakenAt:O} was taken; taking a new one")]
    private static partial void ReferenceOutdated(ILogger logger, string camera, DateTimeOffset takenAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Camera}: the reference picture cannot be read ({Reason}); taking a new one")]
    private static partial void ReferenceUnreadable(ILogger logger, string camera, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Camera}: scene {Scene} was saved (version {Version}); judging with it from now on")]
    private static partial void SceneSaved(ILogger logger, string camera, string scene, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Camera}: scene {Scene} changed but cannot be loaded; the scene in use stays: {Reason}")]
    private static partial void SceneUnloadable(ILogger logger, string camera, string scene, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Camera}: reference picture taken for scene version {Version}")]
    private static partial void ReferenceTaken(ILogger logger, string camera, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Camera}: cannot write its view files under {Data}/view: {Reason}")]
    private static partial void Unwritable(ILogger logger, string camera, string data, string reason);
}

/// <summary>What <see cref="ViewWatch.Observe"/> did with a frame: whether it checked the view, and the new scene when the scene file changed.</summary>
public readonly record struct ViewStep(bool Checked, SceneDefinition? Scene, YieldRuleSettings? Rule = null);
