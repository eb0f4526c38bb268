using System.Globalization;
using CrosswalkWatch.Media;
using CrosswalkWatch.Media.Clips;

namespace CrosswalkWatch.Ingest.Recording;

/// <summary>
/// The rolling ring of recorded segments of one camera, in one folder. Each connection to the camera is a session:
/// ffmpeg writes <c>SESSION_000000.ts…</c> and appends each finished segment to <c>SESSION.csv</c> (name, start,
/// end as Unix seconds: the inputs carry wall-clock timestamps). ffmpeg lists the first segment's start as 0, so
/// <c>SESSION.start</c> holds the arrival time of the session's first packet. The CSV is never rewritten (ffmpeg
/// appends to it); pruning deletes segment files and, once a finished session has none left, its CSV. The recording a
/// pending candidate's evidence needs is kept (<see cref="Keep"/>) until its package is built. A session's first
/// segment is mended once before it is used: ffmpeg writes the first packet it reads from a camera without a time
/// (<see cref="FirstPacketRepair"/>).
/// </summary>
public sealed class RecordingRing
{
    private const string SegmentExtension = ".ts";
    private const string StartExtension = ".start";

    /// <summary>Room for a few segments beyond the free space to keep, before recording starts again.</summary>
    private const long RecordingHeadroomBytes = 4L * 1024 * 1024;

    /// <summary>Times below this (2001) are stream-relative, not Unix times.</summary>
    private const double WallClockFloor = 1e9;

    private readonly List<DateTimeOffset> _kept = [];
    private readonly Lock _keptLock = new();
    private readonly Dictionary<string, SessionList> _lists = []; // by list file, under _listsLock
    private readonly Lock _listsLock = new();

    private readonly Func<string, Task> _mendFirstSegment;

    /// <param name="directory">The camera's folder of segments.</param>
    /// <param name="mendFirstSegment">
    /// Mends a session's first segment before it is used (default <see cref="FirstPacketRepair.RepairAsync"/>: ffmpeg
    /// writes its first packet without a time); tests of the ring's bookkeeping give one that runs no ffmpeg.
    /// </param>
    public RecordingRing(string directory, Func<string, Task>? mendFirstSegment = null)
    {
        Directory = directory;
        _mendFirstSegment = mendFirstSegment ?? (path => FirstPacketRepair.RepairAsync(path));
    }

    public string Directory { get; }

