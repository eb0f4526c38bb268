using System.CommandLine;
using System.Globalization;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Messaging.Central;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww boxes</c>: every box of the city as the central site last heard it, and their history.</summary>
internal static class BoxesCommand
{
    public static Command Create()
    {
        var config = RunCommands.ConfigOption();
        var history = new Option<double>("--history") { Description = "Also list the state changes and silences of the last N hours.", DefaultValueFactory = _ => 0 };
        var command = new Command("boxes", "Every edge box as the central site last heard it (cww central keeps it): last heard, cameras streaming and not, evidence disk, SILENT beyond messaging.silentSeconds. Exit code 1 when a box is silent.")
        {
            config, history,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = ConfigLoader.Load(result.GetRequiredValue(config).FullName);
            using var store = BoxStore.Open(settings.Storage, settings.Paths.Data);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            var silentAfter = TimeSpan.FromSeconds(settings.Messaging.SilentSeconds);
            var boxes = BoxSummary.Of(await store.LatestAsync(cancellationToken).ConfigureAwait(false), now, silentAfter);
            Console.WriteLine($"{"box",-16} {"last heard",-10} {"state",-8} {"cameras",-28} {"evidence disk",-26} {"clock",-22} {"detector",-24} version");
            foreach (var box in boxes)
            {
                var disk = box.EvidenceState is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{box.EvidenceState}, {box.FreeBytes / (1024 * 1024)} MB free{(box.Backlog is > 0 and var waiting ? $", {waiting} waiting" : "")}");
                var detector = box.Detector is not { } load ? "–" : string.Create(CultureInfo.InvariantCulture, $"{(load.Overloaded ? "OVERLOADED " : "")}{load.AchievedFps:0.0}/{load.ConfiguredFps:0.0} fps");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{box.SiteId,-16} {Ago(now - box.LastHeard),-10} {(box.Silent ? "SILENT" : "ok"),-8} {$"{box.Streaming} of {box.Cameras.Count} streaming",-28} {disk,-26} {Clock(box),-22} {detector,-24} {box.Version ?? "–"}"));
                foreach (var (camera, state) in box.Cameras.Where(c => c.State != "Streaming"))
                {
                    Console.WriteLine($"{"",-16} {"",-10} {"",-8} {camera} {state.ToLowerInvariant()}");
                }

                foreach (var (camera, view, detail, _) in box.ViewFaults)
                {
                    Console.WriteLine($"{"",-16} {"",-10} {"",-8} {camera} {view.ToUpperInvariant()}: {detail}");
                }
            }

            if (boxes.Count == 0)
            {
                Console.WriteLine("  (no box heard yet: is `cww central` running against the broker?)");
            }

            if (result.GetValue(history) is > 0 and var hours)
            {
                Console.WriteLine($"history of the last {hours:0.#} h:");
                foreach (var e in await store.EventsAsync(now - TimeSpan.FromHours(hours), cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    var what = e.Kind switch
                    {
                        BoxEvent.Silent => $"SILENT (last heard {e.Since.ToLocalTime():yyyy-MM-dd HH:mm:ss})",
                        BoxEvent.Back => "heard again",
                        _ => e.State,
                    };
                    Console.WriteLine($"  {e.At.ToLocalTime():yyyy-MM-dd HH:mm:ss}  {e.SiteId}{(e.CameraId.Length > 0 ? "/" + e.CameraId : "")}  {what}");
                }
            }

            return boxes.Any(b => b.Silent) ? 1 : 0;
        });
        return command;
    }

    private static string Ago(TimeSpan span) => span.TotalSeconds < 120 ? $"{span.TotalSeconds:0} s ago" : span.TotalMinutes < 120 ? $"{span.TotalMinutes:0} min ago" : $"{span.TotalHours:0} h ago";

    /// <summary>The box's clock offset, marked when above its limit: "+2003 ms OFF", "+4 ms", "unknown", "not checked", "–".</summary>
    private static string Clock(BoxSummary box) => box switch
    {
        { ClockOffsetMs: { } offset, ClockState: not ("unknown" or "notChecked") } => string.Create(CultureInfo.InvariantCulture, $"{offset:+0;-0} ms") + (box.ClockError ? $" {box.ClockState!.ToUpperInvariant()}" : ""),
        { ClockState: "notChecked" } => "not checked",
        { ClockState: { } state } => state,
        _ => "–",
    };
}
