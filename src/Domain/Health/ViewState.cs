namespace CrosswalkWatch.Domain.Health;

/// <summary>
/// What the camera's view check says of its picture against the reference taken when its scene was last saved
/// (the vendors' "video diagnosis"). A <see cref="Moved"/> or <see cref="Blocked"/> camera produces no candidate.
/// </summary>
public enum ViewState
{
    /// <summary>Not checked: the check is off, or the camera is not judged.</summary>
    Unchecked,

    /// <summary>No reference picture yet: the check is taking one from the live view.</summary>
    Learning,

    /// <summary>The view matches the reference.</summary>
    Ok,

    /// <summary>Shifted or turned beyond the settings, or no longer matching the reference at all: the drawn scene no longer lies on the road.</summary>
    Moved,

    /// <summary>A large part of the picture that had detail is now uniform: something covers the lens.</summary>
    Blocked,

    /// <summary>Most of the picture's edge detail is gone: the focus drifted, or the lens is fogged or dirty.</summary>
    Blurred,

    /// <summary>The picture is almost all black or all white.</summary>
    Exposure,
}

/// <summary>
/// How far the live view lies from the reference: a move by <see cref="X"/> and <see cref="Y"/> (fractions of the
/// picture's width and height; positive to the right and down) and a turn by <see cref="Degrees"/> about the picture's
/// centre (positive clockwise, as the picture is seen). A point of the reference at p is seen in the live view at
/// the centre + R(Degrees)·(p − centre) + (X, Y), in pixels.
/// </summary>
public sealed record ViewShift(double X, double Y, double Degrees)
{
    public static readonly ViewShift None = new(0, 0, 0);
}

public static class ViewStates
{
    /// <summary>Whether a camera in this state may produce candidates.</summary>
    public static bool Judges(this ViewState state) => state is not (ViewState.Moved or ViewState.Blocked);
}
