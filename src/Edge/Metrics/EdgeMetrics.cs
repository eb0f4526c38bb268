using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Messaging.Metrics;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace CrosswalkWatch.Edge.Metrics;

/// <summary>
/// The edge box's <c>/metrics</c> for Prometheus (<c>metrics.port</c>): each scrape reads the box's state as its
/// health does — per camera the stream (state, frames, drops, reconnects), the detector's share (frames taken, gated
/// by motion, skipped, idle, time in the model), and for the box the evidence (written, failed, parked, free disk) and
/// the outbox, and the clock's offset against its NTP servers. Counters are the box's own running totals, so a restart starts them at 0 as Prometheus expects.
/// </summary>
public static class EdgeMetrics
{
    /// <summary>Starts serving <paramref name="box"/>'s metrics where <paramref name="config"/> says.</summary>
    /// <exception cref="InvalidOperationException">The port cannot be listened on (in use, or not allowed); the message says which.</exception>
    public static MetricsEndpoint Start(EdgeBox box, MetricsConfig config, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(box);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var gauges = new Gauges(Prometheus.Metrics.WithCustomRegistry(registry));
        registry.AddBeforeCollectCallback(async cancellationToken => await gauges.ReadAsync(box, cancellationToken).ConfigureAwait(false));
        return MetricsEndpoint.Start(registry, config, logger);
    }

    /// <summary>The series, and how each is read from the box.</summary>
    private sealed class Gauges(MetricFactory metrics)
    {
        private static readonly string[] Camera = ["camera"];

        private readonly Gauge _state = metrics.CreateGauge("cww_camera_state", "1 for the camera's current state (connecting, streaming, stalled, reconnecting, ended, failed), 0 for the others.", ["camera", "state"]);
        private readonly Gauge _view = metrics.CreateGauge("cww_camera_view", "1 for what the view check finds of the camera's picture (ok, learning, moved, blocked, blurred, exposure), 0 for the others; absent where it is not checked. Moved and blocked cameras produce no candidates.", ["camera", "view"]);
        private readonly Gauge _cameraClock = metrics.CreateGauge("cww_camera_clock_offset_seconds", "The camera's clock minus the box's, from its RTCP sender reports at the last measurement; absent until measured and for cameras that send none.", Camera);
        private readonly Gauge _fps = metrics.CreateGauge("cww_camera_fps", "Frames per second handed to the detector over the last few seconds.", Camera);
        private readonly Counter _frames = metrics.CreateCounter("cww_camera_frames_total", "Frames handed to the detector.", Camera);
        private readonly Counter _drops = metrics.CreateCounter("cww_camera_drops_total", "Frames dropped because the detector was slower than the camera.", Camera);
        private readonly Counter _reconnects = metrics.CreateCounter("cww_camera_reconnects_total", "Reconnections to the camera.", Camera);
        private readonly Gauge _detectFps = metrics.CreateGauge("cww_detector_fps", "Frames per second the detector took from the camera over the last 5 s (the motion gate's among them).", Camera);
        private readonly Counter _taken = metrics.CreateCounter("cww_detector_frames_total", "Frames the detector took from the camera and judged.", Camera);
        private readonly Counter _gated = metrics.CreateCounter("cww_detector_gated_frames_total", "Of those, frames the motion gate kept from the model (nothing moved, nothing near the crosswalk).", Camera);
        private readonly Counter _skipped = metrics.CreateCounter("cww_detector_skipped_frames_total", "Frames skipped because the detector was busy with other cameras.", Camera);
        private readonly Gauge _idle = metrics.CreateGauge("cww_detector_idle", "1 while the motion gate holds the camera at its keep-alive rate.", Camera);
        private readonly Counter _busy = metrics.CreateCounter("cww_detector_seconds_total", "Wall time of the model's runs for the camera; with cww_detector_frames_total less gated, the time a run takes.", Camera);
        private readonly Gauge _overloaded = metrics.CreateGauge("cww_detector_overloaded", "1 when the detector cannot keep every camera at its rate and lowers them evenly.");
        private readonly Counter _written = metrics.CreateCounter("cww_evidence_written_total", "Evidence packages written.");
        private readonly Counter _storedSeconds = metrics.CreateCounter("cww_evidence_stored_seconds_total", "Seconds from the vehicle leaving the crosswalk to its case stored, added up over the packages written: with cww_evidence_written_total, the mean time to store a case.");
        private readonly Counter _failed = metrics.CreateCounter("cww_evidence_failed_total", "Evidence packages that could not be built for another reason than a full disk.");
        private readonly Gauge _pending = metrics.CreateGauge("cww_evidence_pending", "Candidates whose package is waiting for its recording or being built.");
        private readonly Gauge _parked = metrics.CreateGauge("cww_evidence_parked", "Candidates held (parked) for lack of room on the evidence disk.");
        private readonly Gauge _free = metrics.CreateGauge("cww_evidence_disk_free_bytes", "Free space on the evidence disk.");
        private readonly Gauge _full = metrics.CreateGauge("cww_evidence_disk_full", "1 while the evidence disk is below its reserve.");
        private readonly Gauge _outbox = metrics.CreateGauge("cww_outbox_depth", "Cases stored on the box and not yet delivered to the broker.");
        private readonly Gauge _clockOffset = metrics.CreateGauge("cww_clock_offset_seconds", "The box's clock offset from its NTP servers at the last measurement (their time minus the box's); absent until measured.");
        private readonly Gauge _clockError = metrics.CreateGauge("cww_clock_error", "1 while the box's clock is off by more than clock.maxOffsetMs (an error; evidence made meanwhile records it).");
        private readonly Gauge _clockHolding = metrics.CreateGauge("cww_clock_holding", "1 while the box's clock is off by more than clock.holdOffsetMs and new candidates are held.");

