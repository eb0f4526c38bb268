using System.Diagnostics;

namespace CrosswalkWatch.Testing;

/// <summary>A real, small tmpfs file system (needs root, as the tests and CI run here) for disk-full faults.</summary>
internal sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static SmallDisk Mount(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (code != 0)
        {
            Assert.Fail($"could not mount a {megabytes} MB tmpfs at {path} for the disk-full test (run the tests as root): {output}");
        }

        return new SmallDisk(path);
    }

    /// <summary>Fills the disk with one file until about <paramref name="leaveFreeBytes"/> are left; returns its path.</summary>
    public string Fill(long leaveFreeBytes)
    {
        var filler = System.IO.Path.Combine(Path, "filler.bin");
        var size = new DriveInfo(Path).AvailableFreeSpace - leaveFreeBytes;
        using var stream = File.Create(filler);
        stream.Write(new byte[size]);
        return filler;
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static (int Code, string Output) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
