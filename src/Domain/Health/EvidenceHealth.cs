namespace CrosswalkWatch.Domain.Health;

public enum EvidenceState
{
    /// <summary>Packages are built as candidates come.</summary>
    Writing,

    /// <summary>
    /// The evidence disk is below its reserve, or a write failed for lack of space: no new package is started; new
    /// candidates are held (parked, and built once there is room again).
    /// </summary>
    DiskFull,

    /// <summary>
    /// The box's clock is off by more than clock.holdOffsetMs: new candidates are held (parked, and built once the
    /// clock is within it again, with the offset measured at their event in the package).
    /// </summary>
    ClockHeld,
}

/// <summary>A snapshot of the evidence writer's health: where packages go, whether there is room, and what waits.</summary>
public sealed record EvidenceHealth
{
    /// <summary>The evidence folder (its disk is the one checked).</summary>
    public required string Directory { get; init; }

    public EvidenceState State { get; init; }

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset StateSince { get; init; }

    /// <summary>Free bytes on the evidence disk when last looked at.</summary>
    public long FreeBytes { get; init; }

    /// <summary>The free space kept (evidence.minFreeMegabytes).</summary>
    public long ReserveBytes { get; init; }

    /// <summary>Packages built and cases stored since start.</summary>
    public long Written { get; init; }

    /// <summary>
    /// Of those, the seconds from the vehicle leaving the crosswalk (its frame's capture) to the case stored, added up:
    /// over <see cref="Written"/>, the mean time a case takes to be stored.
    /// </summary>
    public double StoredSeconds { get; init; }

    /// <summary>Candidates whose package could not be built for another reason than space (parked for good).</summary>
    public long Failed { get; init; }

    /// <summary>Candidates waiting for room (or for the clock): parked with their reason and built once there is room again.</summary>
    public int Held { get; init; }

    /// <summary>Of <see cref="Held"/>, those whose parked file could not be written either: kept in memory only.</summary>
    public int HeldInMemoryOnly { get; init; }

    /// <summary>Where held candidates are parked (their JSON and the reason).</summary>
    public string? ParkedIn { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }
}
