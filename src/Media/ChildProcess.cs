using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CrosswalkWatch.Media;

/// <summary>
/// A child process (ffmpeg, the camera simulator) with piped output, killed with its tree on dispose,
/// so no child outlives the stage that started it.
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    public StreamReader StandardError => _process.StandardError;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            var process = Process.Start(info) ?? throw new MediaException($"could not start {fileName}", permanent: true);
            return new ChildProcess(process);
        }
        catch (Win32Exception e)
        {
            throw new MediaException($"could not start '{fileName}': {e.Message}. Is it installed? (run ./cww setup or scripts/setup.sh)", permanent: true, e);
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>Sends a POSIX signal (SIGSTOP, SIGCONT, SIGTERM) to the process.</summary>
    public void Signal(PosixSignalNumber signal)
    {
        if (NativeKill(_process.Id, (int)signal) != 0)
        {
            throw new MediaException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);
}

/// <summary>Linux signal numbers used to simulate camera faults and stop children politely.</summary>
public enum PosixSignalNumber
{
    Term = 15,
    Kill = 9,
    Stop = 19,
    Cont = 18,
}
