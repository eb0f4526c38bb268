using System.CommandLine;
using System.Globalization;
using CrosswalkWatch.Config;
using CrosswalkWatch.Decision.Scene;
using CrosswalkWatch.Decision.Signals;
using CrosswalkWatch.Detector.Signals;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Media.Imaging;
using OpenCvSharp;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww scene draw|check|signals</c>: for operators drawing a camera's crosswalk, stop lines, lanes, turning movements and signal heads.</summary>
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
        command.Add(Signals());
        return command;
    }

    /// <summary>
    /// <c>cww scene signals</c>: what the box reads of the scene's pedestrian signal heads, on a picture or through a
    /// video, at the size the detector's frames have — for an operator marking a head or checking one.
    /// </summary>
    private static Command Signals()
    {
        var scene = new Option<FileInfo>("--scene") { Description = "Scene file with a signals: block.", Required = true };
        var input = new Option<FileInfo>("--image") { Description = "A frame of the camera (PNG or JPEG), or a video file (read through).", Required = true };
        var size = new Option<string>("--size") { Description = "The detector's frame size the box reads the heads at (ingest.detectWidth x detectHeight).", DefaultValueFactory = _ => "640x360" };
        var fps = new Option<double>("--fps") { Description = "A video: frames read per second (ingest.detectFps).", DefaultValueFactory = _ => 5 };
        var frames = new Option<int>("--frames") { Description = "A video: frames a new state must be read in a row (rule.signalFrames).", DefaultValueFactory = _ => new YieldRuleSettings().SignalFrames };
        var command = new Command("signals", "Read the scene's pedestrian signal heads on a frame (each head's state and lit shares) or through a video (each change of state, with hysteresis), as the box reads them.")
        {
            scene, input, size, fps, frames,
        };
        command.SetAction(result =>
        {
            var definition = SceneLoader.Load(result.GetRequiredValue(scene).FullName);
            if (definition.Signals.Count == 0)
            {
                Console.Error.WriteLine("the scene marks no signal head: add a signals: block (see README.md, \"Mark the pedestrian signal\")");
                return 2;
            }

            if (result.GetRequiredValue(size).Split('x') is not [var w, var h] || !int.TryParse(w, CultureInfo.InvariantCulture, out var width) || !int.TryParse(h, CultureInfo.InvariantCulture, out var height) || width < 16 || height < 16)
            {
                Console.Error.WriteLine($"--size {result.GetRequiredValue(size)}: expected WIDTHxHEIGHT, e.g. 640x360");
                return 2;
            }

            var boxes = definition.Signals.Select(SignalHeadReader.BoxOf).ToArray();
            var path = result.GetRequiredValue(input).FullName;
            using (var still = Cv2.ImRead(path, ImreadModes.Color))
            {
                if (!still.Empty())
                {
                    using var small = Resized(still, width, height);
                    for (var i = 0; i < boxes.Length; i++)
                    {
                        var look = SignalHeadReader.Look(small, boxes[i]);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{definition.Signals[i].Name}: {look.State.English()} ({look.State.Chinese()})   lit red {look.RedShare:0.000} above, green {look.GreenShare:0.000} below (lit from {SignalHeadReader.LitShare})"));
                    }

                    return 0;
                }
            }

            using var capture = new VideoCapture(path);
            if (!capture.IsOpened())
            {
                Console.Error.WriteLine($"{path} is neither a picture nor a video this build can read");
                return 1;
            }

            var heads = boxes.Select(_ => new SignalHysteresis(result.GetValue(frames))).ToArray();
            var step = 1 / Math.Max(0.1, result.GetValue(fps));
            var next = 0.0;
            var read = 0;
            using var frame = new Mat();
            while (capture.Read(frame) && !frame.Empty())
            {
                var t = capture.Get(VideoCaptureProperties.PosMsec) / 1000;
                if (t + 1e-6 < next)
                {
                    continue;
                }

                next += step;
                read++;
                using var small = Resized(frame, width, height);
                for (var i = 0; i < boxes.Length; i++)
                {
                    var look = SignalHeadReader.Look(small, boxes[i]);
                    var before = heads[i].State;
                    if (heads[i].Update(look.State) != before)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t,7:0.00} s  {definition.Signals[i].Name}: {before.English()} → {heads[i].State.English()} ({heads[i].State.Chinese()})   lit red {look.RedShare:0.000}, green {look.GreenShare:0.000}"));
                    }
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{read} frames read at {width}x{height}; last states: {string.Join(", ", definition.Signals.Select((s, i) => $"{s.Name} {heads[i].State.English()}"))}"));
            return 0;
        });
        return command;
    }

    private static Mat Resized(Mat picture, int width, int height)
    {
        var small = new Mat();
        Cv2.Resize(picture, small, new Size(width, height), 0, 0, InterpolationFlags.Area);
        return small;
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
