using System.CommandLine;
using System.Globalization;
using CrosswalkWatch.Review;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww push</c>: the push of confirmed cases to the platform's HTTP endpoint (push.url): where it stands, dead letters retried, a round by hand.</summary>
internal static class PushCommand
{
    public static Command Create()
    {
        var command = new Command("push", "The push of each confirmed case to the traffic-management platform's HTTP endpoint (push.url; it runs in `cww serve`).");
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Retry());
        command.Subcommands.Add(Now());
        return command;
    }

    private static Command Status()
    {
        var key = ReviewCommands.KeyOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("status", "Cases delivered and waiting, and every dead letter with its reason. Exit code 1 when there is a dead letter.") { key, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = RegistryCommands.Settings(result, config, data);
            await using var desk = await ReviewDesk.OpenAsync(settings, result.GetValue(key)?.FullName, cancellationToken).ConfigureAwait(false);
            var summary = await desk.Store.PushSummaryAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine(settings.Push.Url.Length == 0 ? "push: off (push.url is empty)" : $"push to {settings.Push.Url}");
            Console.WriteLine($"delivered {summary.Delivered}, waiting {summary.Waiting}, dead letters {summary.Dead.Count}");
            foreach (var dead in summary.Dead)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {dead.CaseId}  dead since {desk.Local(dead.DeadAt!.Value)} after {dead.Attempts} attempt(s): {dead.LastError}"));
            }

            return summary.Dead.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command Retry()
    {
        var caseId = new Argument<string?>("CASE") { Description = "The dead letter's case (default: every dead letter).", Arity = ArgumentArity.ZeroOrOne };
        var key = ReviewCommands.KeyOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("retry", "Makes dead letters due again with fresh attempts; the console's push sends them within seconds.") { caseId, key, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = RegistryCommands.Settings(result, config, data);
            await using var desk = await ReviewDesk.OpenAsync(settings, result.GetValue(key)?.FullName, cancellationToken).ConfigureAwait(false);
            var which = result.GetValue(caseId);
            var count = await desk.Store.RetryPushesAsync(which, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(count == 0 ? $"no dead letter{(which is null ? "" : $" of case {which}")} to retry" : $"{count} dead letter(s) due again");
            return count == 0 && which is not null ? 1 : 0;
        });
        return command;
    }

    private static Command Now()
    {
        var key = ReviewCommands.KeyOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("now", "One round by hand (no console running): pushes every case due, waits for each answer, prints what happened.") { key, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = RegistryCommands.Settings(result, config, data);
            if (settings.Push.Url.Length == 0)
            {
                await Console.Error.WriteLineAsync("push.url is empty: set it in the configuration to push confirmed cases").ConfigureAwait(false);
                return 2;
            }

            await using var desk = await ReviewDesk.OpenAsync(settings, result.GetValue(key)?.FullName, cancellationToken).ConfigureAwait(false);
            using var loggers = Logging.Create(LogLevel.Information);
            using var pusher = new CasePusher(settings.Push, desk.Store, desk.Keys, desk.Zone, loggers.CreateLogger("CrosswalkWatch.Push"));
            var delivered = await pusher.PushDueAsync(cancellationToken).ConfigureAwait(false);
            var summary = await desk.Store.PushSummaryAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"delivered {delivered} now; in all delivered {summary.Delivered}, waiting {summary.Waiting}, dead letters {summary.Dead.Count}");
            return summary.Dead.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
