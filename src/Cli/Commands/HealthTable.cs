using System.Globalization;
using System.Text;
using CrosswalkWatch.Domain.Health;

namespace CrosswalkWatch.Cli.Commands;

/// <summary>Camera health as a small text table for the console.</summary>
internal static class HealthTable
{
    public static string Render(IEnumerable<CameraHealth> cameras)
    {
        var text = new StringBuilder();
        text.AppendLine("camera      state         fps   frames    drops  reconnects  last frame    recording          last error");
        foreach (var h in cameras)
        {
            var last = h.LastFrameAt?.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-";
            text.Append(CultureInfo.InvariantCulture, $"{h.CameraId,-11} {h.State,-12} {h.Fps,5:0.0} {h.Frames,8} {h.Drops,8} {h.Reconnects,11}  {last,-12}  {h.Recording,-17}  {h.LastError ?? "-"}");
            text.AppendLine();
            if (h.View is ViewState.Moved or ViewState.Blocked or ViewState.Blurred or ViewState.Exposure)
            {
                // The view check's fault under its camera: moved and blocked cameras are not judged meanwhile.
                text.AppendLine(CultureInfo.InvariantCulture, $"{"",-11} view {h.View.ToString().ToUpperInvariant()}: {h.ViewDetail}{(h.View.Judges() ? "" : " (no candidates until it is put right or its scene is saved again)")}");
            }

            if (h.ClockState == CameraClockState.Off)
            {
                // The camera's own clock (its RTCP sender reports) against the box's.
                text.AppendLine(CultureInfo.InvariantCulture, $"{"",-11} camera clock {h.ClockDetail}");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The evidence writer in one line: where, free space against the reserve, written / held / failed, and when the
    /// disk is full, the error in words.
    /// </summary>
    public static string Render(EvidenceHealth e)
    {
        var mb = 1024.0 * 1024;
        var state = e.State switch
        {
            EvidenceState.DiskFull => "DISK FULL",
            EvidenceState.ClockHeld => "CLOCK HELD",
            _ => "writing",
        };
        var text = string.Create(CultureInfo.InvariantCulture, $"evidence    {state,-12} {e.Directory}  {e.FreeBytes / mb:0} MB free (reserve {e.ReserveBytes / mb:0} MB)  written {e.Written}, held {e.Held}, failed {e.Failed}");
        if (e.HeldInMemoryOnly > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" ({e.HeldInMemoryOnly} held in memory only: no parked folder could be written)");
        }

        if (e.State != EvidenceState.Writing)
        {
            text += $"\n            {e.LastError}";
        }

        return text + "\n";
    }

    /// <summary>The box's clock against its NTP servers in one line: "clock       OFF: off by +2003 ms against …".</summary>
    public static string Render(ClockHealth clock) => $"clock       {Edge.Clock.ClockWatch.Describe(clock)}\n";

    /// <summary>The detector's share per camera, and whether the box is overloaded (rates lowered evenly).</summary>
    public static string Render(IEnumerable<Edge.Pipeline.DetectionShare> shares, bool overloaded)
    {
        var text = new StringBuilder(overloaded
            ? "detector: OVERLOADED — every camera's detection rate is lowered evenly (fewer cameras, a lower detectFps, or fastestdet)\n"
            : "detector: keeping up\n");
        foreach (var s in shares)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {s.CameraId,-11} {s.AchievedFps,5:0.0} of {s.ConfiguredFps:0.#} fps  taken {s.Detected} (the model skipped {s.Gated}: nothing moved{(s.Idle ? ", idle now" : "")}), skipped {s.Skipped}");
            text.AppendLine();
        }

        return text.ToString();
    }
}
