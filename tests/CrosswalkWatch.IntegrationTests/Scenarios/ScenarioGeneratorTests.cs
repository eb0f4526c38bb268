using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Frames;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Scenarios;
using OpenCvSharp;
using Xunit.Abstractions;

namespace CrosswalkWatch.IntegrationTests.Scenarios;

[Collection(GeneratedSuiteUsers.Name)]
public sealed class ScenarioGeneratorTests(GeneratedSuite suite, ITestOutputHelper output)
{
    [Fact]
    public void GenerateAsync_ThreeClips_WritesH264At1920x1080()
    {
        Assert.Equal(3, suite.Clips.Count);
        foreach (var clip in suite.Clips)
        {
            var probe = Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,has_b_frames", "-of", "csv=p=0", clip.VideoPath);
            output.WriteLine($"{clip.Name}: {probe}");
            Assert.Equal("h264,1920,1080,0", probe.Trim());
        }

        Assert.True(File.Exists(Path.Combine(suite.Folder, "scene.yaml")), "scene.yaml was not copied into the suite");
    }

    [Fact]
    public void GenerateAsync_ThreeClips_CyclesKindsAndLabelsViolationsExactlyForViolationKinds()
    {
        Assert.Equal([ScenarioKind.StopsAndWaits, ScenarioKind.PedestrianInLane, ScenarioKind.PedestrianInAdjacentLane], suite.Clips.Select(c => c.Kind));
        foreach (var clip in suite.Clips)
        {
            using var truth = JsonDocument.Parse(File.ReadAllText(clip.TruthPath));
            var root = truth.RootElement;
            var violations = root.GetProperty("violations");
            output.WriteLine($"{clip.Name}: {violations.GetArrayLength()} violation(s) {violations}");
            Assert.Equal(ScenarioGenerator.IsViolation(clip.Kind) ? 1 : 0, violations.GetArrayLength());
            Assert.Equal(10, root.GetProperty("fps").GetInt32());
            Assert.Equal(50, root.GetProperty("frames").GetInt32());
            foreach (var violation in violations.EnumerateArray())
            {
                var vehicle = violation.GetProperty("vehicleId").GetInt32();
                Assert.Contains(root.GetProperty("objects").EnumerateArray(), o => o.GetProperty("id").GetInt32() == vehicle && o.GetProperty("class").GetString() == "vehicle");
                Assert.True(violation.GetProperty("end").GetDouble() > violation.GetProperty("start").GetDouble(), $"{clip.Name}: empty violation window");
                Assert.True(violation.GetProperty("conflictFrames").GetInt32() >= 3, $"{clip.Name}: the pedestrian is not in the vehicle's conflict zone while it crosses the line");
                Assert.True(PlateGrammar.IsValid(violation.GetProperty("plate").GetString()!), $"{clip.Name}: plate {violation.GetProperty("plate")} breaks the grammar");
            }
        }
    }

    [Fact]
    public void GenerateAsync_Vehicles_CarryValidPlatesAtLeast120PixelsWide()
    {
        var plates = 0;
        foreach (var clip in suite.Clips)
        {
            using var truth = JsonDocument.Parse(File.ReadAllText(clip.TruthPath));
            foreach (var o in truth.RootElement.GetProperty("objects").EnumerateArray().Where(o => o.GetProperty("class").GetString() == "vehicle"))
            {
                var plate = o.GetProperty("plate").GetString()!;
                var width = o.GetProperty("plateWidthPx").GetInt32();
                output.WriteLine($"{clip.Name}: vehicle {o.GetProperty("id")} plate {plate} ({o.GetProperty("plateColor")}) {width} px");
                Assert.True(PlateGrammar.IsValid(plate), $"plate {plate} breaks the grammar");
                Assert.InRange(width, 120, 1920);
                plates++;
            }
        }

        Assert.True(plates >= 3, $"only {plates} vehicles with plates in the suite");
    }

    [Fact]
    public void GenerateAsync_OtherSeed_WritesDifferentClip()
    {
        var first = suite.Clips[0];
        var other = suite.OtherSeedClips[0];
        Assert.Equal(first.Kind, other.Kind);
        Assert.NotEqual(File.ReadAllText(first.TruthPath), File.ReadAllText(other.TruthPath));
        Assert.NotEqual(File.ReadAllBytes(first.VideoPath), File.ReadAllBytes(other.VideoPath));
    }

    [Fact]
    public void Detect_MiddleFrameOfClip_FindsPastedPersonsAndCars()
    {
        using var detector = DetectorFactory.Create(suite.Store, new DetectorOptions());
        var pool = new FramePool();
        int persons = 0, cars = 0, labelledPersons = 0, labelledCars = 0;
        foreach (var clip in suite.Clips)
        {
            using var truth = JsonDocument.Parse(File.ReadAllText(clip.TruthPath));
            var frameIndex = truth.RootElement.GetProperty("frames").GetInt32() / 2;
            var labelled = Labelled(truth.RootElement, frameIndex);
            using var mat = ReadFrame(clip.VideoPath, frameIndex);
            using var frame = pool.Rent("scenario", mat.Width, mat.Height);
            System.Runtime.InteropServices.Marshal.Copy(mat.Data, frame.Buffer, 0, frame.Length);
            var found = detector.Detect(frame).Items;
            foreach (var (cls, box) in labelled)
            {
                var hit = found.Any(d => d.Class == cls && d.Box.IoU(box) > 0.3f);
                output.WriteLine($"{clip.Name} frame {frameIndex}: {cls} {box} {(hit ? "found" : "MISSED")}");
                if (cls == ObjectClass.Pedestrian)
                {
                    labelledPersons++;
                    persons += hit ? 1 : 0;
                }
                else
                {
                    labelledCars++;
                    cars += hit ? 1 : 0;
                }
            }
        }

        Assert.True(labelledPersons > 0 && labelledCars > 0, "the middle frames show no labelled person or car");
        Assert.True(persons >= Math.Ceiling(labelledPersons * 0.6), $"found {persons} of {labelledPersons} pasted persons");
        Assert.True(cars >= Math.Ceiling(labelledCars * 0.6), $"found {cars} of {labelledCars} pasted cars");
    }

    private static List<(ObjectClass Class, Box Box)> Labelled(JsonElement root, int frameIndex)
    {
        var list = new List<(ObjectClass, Box)>();
        foreach (var o in root.GetProperty("objects").EnumerateArray())
        {
            var cls = o.GetProperty("class").GetString() == "pedestrian" ? ObjectClass.Pedestrian : ObjectClass.MotorVehicle;
            foreach (var sample in o.GetProperty("track").EnumerateArray().Where(s => s.GetProperty("frame").GetInt32() == frameIndex))
            {
                var b = sample.GetProperty("box");
                list.Add((cls, new Box(b[0].GetSingle(), b[1].GetSingle(), b[2].GetSingle(), b[3].GetSingle())));
            }
        }

        return list;
    }

    private static Mat ReadFrame(string video, int index)
    {
        using var capture = new VideoCapture(video);
        Assert.True(capture.IsOpened(), $"OpenCV could not open {video}");
        var mat = new Mat();
        for (var i = 0; i <= index; i++)
        {
            Assert.True(capture.Read(mat) && !mat.Empty(), $"{video} ended before frame {index.ToString(CultureInfo.InvariantCulture)}");
        }

        return mat;
    }

    private static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var text = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {errors}");
        return text;
    }
}
