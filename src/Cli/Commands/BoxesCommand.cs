using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Health;
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
            var rows = await store.LatestAsync(cancellationToken).ConfigureAwait(false);
            var silent = 0;
            Console.WriteLine($"{"box",-16} {"last heard",-10} {"state",-8} {"cameras",-28} evidence disk");
            foreach (var box in rows.GroupBy(r => r.SiteId))
            {
                var heard = box.Max(r => r.ReceivedAt);
                var quiet = now - heard > silentAfter;
                silent += quiet ? 1 : 0;
                var cameras = box.Where(r => r.CameraId.Length > 0).ToList();
                var streaming = cameras.Count(c => c.State == "Streaming");
                var down = cameras.Where(c => c.State != "Streaming").Select(c => $"{c.CameraId} {c.State.ToLowerInvariant()}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{box.Key,-16} {Ago(now - heard),-10} {(quiet ? "SILENT" : "ok"),-8} {$"{streaming} of {cameras.Count} streaming",-28} {Disk(box.FirstOrDefault(r => r.CameraId.Length == 0))}"));
                foreach (var camera in down)
                {
                    Console.WriteLine($"{"",-16} {"",-10} {"",-8} {camera}");
                }
            }

            if (rows.Count == 0)
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

            return silent == 0 ? 0 : 1;
        });
        return command;
    }

    private static string Ago(TimeSpan span) => span.TotalSeconds < 120 ? $"{span.TotalSeconds:0} s ago" : span.TotalMinutes < 120 ? $"{span.TotalMinutes:0} min ago" : $"{span.TotalHours:0} h ago";

    /// <summary>The box's evidence disk from its last box-health message: state and free space.</summary>
    private static string Disk(BoxHealthRow? box)
    {
        if (box is null)
        {
            return "–";
        }

        using var json = JsonDocument.Parse(box.Payload);
        var evidence = json.RootElement.GetProperty("body").GetProperty("evidence");
        return string.Create(CultureInfo.InvariantCulture, $"{evidence.GetProperty("state").GetString()}, {evidence.GetProperty("freeBytes").GetInt64() / (1024 * 1024)} MB free");
    }
}
