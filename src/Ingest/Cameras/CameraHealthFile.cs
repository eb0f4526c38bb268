using System.Text.Json;
using System.Text.Json.Serialization;
using CrosswalkWatch.Domain.Health;

namespace CrosswalkWatch.Ingest.Cameras;

/// <summary>What the edge box last wrote about its cameras: when, by which process, each camera's health, and the box's clock (absent from older files).</summary>
public sealed record CameraHealthSnapshot(DateTimeOffset WrittenAt, string Writer, IReadOnlyList<CameraHealth> Cameras, ClockHealth? Clock = null);

/// <summary>
/// DATA/health/cameras.json: the edge box writes its cameras' health there every few seconds, so that a web console
/// running as a separate process on the same box (<c>cww serve</c>) can show it. Written to a temporary file and
/// renamed over the old one, so a reader never sees half a file.
/// </summary>
public static class CameraHealthFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "health", "cameras.json");

    public static void Write(string dataDirectory, IReadOnlyList<CameraHealth> cameras, DateTimeOffset at, string writer, ClockHealth? clock = null)
    {
        var path = PathIn(dataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new CameraHealthSnapshot(at, writer, cameras, clock), Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The last snapshot written, or null when there is no file.</summary>
    /// <exception cref="JsonException">The file is not a health snapshot.</exception>
    public static CameraHealthSnapshot? Read(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return JsonSerializer.Deserialize<CameraHealthSnapshot>(text, Json) ?? throw new JsonException($"{path} holds no health snapshot");
    }
}