        public async Task ReadAsync(EdgeBox box, CancellationToken cancellationToken)
        {
            foreach (var camera in box.Health())
            {
                foreach (var state in Enum.GetValues<CameraState>())
                {
                    _state.WithLabels(camera.CameraId, state.ToString().ToLowerInvariant()).Set(camera.State == state ? 1 : 0);
                }

                if (camera.View != ViewState.Unchecked)
                {
                    foreach (var view in Enum.GetValues<ViewState>().Where(v => v != ViewState.Unchecked))
                    {
                        _view.WithLabels(camera.CameraId, view.ToString().ToLowerInvariant()).Set(camera.View == view ? 1 : 0);
                    }
                }

                if (camera.ClockOffsetMs is { } clockOffset)
                {
                    _cameraClock.WithLabels(camera.CameraId).Set(clockOffset / 1000);
                }

                _fps.WithLabels(camera.CameraId).Set(camera.Fps);
                _frames.WithLabels(camera.CameraId).IncTo(camera.Frames);
                _drops.WithLabels(camera.CameraId).IncTo(camera.Drops);
                _reconnects.WithLabels(camera.CameraId).IncTo(camera.Reconnects);
            }

            foreach (var share in box.Scheduler.Shares())
            {
                _detectFps.WithLabels(share.CameraId).Set(share.AchievedFps);
                _taken.WithLabels(share.CameraId).IncTo(share.Detected);
                _gated.WithLabels(share.CameraId).IncTo(share.Gated);
                _skipped.WithLabels(share.CameraId).IncTo(share.Skipped);
                _idle.WithLabels(share.CameraId).Set(share.Idle ? 1 : 0);
            }

            foreach (var pipeline in box.Pipelines)
            {
                _busy.WithLabels(pipeline.CameraId).IncTo(pipeline.Busy.Detect.TotalSeconds);
            }

            _overloaded.Set(box.Scheduler.Overloaded ? 1 : 0);
            var evidence = box.Evidence.Health;
            _written.IncTo(evidence.Written);
            _storedSeconds.IncTo(evidence.StoredSeconds);
            _failed.IncTo(evidence.Failed);
            _pending.Set(box.Evidence.Pending);
            _parked.Set(evidence.Held);
            _free.Set(evidence.FreeBytes);
            _full.Set(evidence.State == EvidenceState.DiskFull ? 1 : 0);
            _outbox.Set(await box.OutboxDepthAsync(cancellationToken).ConfigureAwait(false));
            var clock = box.Clock.Health;
            if (clock.OffsetMs is { } offset)
            {
                _clockOffset.Set(offset / 1000);
            }

            _clockError.Set(clock.IsError ? 1 : 0);
            _clockHolding.Set(clock.HoldsCandidates ? 1 : 0);
        }
    }
}
