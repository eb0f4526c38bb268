using System.CommandLine;
using CrosswalkWatch.Cli.Commands;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Storage.Review;

// A store that cannot be reached, a refused review decision or a configuration with errors ends any command with the
// reason, not a stack trace; anything else is reported as System.CommandLine's own handler does (exit 1, the exception in full).
// SIGINT (Ctrl+C) and SIGTERM (systemd, container runtimes, `kill`) cancel the command's token; the command then
// finishes what it holds (an edge box its evidence packages, up to EdgeBox.FinishTimeout, and its outbox). The library's
// own default gives a command 2 s before it abandons it with exit code 130/143, which would cut that short.
CrosswalkWatch.Cli.NativeHeap.LimitArenas();
var invocation = new InvocationConfiguration
{
    EnableDefaultExceptionHandler = false,
    ProcessTerminationTimeout = CwwCommand.StopTimeout,
};
try
{
    return await CwwCommand.Create().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
}
catch (StorageException e)
{
    await Console.Error.WriteLineAsync($"cww: {e.Message}").ConfigureAwait(false);
    return 1;
}
catch (ReviewException e)
{
    // A decision or retention refused (no such case, tampered evidence, not a plate, unknown reason): written nowhere.
    await Console.Error.WriteLineAsync($"cww: {e.Message}; nothing was changed").ConfigureAwait(false);
    return 2;
}
catch (CrosswalkWatch.Evidence.EvidenceException e)
{
    // A key file that cannot be read or is not a key, a public key that is not one.
    await Console.Error.WriteLineAsync($"cww: {e.Message}").ConfigureAwait(false);
    return 2;
}
catch (CrosswalkWatch.Web.WebConsoleException e)
{
    await Console.Error.WriteLineAsync($"cww: {e.Message}").ConfigureAwait(false);
    return 1;
}
catch (ConfigException e)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 2;
}
catch (OperationCanceledException)
{
    return 1;
}
#pragma warning disable CA1031 // The last resort of the command line: report whatever was not expected.
catch (Exception e)
#pragma warning restore CA1031
{
    await Console.Error.WriteLineAsync($"Unhandled exception: {e}").ConfigureAwait(false);
    return 1;
}
