using System.Globalization;
using CrosswalkWatch.Domain;
using CrosswalkWatch.Domain.Health;

namespace CrosswalkWatch.Detector.CameraView;

/// <summary>
/// The limits a live view is judged by: <see cref="MovePercent"/> and <see cref="TurnDegrees"/> are settings (a
/// camera high on a pole shakes in the wind; a low one does not), the others are fixed.
/// </summary>
public sealed record ViewLimits(double MovePercent = 2, double TurnDegrees = 1.5)
{
    /// <summary>Below this correlation once aligned, the live view does not match the reference at all.</summary>
    public const double MinMatch = 0.5;

    /// <summary>This share of the detailed tiles uniform or more is a blocked lens.</summary>
    public const double BlockedShare = 0.25;

    /// <summary>Less than this share of the reference's edge energy left is a blurred picture.</summary>
    public const double BlurRatio = 0.25;

    /// <summary>This share of the pixels almost black (or <see cref="BrightShare"/> almost white) is a bad exposure.</summary>
    public const double DarkShare = 0.7;

    public const double BrightShare = 0.5;
}

/// <summary>
/// One reading judged: the worst problem first (exposure, then blocked, blurred, moved), with why as a phrase (its
/// English for logs and the command line; the console words it in its reader's language).
/// </summary>
public static class ViewJudge
{
    public static (ViewState State, Phrase Why) Judge(ViewReading reading, ViewLimits limits)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(limits);
        if (reading.DarkShare >= ViewLimits.DarkShare)
        {
            return (ViewState.Exposure, Phrase.Of("view.dark", "too dark: {share} of the picture is black", ("share", Percent(reading.DarkShare))));
        }

        if (reading.BrightShare >= ViewLimits.BrightShare)
        {
            return (ViewState.Exposure, Phrase.Of("view.bright", "too bright: {share} of the picture is white", ("share", Percent(reading.BrightShare))));
        }

        if (reading.CoveredShare >= ViewLimits.BlockedShare)
        {
            return (ViewState.Blocked, Phrase.Of("view.covered", "{share} of the picture's detail is covered", ("share", Percent(reading.CoveredShare))));
        }

        if (reading.EdgeRatio < ViewLimits.BlurRatio)
        {
            return (ViewState.Blurred, Phrase.Of("view.blurred", "{share} of the reference's edge detail is left", ("share", Percent(reading.EdgeRatio))));
        }

        var match = reading.Match.ToString("F2", CultureInfo.InvariantCulture);
        if (reading.Match < ViewLimits.MinMatch)
        {
            return (ViewState.Moved, Phrase.Of("view.noMatch", "the view no longer matches the reference (correlation {match})", ("match", match)));
        }

        if (reading.MovePercent > limits.MovePercent || Math.Abs(reading.Shift.Degrees) > limits.TurnDegrees)
        {
            return (ViewState.Moved, Describe(reading.Shift));
        }

        return (ViewState.Ok, Phrase.Of("view.matches", "matches the reference (correlation {match}, {shift})", ("match", match), ("shift", Describe(reading.Shift))));
    }

    /// <summary>"shifted 4.1 % right and 1.2 % down, turned 0.8° clockwise".</summary>
    public static Phrase Describe(ViewShift shift)
    {
        ArgumentNullException.ThrowIfNull(shift);
        return Phrase.Of(
            "view.shift",
            "shifted {x} {horizontal} and {y} {vertical}, turned {degrees}° {turn}",
            ("x", Math.Abs(shift.X).ToString("P1", CultureInfo.InvariantCulture)),
            ("horizontal", shift.X < 0 ? "@view.left" : "@view.right"),
            ("y", Math.Abs(shift.Y).ToString("P1", CultureInfo.InvariantCulture)),
            ("vertical", shift.Y < 0 ? "@view.up" : "@view.down"),
            ("degrees", Math.Abs(shift.Degrees).ToString("F1", CultureInfo.InvariantCulture)),
            ("turn", shift.Degrees < 0 ? "@view.anticlockwise" : "@view.clockwise"));
    }

    private static string Percent(double share) => share.ToString("P0", CultureInfo.InvariantCulture);
}
