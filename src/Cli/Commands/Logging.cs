using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Cli.Commands;

internal static class Logging
{
    /// <summary>Console logging with timestamps, for commands that run without the generic host.</summary>
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
            }));
}
