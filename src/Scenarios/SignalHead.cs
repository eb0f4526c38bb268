using CrosswalkWatch.Domain.Signals;
using OpenCvSharp;

namespace CrosswalkWatch.Scenarios;

/// <summary>
/// Draws a Chinese pedestrian signal head into a picture, as the generated clips show one (the sample footage has
/// none facing the camera): a dark housing with two lamp cells, a standing red man in the upper one and a walking green
/// man in the lower one, the lamp of the state lit and the other dark (a faint tint of its colour, as an unlit lamp
/// shows in daylight). Also used by the tests of the signal reader, on a real frame of the footage.
/// </summary>
public static class SignalHead
{
    private static readonly Scalar Housing = new(28, 28, 30);
    private static readonly Scalar Rim = new(70, 70, 72);
    private static readonly Scalar Cell = new(12, 12, 14);
    private static readonly Scalar RedLit = new(40, 40, 255);
    private static readonly Scalar RedDark = new(22, 22, 52);
    private static readonly Scalar GreenLit = new(170, 255, 20); // the bluish green of Chinese green men
    private static readonly Scalar GreenDark = new(40, 52, 22);

    /// <summary>Draws the head filling <paramref name="head"/> (pixels) of a BGR picture, with <paramref name="lit"/>'s lamp on (Off and Unknown: both dark).</summary>
    public static void Draw(Mat picture, Rect head, SignalState lit)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var rim = Math.Max(1, head.Width / 14);
        Cv2.Rectangle(picture, head, Housing, -1);
        Cv2.Rectangle(picture, head, Rim, rim);
        var cellSide = Math.Min(head.Width - (4 * rim), (head.Height / 2) - (3 * rim));
        var upper = new Rect(head.X + ((head.Width - cellSide) / 2), head.Y + (head.Height / 4) - (cellSide / 2), cellSide, cellSide);
        var lower = upper with { Y = head.Y + (3 * head.Height / 4) - (cellSide / 2) };
        Cv2.Rectangle(picture, upper, Cell, -1);
        Cv2.Rectangle(picture, lower, Cell, -1);
        StandingMan(picture, upper, lit == SignalState.Red ? RedLit : RedDark);
        WalkingMan(picture, lower, lit == SignalState.Green ? GreenLit : GreenDark);
    }

    /// <summary>The red man: head, body, arms down, legs together.</summary>
    private static void StandingMan(Mat picture, Rect cell, Scalar colour)
    {
        var (cx, top, s) = (cell.X + (cell.Width / 2), cell.Y, cell.Height);
        var limb = Math.Max(1, s / 9);
        Cv2.Circle(picture, new Point(cx, top + (s * 0.17)), Math.Max(1, s / 9), colour, -1, LineTypes.AntiAlias);
        Cv2.Rectangle(picture, new Rect(cx - (s / 8), top + (int)(s * 0.30), s / 4, (int)(s * 0.36)), colour, -1);
        Cv2.Line(picture, new Point(cx - (s / 8), top + (s * 0.32)), new Point(cx - (s / 5), top + (s * 0.62)), colour, limb, LineTypes.AntiAlias);
        Cv2.Line(picture, new Point(cx + (s / 8), top + (s * 0.32)), new Point(cx + (s / 5), top + (s * 0.62)), colour, limb, LineTypes.AntiAlias);
        Cv2.Line(picture, new Point(cx - (s / 14), top + (s * 0.64)), new Point(cx - (s / 14), top + (s * 0.92)), colour, limb, LineTypes.AntiAlias);
        Cv2.Line(picture, new Point(cx + (s / 14), top + (s * 0.64)), new Point(cx + (s / 14), top + (s * 0.92)), colour, limb, LineTypes.AntiAlias);
    }

    /// <summary>The green man: head, leaning body, arms and legs in a stride.</summary>
    private static void WalkingMan(Mat picture, Rect cell, Scalar colour)
    {
        var (cx, top, s) = (cell.X + (cell.Width / 2), cell.Y, cell.Height);
        var limb = Math.Max(1, s / 8);
        Cv2.Circle(picture, new Point(cx + (s / 12), top + (s * 0.16)), Math.Max(1, s / 9), colour, -1, LineTypes.AntiAlias);
        var hip = new Point(cx - (s / 20), top + (s * 0.60));
        Cv2.Line(picture, new Point(cx + (s / 20), top + (s * 0.30)), hip, colour, Math.Max(1, s / 6), LineTypes.AntiAlias);
        Cv2.Line(picture, new Point(cx + (s / 20), top + (s * 0.34)), new Point(cx + (s / 4), top + (s * 0.52)), colour, limb, LineTypes.AntiAlias);
        Cv2.Line(picture, new Point(cx + (s / 20), top + (s * 0.34)), new Point(cx - (s / 4), top + (s * 0.50)), colour, limb, LineTypes.AntiAlias);
        Cv2.Line(picture, hip, new Point(cx + (s / 4), top + (s * 0.92)), colour, limb, LineTypes.AntiAlias);
        Cv2.Line(picture, hip, new Point(cx - (s / 4), top + (s * 0.90)), colour, limb, LineTypes.AntiAlias);
    }
}

/// <summary>One phase of the drawn signal: its state from one time to another (seconds from the clip's start).</summary>
internal sealed record SignalPhase(SignalState State, double From, double To);

/// <summary>The signal head a clip shows, in its ground truth: the scene's head, where it is drawn, and its phases.</summary>
internal sealed record TruthSignal(string Name, IReadOnlyList<IReadOnlyList<double>> Box, IReadOnlyList<SignalPhase> Phases)
{
    /// <summary>The state drawn at <paramref name="t"/> seconds.</summary>
    public SignalState At(double t)
    {
        foreach (var phase in Phases)
        {
            if (t >= phase.From && t < phase.To)
            {
                return phase.State;
            }
        }

        return Phases.Count > 0 ? Phases[^1].State : SignalState.Off;
    }
}
