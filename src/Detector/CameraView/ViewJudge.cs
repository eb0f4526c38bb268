using System.Globalization;
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

/// <summary>One reading judged: the worst problem first (exposure, then blocked, blurred, moved), with why in English.</summary>
public static class ViewJudge
{
    public static (ViewState State, string Why) Judge(ViewReading reading, ViewLimits limits)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(limits);
        var c = CultureInfo.InvariantCulture;
        if (reading.DarkShare >= ViewLimits.DarkShare)
        {
            return (ViewState.Exposure, string.Create(c, $"too dark: {reading.DarkShare:P0} of the picture is black"));
        }

        if (reading.BrightShare >= ViewLimits.BrightShare)
        {
            return (ViewState.Exposure, string.Create(c, $"too bright: {reading.BrightShare:P0} of the picture is white"));
        }

        if (reading.CoveredShare >= ViewLimits.BlockedShare)
        {
            return (ViewState.Blocked, string.Create(c, $"{reading.CoveredShare:P0} of the picture's detail is covered"));
        }

        if (reading.EdgeRatio < ViewLimits.BlurRatio)
        {
            return (ViewState.Blurred, string.Create(c, $"{reading.EdgeRatio:P0} of the reference's edge detail is left"));
        }

        if (reading.Match < ViewLimits.MinMatch)
        {
            return (ViewState.Moved, string.Create(c, $"the view no longer matches the reference (correlation {reading.Match:F2})"));
        }

        if (reading.MovePercent > limits.MovePercent || Math.Abs(reading.Shift.Degrees) > limits.TurnDegrees)
        {
            return (ViewState.Moved, Describe(reading.Shift));
        }

        return (ViewState.Ok, string.Create(c, $"matches the reference (correlation {reading.Match:F2}, {Describe(reading.Shift)})"));
    }

    /// <summary>"shifted 4.1 % right and 1.2 % down, turned 0.8° clockwise".</summary>
    public static string Describe(ViewShift shift)
    {
        ArgumentNullException.ThrowIfNull(shift);
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"shifted {Math.Abs(shift.X):P1} {(shift.X < 0 ? "left" : "right")} and {Math.Abs(shift.Y):P1} {(shift.Y < 0 ? "up" : "down")}, turned {Math.Abs(shift.Degrees):F1}° {(shift.Degrees < 0 ? "anticlockwise" : "clockwise")}");
    }
}
