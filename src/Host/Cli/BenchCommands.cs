using System.CommandLine;

namespace CrosswalkWatch.Host.Cli;

internal static class BenchCommands
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure throughput and CPU on this machine.");
        return command;
    }
}
