using System.CommandLine;
using System.Globalization;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Web;
using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Operators;
using CrosswalkWatch.Web.Texts;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww serve</c>, the web console, and <c>cww accounts</c>, its accounts from the command line (the first admin).</summary>
internal static class ServeCommands
{
    public static Command Serve()
    {
        var bind = new Option<string?>("--bind") { Description = "Address to listen on (default: web.bind, http://127.0.0.1:8080; port 0 takes a free one)." };
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command(
            "serve",
            "The web console for police reviewers, the campaign office, operators and admins, on web.bind (http://127.0.0.1:8080). Add the first admin with `cww accounts add NAME --role admin`.")
        {
            bind, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = RegistryCommands.Settings(result, config, data);
            await using var console = await StartAsync(settings, result.GetValue(config)?.FullName, result.GetValue(bind), null, cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("web console stopped");
            }

            return 0;
        });
        return command;
    }

    public static Command Accounts()
    {
        var name = new Argument<string>("NAME") { Description = "User name (letters, digits, '.', '_', '-')." };
        var role = new Option<string>("--role") { Description = "police, office, operator or admin.", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "Read the password from this file (first line); default: from standard input." };
        var (config, data) = RegistryCommands.WhereOptions();
        var add = new Command("add", "Add a console account (the password is read from --password-file or standard input, never from the command line).") { name, role, passwordFile, config, data };
        add.SetAction(async (result, cancellationToken) =>
        {
            var password = result.GetValue(passwordFile) is { } file
                ? (await File.ReadAllLinesAsync(file.FullName, cancellationToken).ConfigureAwait(false)).FirstOrDefault() ?? ""
                : (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false)) ?? "";
            var settings = RegistryCommands.Settings(result, config, data);
            using var store = ConsoleStore.Open(settings.Storage, settings.Paths.Data);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var problem = await new AccountService(store, settings.Web, TimeProvider.System)
                .CreateAsync(result.GetRequiredValue(name), result.GetRequiredValue(role), password, "cli:" + Environment.UserName, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync($"cww accounts add: {problem.Text(ConsoleTexts.Load(), "en")}; nothing was changed").ConfigureAwait(false);
                return 2;
            }

            Console.WriteLine($"account {result.GetRequiredValue(name)} added ({Roles.Title(result.GetRequiredValue(role))}) in {store.Location}");
            return 0;
        });

        var (listConfig, listData) = RegistryCommands.WhereOptions();
        var list = new Command("list", "The console's accounts: role, state, failed sign-ins.") { listConfig, listData };
        list.SetAction(async (result, cancellationToken) =>
        {
            var settings = RegistryCommands.Settings(result, listConfig, listData);
            using var store = ConsoleStore.Open(settings.Storage, settings.Paths.Data);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            foreach (var a in await store.AccountsAsync(cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Username,-16} {a.Role,-9} {(a.Disabled ? "disabled" : a.IsLocked(now) ? $"locked until {a.LockedUntil:u}" : "active"),-30} {a.FailedSignIns} failed"));
            }

            return 0;
        });
        return new Command("accounts", "Web console accounts.") { add, list };
    }

    /// <summary>
    /// Starts the console on <paramref name="settings"/>' store and prints where it listens; <paramref name="health"/>
    /// is the edge box of this process, if any (otherwise the health file an edge box of this data folder writes).
    /// The caller disposes the returned console (which closes the desk).
    /// </summary>
    public static async Task<RunningConsole> StartAsync(CwwConfig settings, string? configPath, string? bind, ICameraHealthSource? health, CancellationToken cancellationToken)
    {
        var desk = await ReviewDesk.OpenAsync(settings, null, cancellationToken).ConfigureAwait(false);
        var store = ConsoleStore.Open(settings.Storage, settings.Paths.Data);
        var replay = new ConsoleReplay(settings);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var console = await WebConsole.StartAsync(
                new ConsoleSetup
                {
                    Config = settings,
                    ConfigPath = configPath,
                    Desk = desk,
                    Console = store,
                    CameraHealth = health ?? new FileCameraHealth(settings.Paths.Data),
                    Replay = replay,
                    Bind = bind,
                },
                cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"web console: {console.Address}");
            if ((await store.AccountsAsync(cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                Console.WriteLine("  no accounts yet: add the first admin with `cww accounts add NAME --role admin" + (configPath is null ? "" : $" --config {configPath}") + "`");
            }

            return new RunningConsole(console, desk, store, replay);
        }
        catch
        {
            replay.Dispose();
            store.Dispose();
            await desk.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A started console and what it holds open.</summary>
    internal sealed class RunningConsole(WebConsole console, ReviewDesk desk, ConsoleStore store, ConsoleReplay replay) : IAsyncDisposable
    {
        public WebConsole Console => console;

        public async ValueTask DisposeAsync()
        {
            await console.DisposeAsync().ConfigureAwait(false);
            replay.Dispose();
            store.Dispose();
            await desk.DisposeAsync().ConfigureAwait(false);
        }
    }
}
