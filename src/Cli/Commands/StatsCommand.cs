using System.CommandLine;
using System.Globalization;
using CrosswalkWatch.Review;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww stats</c>: each camera's numbers per day, and the cameras to re-tune.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd, in the site's time zone; default: 6 days before --to)." };
        var to = new Option<string?>("--to") { Description = "Last day, included (default: today)." };
        var camera = new Option<string?>("--camera") { Description = "Only this camera." };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the days as CSV (Chinese headers, UTF-8 with BOM) to this file." };
        var key = ReviewCommands.KeyOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command(
            "stats",
            "Each camera's numbers per day: cases raised, confirmed, rejected (by reason), waiting, plates corrected, plates read surely, officials matched, the share confirmed (validity rate) and the hours the camera streamed (as its box recorded them); then the cameras whose validity over the last 7 days is below review.minValidity.")
        {
            from, to, camera, csv, key, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = RegistryCommands.Settings(result, config, data);
            await using var desk = await ReviewDesk.OpenAsync(settings, result.GetValue(key)?.FullName, cancellationToken).ConfigureAwait(false);
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, desk.Zone).DateTime);
            if (!TryDay(result.GetValue(to), "--to", today, out var last) || !TryDay(result.GetValue(from), "--from", last.AddDays(-6), out var first))
            {
                return 2;
            }

            if (last < first)
            {
                await Console.Error.WriteLineAsync($"--to {last:yyyy-MM-dd} is before --from {first:yyyy-MM-dd}").ConfigureAwait(false);
                return 2;
            }

            var days = await CameraStats.DaysAsync(desk.Store, desk.StartOf(first), desk.StartOf(last.AddDays(1)), result.GetValue(camera), desk.Zone, settings.Plates, desk.Streaming, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"cases per camera and day, {first:yyyy-MM-dd} to {last:yyyy-MM-dd} ({desk.Zone.Id})");
            Console.WriteLine($"{"camera",-12} {"day",-10} {"cases",6} {"confirmed",9} {"rejected",8} {"waiting",7} {"corrected",9} {"plate sure",10} {"officials",9} {"validity",8} {"hours",5}  rejected for");
            foreach (var d in days)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{d.CameraId,-12} {d.Day:yyyy-MM-dd} {d.Candidates,6} {d.Confirmed,9} {d.Rejected,8} {d.Waiting,7} {d.Corrected,9} {d.PlatesSure,10} {d.OfficialMatches,9} {Percent(d.Validity),8} {Hours(d.HoursStreaming),5}  {string.Join(", ", d.RejectedBy.Select(r => $"{r.Reason} {r.Count}"))}"));
            }

            if (days.Count == 0)
            {
                Console.WriteLine("  (no cases in these days)");
            }

            // The week ending on --to, whatever the period shown (the days already read when the period is that week).
            var week = first == last.AddDays(-6)
                ? days
                : await CameraStats.DaysAsync(desk.Store, desk.StartOf(last.AddDays(-6)), desk.StartOf(last.AddDays(1)), result.GetValue(camera), desk.Zone, settings.Plates, desk.Streaming, cancellationToken).ConfigureAwait(false);
            var flagged = CameraStats.Flagged(week, settings.Review.MinValidity);
            foreach (var flag in flagged)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RE-TUNE {flag.CameraId}: {Percent(flag.Validity)} of {flag.Decided} decided cases confirmed in the 7 days to {last:yyyy-MM-dd} (below review.minValidity {Percent(settings.Review.MinValidity)}); rejected mostly for {string.Join(", ", flag.TopReasons.Select(r => $"{r.Reason} ({r.Count})"))}"));
            }

            if (result.GetValue(csv) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, CameraStats.Csv(days), cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"written {file.FullName}");
            }

            return flagged.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static string Percent(double? share) => share is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s * 100:0}%") : "–";

    private static string Hours(double? hours) => hours is { } h ? string.Create(CultureInfo.InvariantCulture, $"{h:0.0}") : "–";

    private static bool TryDay(string? text, string option, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return text is null || ExportCommand.TryDay(text, option, out day);
    }
}