    /// <summary>Starts a session for a new connection; its name orders sessions by time.</summary>
    public RecordingSession BeginSession(DateTimeOffset now)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
        return new RecordingSession(name, Directory);
    }

    /// <summary>Cuts a clip of <paramref name="from"/>–<paramref name="to"/> from the segments held (see <see cref="ClipCutter"/>).</summary>
    public Task<ClipResult> CutClipAsync(DateTimeOffset from, DateTimeOffset to, string output, CancellationToken cancellationToken = default) =>
        ClipCutter.CutAsync(Segments(), Directory, from, to, output, cancellationToken);

    /// <summary>
    /// Finished segments still on disk, oldest first. Each session's list is read from where the last call stopped
    /// (ffmpeg only appends, a line at a time) and what is on disk is one listing of the folder: a session's list grows
    /// for as long as the camera stays connected (days), and reading it whole, with a file check a line, on every call
    /// (pruning, each evidence picture, each wait for the recording) grew with it.
    /// </summary>
    public IReadOnlyList<RecordedSegment> Segments()
    {
        var segments = new List<RecordedSegment>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return segments;
        }

        var toMend = new List<(SessionList Listed, string Path)>();
        lock (_listsLock)
        {
            var lists = System.IO.Directory.EnumerateFiles(Directory, "*.csv").ToList();
            foreach (var gone in _lists.Keys.Except(lists).ToList())
            {
                _lists.Remove(gone);
            }

            foreach (var list in lists)
            {
                if (!_lists.TryGetValue(list, out var listed))
                {
                    _lists[list] = listed = new SessionList(Path.GetFileNameWithoutExtension(list));
                }

                listed.ReadAppended(list);
            }

            // Listed before this look at the folder: a segment is on disk before it is listed, so what is listed and
            // not there now was pruned, and never comes back.
            var onDisk = System.IO.Directory.EnumerateFiles(Directory, "*" + SegmentExtension).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            foreach (var listed in _lists.Values)
            {
                listed.Lines.RemoveAll(l => !onDisk.Contains(l.Name));
                var sessionStart = listed.Start(Path.Combine(Directory, listed.Session + StartExtension));
                foreach (var (name, listedStart, end) in listed.Lines)
                {
                    if (end < WallClockFloor || (listedStart < WallClockFloor && sessionStart is null))
                    {
                        continue; // not in wall-clock time, or the session's start not known yet
                    }

                    var path = Path.Combine(Directory, name);
                    if (listedStart < WallClockFloor && listed.FirstMended != Mending.Done)
                    {
                        // The session's first segment, whose first packet came without a time: left out until mended.
                        if (listed.FirstMended == Mending.Pending)
                        {
                            listed.FirstMended = Mending.Running;
                            toMend.Add((listed, path));
                        }

                        continue;
                    }

                    var start = listedStart < WallClockFloor ? sessionStart!.Value : listedStart;
                    segments.Add(new RecordedSegment(path, FromUnixSeconds(start), FromUnixSeconds(end), listed.Session));
                }
            }
        }

        if (toMend.Count > 0)
        {
            // Once a session, a stream copy of a couple of seconds (FirstPacketRepair); outside the lock, so other
            // readers meanwhile see the ring without that segment. One that cannot be mended is used as it is.
            foreach (var (listed, path) in toMend)
            {
                try
                {
                    Task.Run(() => _mendFirstSegment(path)).GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is MediaException or IOException or UnauthorizedAccessException)
                {
                    // Pruned meanwhile, or unreadable: nothing better to do than to use it as ffmpeg wrote it.
                }
                finally
                {
                    lock (_listsLock)
                    {
                        listed.FirstMended = Mending.Done;
                    }
                }
            }

            return Segments();
        }

        segments.Sort((a, b) => a.Start.CompareTo(b.Start));
        return segments;
    }

    /// <summary>Bytes of segment files in the ring, including the one being written.</summary>
    public long Bytes()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        long total = 0;
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*" + SegmentExtension))
        {
            total += file.Length;
        }

        return total;
    }

    /// <summary>Free bytes on the disk holding the ring.</summary>
    public long FreeBytes()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return new DriveInfo(Directory).AvailableFreeSpace;
    }

    /// <summary>True when the disk has the free space to keep plus room for a few more segments.</summary>
    public bool HasRoom(long minFreeBytes) => FreeBytes() >= minFreeBytes + RecordingHeadroomBytes;

    /// <summary>
    /// Keeps the recording from <paramref name="from"/> on out of pruning by age and size until the handle is disposed:
    /// what a candidate's package still needs, however long the queue of packages before it. Only the disk's free-space
    /// reserve prunes it (a full disk would stop the recording of every camera).
    /// </summary>
    public IDisposable Keep(DateTimeOffset from)
    {
        lock (_keptLock)
        {
            _kept.Add(from);
        }

        return new Kept(this, from);
    }

    /// <summary>The earliest moment kept (<see cref="Keep"/>); null when nothing is.</summary>
    public DateTimeOffset? KeptFrom()
    {
        lock (_keptLock)
        {
            return _kept.Count == 0 ? null : _kept.Min();
        }
    }

    /// <summary>
    /// Deletes segments that ended before <paramref name="keep"/> ago, then the oldest until the ring fits in
    /// <paramref name="maxBytes"/>, but none that ends after the earliest moment kept (<see cref="Keep"/>); then the
    /// oldest, kept or not, until the disk keeps <paramref name="minFreeBytes"/> free; removes the lists of finished
    /// sessions left empty. Returns the files deleted.
    /// </summary>
    public int Prune(DateTimeOffset now, TimeSpan keep, long maxBytes, long minFreeBytes, string? activeSession)
    {
        var deleted = 0;
        var segments = Segments();
        var total = Bytes();
        var keptFrom = KeptFrom();
        foreach (var segment in segments)
        {
            var room = FreeBytes() >= minFreeBytes;
            if ((segment.End >= now - keep && total <= maxBytes && room) || (room && segment.End > keptFrom))
            {
                break;
            }

            var size = new FileInfo(segment.Path).Length;
            File.Delete(segment.Path);
            total -= size;
            deleted++;
        }

        // Finished sessions: segments never listed (cut short by a crash) have no known time and go; a session
        // with no listed segment left goes with its list and start file.
        foreach (var list in System.IO.Directory.EnumerateFiles(Directory, "*.csv").ToList())
        {
            var session = Path.GetFileNameWithoutExtension(list);
            if (session == activeSession)
            {
                continue;
            }

            HashSet<string> listed; // as Segments() above read it: the listed segments still on disk
            lock (_listsLock)
            {
                listed = _lists.TryGetValue(list, out var read) ? read.Lines.Select(l => l.Name).ToHashSet(StringComparer.Ordinal) : [];
            }

            var keptAny = false;
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, session + "_*" + SegmentExtension).ToList())
            {
                if (listed.Contains(Path.GetFileName(file)))
                {
                    keptAny = true;
                    continue;
                }

                File.Delete(file);
                deleted++;
            }

            if (!keptAny)
            {
                File.Delete(list);
                File.Delete(Path.Combine(Directory, session + StartExtension));
            }
        }

        return deleted;
    }

    internal void Release(DateTimeOffset from)
    {
        lock (_keptLock)
        {
            _kept.Remove(from);
        }
    }

    private static DateTimeOffset FromUnixSeconds(double seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
}

