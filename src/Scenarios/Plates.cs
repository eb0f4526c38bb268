using System.Diagnostics;
using System.Text;
using OpenCvSharp;
using static CrosswalkWatch.Domain.Plates.PlateGrammar;

namespace CrosswalkWatch.Scenarios;

/// <summary>Chinese plates of known text (DOMAIN.md grammar) and their pictures, for end-to-end tests of plate reading.</summary>
internal static class Plates
{
    private static readonly string[] FontCandidates =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ];

    /// <summary>A valid plate: blue 7 characters (<c>京A12345</c>) or green new-energy small car 8 characters (<c>沪AD12345</c>).</summary>
    public static (string Text, bool Green) Next(Random random)
    {
        var text = new StringBuilder();
        text.Append(Provinces[random.Next(Provinces.Length)]);
        text.Append(Letters[random.Next(Letters.Length)]);
        var green = random.NextDouble() < 0.35;
        if (green)
        {
            text.Append(EnergyLetters[random.Next(EnergyLetters.Length)]);
            var fourth = Letters + Digits;
            text.Append(fourth[random.Next(fourth.Length)]);
            for (var i = 0; i < 4; i++)
            {
                text.Append(Digits[random.Next(Digits.Length)]);
            }
        }
        else
        {
            // Five of letters and digits, mostly digits as on real plates.
            for (var i = 0; i < 5; i++)
            {
                var pool = random.NextDouble() < 0.3 ? Letters : Digits;
                text.Append(pool[random.Next(pool.Length)]);
            }
        }

        return (text.ToString(), green);
    }

    /// <summary>
    /// Renders the plate at 440×140 (white on blue, or black on green) with the CJK font through ffmpeg's drawtext
    /// (this OpenCvSharp build has no FreeType module), into a BGR picture.
    /// </summary>
    public static Mat Render(string text, bool green, string workDirectory)
    {
        var font = FontCandidates.FirstOrDefault(File.Exists)
                   ?? throw new ScenarioException($"no CJK font found ({string.Join(", ", FontCandidates)}): install fonts-noto-cjk (scripts/setup.sh does it)");
        Directory.CreateDirectory(workDirectory);
        var id = Guid.NewGuid().ToString("N");
        var textFile = Path.Combine(workDirectory, $"plate-{id}.txt");
        var image = Path.Combine(workDirectory, $"plate-{id}.png");
        var shown = green ? text[..2] + " " + text[2..] : text[..2] + "·" + text[2..];
        File.WriteAllText(textFile, shown, new UTF8Encoding(false));
        var background = green ? "0x63C98A" : "0x0C48B8";
        var fill = green ? "black" : "white";
        var fontSize = green ? 64 : 72;
        var filter = $"drawbox=x=4:y=4:w=432:h=132:color={(green ? "black" : "white")}@0.9:t=4," +
                     $"drawtext=fontfile={font}:textfile={textFile}:fontcolor={fill}:fontsize={fontSize}:x=(w-text_w)/2:y=(h-text_h)/2-6";
        var info = new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", $"color=c={background}:s=440x140", "-vf", filter, "-frames:v", "1", image])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using (var process = Process.Start(info) ?? throw new ScenarioException("could not start ffmpeg to render a plate"))
        {
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new ScenarioException($"ffmpeg could not render plate {text}: {error.Trim()}");
            }
        }

        var plate = Cv2.ImRead(image, ImreadModes.Color);
        File.Delete(textFile);
        File.Delete(image);
        if (plate.Empty())
        {
            plate.Dispose();
            throw new ScenarioException($"ffmpeg wrote no picture for plate {text}");
        }

        return plate;
    }
}

/// <summary>The scenario generator could not do its job (missing footage, no cut-outs found, ffmpeg failed).</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException()
    {
    }

    public ScenarioException(string message)
        : base(message)
    {
    }

    public ScenarioException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
