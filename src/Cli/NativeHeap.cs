using System.Runtime.InteropServices;

namespace CrosswalkWatch.Cli;

/// <summary>
/// The C heap of this process (glibc's malloc), which ONNX Runtime, OpenCV and FFmpeg allocate from. glibc gives
/// each thread that allocates its own arena, up to eight per core, and an arena keeps what was freed in it: with the
/// detector, the evidence builders and the thread pool's threads each allocating, an 8-camera box kept about 100 MB
/// more than with two arenas, for no speed (bench capacity, MALLOC_ARENA_MAX=2). Limited before the box starts.
/// </summary>
internal static class NativeHeap
{
    /// <summary>glibc's <c>M_ARENA_MAX</c>.</summary>
    private const int ArenaMax = -8;

    /// <summary>Arenas for the whole process.</summary>
    public const int Arenas = 2;

    /// <summary>Limits the arenas, unless MALLOC_ARENA_MAX already says how many (the operator's word wins); false where the C library has no such setting.</summary>
    public static bool LimitArenas()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
        {
            return false;
        }

        try
        {
            return Mallopt(ArenaMax, Arenas) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int parameter, int value);
}
