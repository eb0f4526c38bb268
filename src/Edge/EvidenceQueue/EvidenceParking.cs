using System.Text.Json;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.Edge.EvidenceQueue;

/// <summary>A parked file: why, whether it waits for room or the clock (held), when, the candidate, and the box's clock at its event where measured.</summary>
public sealed record ParkedCandidate(string Reason, bool Held, DateTimeOffset ParkedAt, ViolationCandidate Candidate, EvidenceClock? Clock = null);

/// <summary>
/// Where candidates wait whose package could not be built: one JSON file each (<see cref="ParkedCandidate"/>) in the
/// first of the parked folders that can be written (the second is best on another disk than the evidence).
/// </summary>
public sealed class EvidenceParking
{
    private readonly string[] _folders;

    public EvidenceParking(string parked, string? fallback = null) =>
        _folders = fallback is null || Path.GetFullPath(fallback) == Path.GetFullPath(parked) ? [parked] : [parked, fallback];

    /// <summary>The candidates parked as held (waiting for room), with their files; an unreadable file is reported and left as it is.</summary>
    public IReadOnlyList<(ParkedCandidate Parked, string File)> Held(Action<string, string> unreadable)
    {
        ArgumentNullException.ThrowIfNull(unreadable);
        var held = new List<(ParkedCandidate, string)>();
        foreach (var file in _folders.Where(Directory.Exists).SelectMany(f => Directory.GetFiles(f, "*.json")))
        {
            try
            {
                if (JsonSerializer.Deserialize<ParkedCandidate>(File.ReadAllText(file), EvidenceJson.Compact) is { Held: true } parked)
                {
                    held.Add((parked, file));
                }
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                unreadable(file, e.Message); // left as it is, for the operator
            }
        }

        return held;
    }

    /// <summary>
    /// Keeps a candidate whose package could not be built (for example an event at the very end of a recording, or a
    /// full evidence disk), so that nothing decided is lost: its JSON and the reason, in the first parked folder that
    /// can be written; <paramref name="held"/> marks one to build once there is room (<see cref="EvidenceWriter.ResumeParked"/>
    /// takes it up after a restart). Returns the file, or null when none could be written.
    /// </summary>
    public string? Park(ViolationCandidate candidate, string reason, bool held = false, EvidenceClock? clock = null)
    {
        var json = JsonSerializer.Serialize(new ParkedCandidate(reason, held, DateTimeOffset.UtcNow, candidate, clock), EvidenceJson.Compact);
        foreach (var folder in _folders)
        {
            var path = Path.Combine(folder, $"{candidate.CameraId}-{candidate.OnLine.At.UtcDateTime:yyyyMMdd-HHmmss.fff}-v{candidate.VehicleTrackId}.json");
            try
            {
                Directory.CreateDirectory(folder);
                File.WriteAllText(path + ".part", json);
                File.Move(path + ".part", path, overwrite: true);
                return path;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryDelete(path + ".part");
            }
        }

        return null;
    }

    public static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale parked file says more than it should; it does not lose anything.
        }
    }
}
