using System.Diagnostics;

namespace CrosswalkWatch.Tests.Cli;

/// <summary>Runs the real <c>cww</c> command (built beside the tests) as a child process and captures what it prints.</summary>
internal static class CwwProcess
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static async Task<Result> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "cww.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestAssets.RepositoryRoot,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cww {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s: {await output}{await error}");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
