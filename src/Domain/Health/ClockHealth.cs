namespace CrosswalkWatch.Domain.Health;

public enum ClockState
{
    /// <summary>No NTP server is configured (clock.servers empty): the clock is not checked.</summary>
    NotChecked,

    /// <summary>No measurement yet, or none lately: no server answered (<see cref="ClockHealth.Reason"/> says why).</summary>
    Unknown,

    /// <summary>Within clock.maxOffsetMs of the servers' time.</summary>
    Ok,

    /// <summary>
    /// Off by more than clock.maxOffsetMs (GA/T 832 allows 1 s): an error in the box's health, written into each
    /// evidence package made meanwhile.
    /// </summary>
    Off,

    /// <summary>Off by more than clock.holdOffsetMs: besides, new candidates are held until the clock is back within it.</summary>
    Holding,
}

/// <summary>
/// The box's clock as last measured against its NTP servers: the offset (the servers' time minus the box's, so a box
/// running ahead has a negative offset), from which server, how long the request took there and back, and the state
/// the limits give it.
/// </summary>
public sealed record ClockHealth
{
    public ClockState State { get; init; }

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset StateSince { get; init; }

    /// <summary>The last offset measured, milliseconds; null before any server answered.</summary>
    public double? OffsetMs { get; init; }

    /// <summary>The round trip of that measurement, milliseconds (the offset is known to within half of it).</summary>
    public double? DelayMs { get; init; }

    /// <summary>The server that answered (host:port).</summary>
    public string? Server { get; init; }

    /// <summary>When the last offset was measured (the box's own time).</summary>
    public DateTimeOffset? MeasuredAt { get; init; }

    /// <summary>clock.maxOffsetMs: above it the clock is an error.</summary>
    public int MaxOffsetMs { get; init; }

    /// <summary>clock.holdOffsetMs: above it new candidates are held.</summary>
    public int HoldOffsetMs { get; init; }

    /// <summary>Why the last check found nothing (no server answered, and how each failed); null after an answer.</summary>
    public string? Reason { get; init; }

    /// <summary>An error in the box's health: off by more than clock.maxOffsetMs.</summary>
    public bool IsError => State is ClockState.Off or ClockState.Holding;

    /// <summary>New candidates wait (are held) while this is true.</summary>
    public bool HoldsCandidates => State == ClockState.Holding;

    /// <summary>The clock's state for an offset under the limits: Ok up to maxOffsetMs, Off above it, Holding above holdOffsetMs.</summary>
    public static ClockState StateOf(double offsetMs, int maxOffsetMs, int holdOffsetMs)
    {
        var off = Math.Abs(offsetMs);
        return off > holdOffsetMs ? ClockState.Holding : off > maxOffsetMs ? ClockState.Off : ClockState.Ok;
    }
}
