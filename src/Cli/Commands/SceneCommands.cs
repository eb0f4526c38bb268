using System.CommandLine;
using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Media.Imaging;
using OpenCvSharp;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww scene draw|check</c>: for operators drawing a camera's crosswalk, stop lines, lanes and turning movements.</summary>
internal static class SceneCommands
{
    public static Command Create()
    {
        var command = new Command("scene", "Check a camera's scene file or draw it over a frame.");
        var scene = new Option<FileInfo>("--scene") { Description = "Scene file (YAML, coordinates 0–1).", Required = true };
        var image = new Option<FileInfo>("--image") { Description = "A frame of the camera (PNG or JPEG), or a video file (its first frame).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the picture with the scene drawn over it (PNG).", Required = true };
        var draw = new Command("draw", "Draw the scene's geometry over a frame, to check it against the picture.") { scene, image, output };
        draw.SetAction(result =>
        {
            var definition = SceneLoader.Load(result.GetRequiredValue(scene).FullName);
            var source = result.GetRequiredValue(image).FullName;
            using var frame = ReadFrame(source);
            SceneOverlay.Draw(frame, definition);
            var target = result.GetRequiredValue(output).FullName;
            if (!Cv2.ImWrite(target, frame))
            {
                Console.Error.WriteLine($"could not write {target}");
                return 1;
            }

            Console.WriteLine($"{target}: {frame.Width}x{frame.Height}, {definition.Approaches.Sum(a => a.Lanes.Count)} lanes in {definition.Approaches.Count} approach(es), {definition.Movements.Count} turning movement(s)");
            return 0;
        });
        command.Add(draw);

        var file = new Argument<FileInfo>("FILE") { Description = "Scene file." };
        var check = new Command("check", "Validate a scene file: every error with its line and key.") { file };
        check.SetAction(result =>
        {
            var path = result.GetRequiredValue(file).FullName;
            var definition = SceneLoader.Load(path);
            var model = new SceneModel(definition);
            Console.WriteLine($"{path}: ok — {model.Lanes.Count} lanes ({string.Join(", ", model.Lanes.Select(l => $"{l.Id} {l.Approach}"))}), centre line {(model.Center is null ? "none" : "crosses the crosswalk")}"
                + (model.Movements.Count == 0 ? "" : $", turning movements: {string.Join("; ", model.Movements.Select(m => $"{m.Name} ({m.Turn.Text()} into {string.Join(", ", m.Lanes.Select(l => l.Id))})"))}"));
            return 0;
        });
        command.Add(check);
        return command;
    }

    private static Mat ReadFrame(string path)
    {
        var still = Cv2.ImRead(path, ImreadModes.Color);
        if (!still.Empty())
        {
            return still;
        }

        still.Dispose();
        using var capture = new VideoCapture(path);
        var frame = new Mat();
        if (!capture.IsOpened() || !capture.Read(frame) || frame.Empty())
        {
            frame.Dispose();
            throw new InvalidOperationException($"{path} is neither a picture nor a video this build can read");
        }

        return frame;
    }
}
