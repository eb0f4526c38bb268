using CrosswalkWatch.Cli.Commands;
using CrosswalkWatch.Domain.Health;

namespace CrosswalkWatch.UnitTests.Cli;

/// <summary>The console's camera table: a view fault is named under its camera, a sound or unchecked view adds nothing.</summary>
public class HealthTableTests
{
    [Fact]
    public void Render_MovedCameraAndSoundOne_NamesTheFaultUnderItsCameraOnly()
    {
        var table = HealthTable.Render(
        [
            new CameraHealth { CameraId = "north", State = CameraState.Streaming, View = ViewState.Moved, ViewDetail = "shifted 5.0 % right and 0.0 % down, turned 0.0° clockwise" },
            new CameraHealth { CameraId = "south", State = CameraState.Streaming, View = ViewState.Ok, ViewDetail = "matches the reference" },
            new CameraHealth { CameraId = "east", State = CameraState.Streaming, View = ViewState.Blurred, ViewDetail = "3 % of the reference's edge detail is left" },
        ]);

        var lines = table.Split('\n');
        Assert.StartsWith("north", lines[1], StringComparison.Ordinal);
        Assert.Equal("            view MOVED: shifted 5.0 % right and 0.0 % down, turned 0.0° clockwise (no candidates until it is put right or its scene is saved again)", lines[2]);
        Assert.StartsWith("south", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("east", lines[4], StringComparison.Ordinal);
        Assert.Equal("            view BLURRED: 3 % of the reference's edge detail is left", lines[5]);
        Assert.DoesNotContain("matches the reference", table, StringComparison.Ordinal);
    }
}
