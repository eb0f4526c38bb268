using System.Diagnostics;

namespace CrosswalkWatch.Testing;

/// <summary>Runs the real <c>cww</c> command (built beside the tests) as a child process and captures what it prints.</summary>
internal static class CwwProcess
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static Task<Result> RunAsync(TimeSpan timeout, params string[] arguments) => RunAsync(Info(arguments), timeout, arguments);

    /// <summary>
    /// Runs the repository's <c>./cww</c> script as a user would, from <paramref name="workingDirectory"/> (it builds
    /// first when a source is newer than its last build).
    /// </summary>
    public static Task<Result> RunScriptAsync(string workingDirectory, TimeSpan timeout, params string[] arguments) => RunAsync(
        new ProcessStartInfo("bash", [Path.Combine(TestAssets.RepositoryRoot, "cww"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        },
        timeout,
        arguments);

    /// <summary>Runs another program (dpkg, runuser, a script) from <paramref name="workingDirectory"/>, with extra environment variables.</summary>
    public static Task<Result> RunProgramAsync(string program, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return RunAsync(info, timeout, [program, .. arguments]);
    }

    private static async Task<Result> RunAsync(ProcessStartInfo info, TimeSpan timeout, string[] arguments)
    {
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

    /// <summary>Starts a long-running <c>cww</c> (a server, a consumer) whose output is collected as it comes.</summary>
    public static Running Start(params string[] arguments) => new(Process.Start(Info(arguments))!, arguments);

    private static ProcessStartInfo Info(string[] arguments) => new("dotnet", [Path.Combine(AppContext.BaseDirectory, "cww.dll"), .. arguments])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        WorkingDirectory = TestAssets.RepositoryRoot,
    };

    /// <summary>A running <c>cww</c>; disposing kills it if it still runs.</summary>
    internal sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _output = new();

        public Running(Process process, string[] arguments)
        {
            _process = process;
            Arguments = string.Join(' ', arguments);
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Arguments { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public bool HasExited => _process.HasExited;

        /// <summary>Waits until the output holds <paramref name="text"/>; fails with the output so far.</summary>
        public async Task WaitForOutputAsync(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                Assert.False(_process.HasExited, $"cww {Arguments} exited before printing '{text}':\n{Output}");
                Assert.True(DateTime.UtcNow < deadline, $"cww {Arguments} did not print '{text}' within {timeout.TotalSeconds:0} s:\n{Output}");
                await Task.Delay(50);
            }
        }

        /// <summary>Waits for it to exit by itself; returns its exit code.</summary>
        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return _process.ExitCode;
        }

        /// <summary>Kills it at once (SIGKILL), as a crash would.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        /// <summary>
        /// Asks it to stop as a service manager would (SIGTERM, what systemd and container runtimes send) and waits for
        /// it to exit; returns its exit code. Not SIGINT: a shell's background jobs and nohup ignore SIGINT, so a suite
        /// started with <c>./test.sh &amp;</c> would never see it arrive.
        /// </summary>
        public async Task<int> StopAsync(TimeSpan timeout)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            try
            {
                await _process.WaitForExitAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"cww {Arguments} did not exit within {timeout.TotalSeconds:0} s of SIGTERM:\n{Output}");
            }

            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
