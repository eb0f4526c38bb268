using System.CommandLine;
using System.Globalization;
using CrosswalkWatch.Review;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww export</c>: the confirmed cases of a period as one archive for the police's traffic-management platform.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "First day (yyyy-MM-dd, in the site's time zone).", Required = true };
        var to = new Option<string>("--to") { Description = "Last day, included.", Required = true };
        var camera = new Option<string?>("--camera") { Description = "Only this camera's cases." };
        var output = new Option<FileInfo>("--out") { Description = "The archive to write (FILE.zip).", Required = true };
        var key = ReviewCommands.KeyOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command(
            "export",
            "The confirmed cases of a period as one zip for the police platform: per case its signed evidence package and a record.json (violation code 1357, time, place, device, direction, lane, plate and colour, vehicle kind), and a summary.csv. Only packages that verify go in; `cww evidence verify FILE.zip` checks the archive.")
        {
            from, to, camera, output, key, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryDay(result.GetRequiredValue(from), "--from", out var first) || !TryDay(result.GetRequiredValue(to), "--to", out var last))
            {
                return 2;
            }

            if (last < first)
            {
                await Console.Error.WriteLineAsync($"--to {last:yyyy-MM-dd} is before --from {first:yyyy-MM-dd}").ConfigureAwait(false);
                return 2;
            }

            var settings = RegistryCommands.Settings(result, config, data);
            var zip = result.GetRequiredValue(output).FullName;
            if (Path.GetDirectoryName(zip) is { } folder && !Directory.Exists(folder))
            {
                await Console.Error.WriteLineAsync($"--out {zip}: the folder {folder} does not exist").ConfigureAwait(false);
                return 2;
            }

            await using var desk = await ReviewDesk.OpenAsync(settings, result.GetValue(key)?.FullName, cancellationToken).ConfigureAwait(false);
            var written = await CaseExport.WriteAsync(desk.Store, desk.Keys, desk.StartOf(first), desk.StartOf(last.AddDays(1)), result.GetValue(camera), desk.Zone, zip, cancellationToken).ConfigureAwait(false);
            foreach (var (caseId, reason) in written.Refused)
            {
                Console.WriteLine($"  left out {caseId}: {reason}");
            }

            Console.WriteLine($"{zip}: {written.Exported.Count} confirmed case(s) from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}{(result.GetValue(camera) is { } id ? $" of camera {id}" : "")}, {written.Refused.Count} left out");
            return written.Refused.Count == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>A day as yyyy-MM-dd, or false with the error printed for <paramref name="option"/>.</summary>
    internal static bool TryDay(string text, string option, out DateOnly day)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return true;
        }

        Console.Error.WriteLine($"{option} {text}: expected a day as yyyy-MM-dd (e.g. 2026-12-01)");
        return false;
    }
}
