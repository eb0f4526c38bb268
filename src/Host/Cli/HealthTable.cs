using System.Globalization;
using System.Text;
using CrosswalkWatch.Core.Health;

namespace CrosswalkWatch.Host.Cli;

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
        }

        return text.ToString();
    }
}