/// <summary>One session's list as read so far: the segments listed whose files are still there, and where reading stopped.</summary>
internal sealed class SessionList(string session)
{
    private long _read;
    private double? _start;

    public string Session { get; } = session;

    public List<(string Name, double Start, double End)> Lines { get; } = [];

    /// <summary>Whether the session's first segment has had its first packet's time mended (<see cref="FirstPacketRepair"/>).</summary>
    public Mending FirstMended { get; set; }

    /// <summary>Reads the complete lines appended since the last call (a line ffmpeg is still writing waits for the next).</summary>
    public void ReadAppended(string path)
    {
        // ffmpeg may be appending: open for reading while allowing writers.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= _read)
        {
            return;
        }

        stream.Seek(_read, SeekOrigin.Begin);
        var bytes = new byte[stream.Length - _read];
        stream.ReadExactly(bytes);
        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        _read += complete;
        foreach (var line in System.Text.Encoding.UTF8.GetString(bytes, 0, complete).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.TrimEnd('\r').Split(',');
            if (parts.Length >= 3 &&
                double.TryParse(parts[^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var start) &&
                double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var end))
            {
                Lines.Add((string.Join(',', parts[..^2]), start, end));
            }
        }
    }

    /// <summary>The Unix time of the session's first packet (its start file, <paramref name="path"/>), once written.</summary>
    public double? Start(string path)
    {
        if (_start is null)
        {
            _start = File.Exists(path) && double.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var known) ? known : null;
        }

        return _start;
    }
}

/// <summary>Where the mending of a session's first segment stands.</summary>
internal enum Mending
{
    Pending,
    Running,
    Done,
}

/// <summary>A moment kept from pruning (<see cref="RecordingRing.Keep"/>) until disposed; disposing twice releases it once.</summary>
file sealed class Kept(RecordingRing ring, DateTimeOffset from) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            ring.Release(from);
        }
    }
}

/// <summary>The files of one recording session.</summary>
public sealed class RecordingSession
{
    internal RecordingSession(string name, string directory)
    {
        Name = name;
        SegmentPattern = Path.Combine(directory, name + "_%06d.ts");
        ListPath = Path.Combine(directory, name + ".csv");
        StartPath = Path.Combine(directory, name + ".start");
    }

    public string Name { get; }

    public string SegmentPattern { get; }

    public string ListPath { get; }

    public string StartPath { get; }

    /// <summary>Records the Unix time of the session's first packet (ffmpeg lists the first segment's start as 0).</summary>
    public void MarkStart(double unixSeconds) =>
        File.WriteAllText(StartPath, unixSeconds.ToString("0.000000", CultureInfo.InvariantCulture));
}
