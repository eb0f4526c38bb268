using System.Diagnostics;
using System.Globalization;

namespace CrosswalkWatch.Testing;

/// <summary>Stops a server a test started as the system stops it: SIGTERM, then a kill only when it does not exit in time.</summary>
internal static class Sigterm
{
    public static async Task StopAsync(Process process, TimeSpan patience)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await term.WaitForExitAsync();
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(patience);
        }
        catch (TimeoutException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
