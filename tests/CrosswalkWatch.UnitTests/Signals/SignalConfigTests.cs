using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Scene;

namespace CrosswalkWatch.UnitTests.Signals;

/// <summary>A scene's <c>signals:</c> block: read, written back the same, and a bad head named by file, key and line.</summary>
public sealed class SignalConfigTests
{
    private static readonly string Sample = Path.Combine(TestAssets.RepositoryRoot, "samples", "scenes", "rox_crosswalk_elevated.yaml");

    [Fact]
    public void Parse_SignalsBlock_GivesTheHeadsInOrder()
    {
        var scene = SceneLoader.Parse(File.ReadAllText(Sample) + "signals:\n  - name: far kerb head\n    box: [[0.70, 0.10], [0.72, 0.16]]\n  - name: \"近端 head\"\n    box: [[0.1, 0.2], [0.12, 0.26]]\n", "cam1.yaml");

        Assert.Equal(["far kerb head", "近端 head"], scene.Signals.Select(s => s.Name));
        Assert.Equal([0.70, 0.10], scene.Signals[0].Box[0]);
        Assert.Equal([0.72, 0.16], scene.Signals[0].Box[1]);
    }

    [Fact]
    public void Parse_NoSignalsBlock_NoHeads() =>
        Assert.Empty(SceneLoader.Load(Sample).Signals);

    public static TheoryData<string, string, string> BadHeads => new()
    {
        { "  - name: h\n    box: [[0.70, 0.10], [0.72, 0.16], [0.8, 0.2]]\n", "signals[0].box", "a box is two points" },
        { "  - name: h\n    box: [[0.70, 0.10]]\n", "signals[0].box", "a box is two points" },
        { "  - name: h\n    box: [[0.70, 0.10], [1.2, 0.16]]\n", "signals[0].box[1]", "outside the image" },
        { "  - name: h\n    box: [[0.72, 0.16], [0.70, 0.10]]\n", "signals[0].box", "the first point is its top-left corner" },
        { "  - name: h\n    box: [[0.70, 0.10], [0.70, 0.16]]\n", "signals[0].box", "at least 0.002 of the picture apart" },
        { "  - name: h\n    box: [[0.70, 0.10], [0.72]]\n", "signals[0].box[1]", "two numbers" },
        { "  - box: [[0.70, 0.10], [0.72, 0.16]]\n", "signals[0].name", "required" },
        { "  - name: h\n", "signals[0].box", "required" },
        { "  - name: h\n    box: [[0.70, 0.10], [0.72, 0.16]]\n  - name: H\n    box: [[0.1, 0.1], [0.12, 0.16]]\n", "signals[1].name", "duplicate signal name 'H'" },
        { "  - name: h\n    box: [[0.70, 0.10], [0.72, 0.16]]\n    colour: red\n", "signals[0].colour", "unknown key 'colour'" },
    };

    [Theory]
    [MemberData(nameof(BadHeads))]
    public void Parse_BadHead_NamesFileKeyLineAndWhatIsExpected(string block, string key, string message)
    {
        var text = File.ReadAllText(Sample) + "signals:\n" + block;

        var error = Assert.Throws<ConfigException>(() => SceneLoader.Parse(text, "cam1.yaml"));

        Assert.Contains(error.Errors, e => e.File == "cam1.yaml" && e.Key == key && e.Line > 0 && e.Message.Contains(message, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Write_SceneWithHeads_ReadsBackTheSame()
    {
        var sample = SceneLoader.Load(Sample);
        var scene = sample with
        {
            Signals = [new SignalDefinition { Name = "far kerb head", Box = [[0.7, 0.1], [0.72, 0.16]] }, new SignalDefinition { Name = "yes", Box = [[0.1, 0.2], [0.125, 0.26]] }],
        };

        var again = SceneLoader.Parse(SceneWriter.Write(scene), "cam1.yaml");

        Assert.Equal(scene.Signals.Select(s => (s.Name, s.Box[0][0], s.Box[0][1], s.Box[1][0], s.Box[1][1])), again.Signals.Select(s => (s.Name, s.Box[0][0], s.Box[0][1], s.Box[1][0], s.Box[1][1])));
    }
}
