using System.Text.Json;

namespace CrosswalkWatch.Detector.CameraView;

/// <summary>What is known of a camera's reference picture: the scene version it was taken for, when, and the frame size it was taken at.</summary>
public sealed record ViewReferenceInfo(string Camera, string SceneVersion, DateTimeOffset TakenAt, int FrameWidth, int FrameHeight);

/// <summary>
/// DATA/view/CAMERA.reference.jpg and .json: the picture a camera's view is checked against, taken by the edge box
/// when the camera's scene was last saved (or, at a first start, from the view the box found), and what it was taken
/// for. DATA/view/CAMERA.live.jpg is the live view the box last compared with it while the check found a problem,
/// for the console's side-by-side. Each is written to a temporary file and renamed, so a reader never sees half a file.
/// </summary>
public static class ViewReferenceFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Folder(string dataDirectory) => Path.Combine(dataDirectory, "view");

    public static string PicturePath(string dataDirectory, string camera) => Path.Combine(Folder(dataDirectory), $"{camera}.reference.jpg");

    public static string InfoPath(string dataDirectory, string camera) => Path.Combine(Folder(dataDirectory), $"{camera}.reference.json");

    public static string LivePath(string dataDirectory, string camera) => Path.Combine(Folder(dataDirectory), $"{camera}.live.jpg");

    /// <summary>Writes the reference (the picture first, then what it is for: a reader that finds the info finds its picture).</summary>
    public static void Write(string dataDirectory, ViewReferenceInfo info, ViewPicture picture)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(picture);
        Directory.CreateDirectory(Folder(dataDirectory));
        Replace(PicturePath(dataDirectory, info.Camera), picture.ToJpeg());
        Replace(InfoPath(dataDirectory, info.Camera), JsonSerializer.SerializeToUtf8Bytes(info, Json));
    }

    public static void WriteLive(string dataDirectory, string camera, ViewPicture picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        Directory.CreateDirectory(Folder(dataDirectory));
        Replace(LivePath(dataDirectory, camera), picture.ToJpeg());
    }

    /// <summary>What the camera's reference was taken for; null when it has none.</summary>
    /// <exception cref="InvalidDataException">The file is there but is not a reference's info.</exception>
    public static ViewReferenceInfo? ReadInfo(string dataDirectory, string camera)
    {
        var path = InfoPath(dataDirectory, camera);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ViewReferenceInfo>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a view reference's info: {e.Message}", e);
        }
    }

    /// <summary>The camera's reference and its picture; null when it has none.</summary>
    /// <exception cref="InvalidDataException">The files are there but cannot be read as a reference.</exception>
    public static (ViewReferenceInfo Info, ViewPicture Picture)? Read(string dataDirectory, string camera)
    {
        if (ReadInfo(dataDirectory, camera) is not { } info)
        {
            return null;
        }

        var path = PicturePath(dataDirectory, camera);
        try
        {
            return (info, ViewPicture.FromImage(File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static void Replace(string path, byte[] bytes)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}
