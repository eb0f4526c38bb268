namespace CrosswalkWatch.Domain.Health;

/// <summary>A camera's clock against the box's, as its RTCP sender reports show it.</summary>
public enum CameraClockState
{
    /// <summary>Not a live RTSP camera: nothing to measure.</summary>
    NotChecked,

    /// <summary>Not measured yet, or the last probe failed (<see cref="CameraHealth.ClockDetail"/> says why).</summary>
    Unknown,

    /// <summary>The camera sent no sender report in time: many cameras send none; not an error.</summary>
    NoReports,

    /// <summary>Within clock.maxOffsetMs of the box's clock.</summary>
    Ok,

    /// <summary>Off by more than clock.maxOffsetMs: an error in the camera's health.</summary>
    Off,
}
