using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Health;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Testing;

namespace CrosswalkWatch.UnitTests.Scene;

/// <summary>A knocked camera's scene moved in one step: every point where the live view shows it, the rule kept, the file still valid.</summary>
public class SceneShiftTests
{
    [Fact]
    public void Apply_NoShift_ChangesNothing()
    {
        var scene = ScriptedScene.Model().Definition;
        var same = SceneShift.Apply(scene, ViewShift.None, 640, 360);
        Assert.Equal(SceneWriter.Write(scene), SceneWriter.Write(same));
    }

    [Fact]
    public void Apply_ShiftRight_MovesEveryPointByTheShift()
    {
        var scene = ScriptedScene.Model().Definition;
        var moved = SceneShift.Apply(scene, new ViewShift(0.05, -0.02, 0), 640, 360);

        Assert.Equal(scene.Crosswalk[0][0] + 0.05, moved.Crosswalk[0][0], 3);
        Assert.Equal(scene.Crosswalk[0][1] - 0.02, moved.Crosswalk[0][1], 3);
        Assert.Equal(scene.Approaches[0].Lanes[0].Polygon[2][0] + 0.05, moved.Approaches[0].Lanes[0].Polygon[2][0], 3);
        Assert.Equal(scene.Approaches[0].StopLine[1][1] - 0.02, moved.Approaches[0].StopLine[1][1], 3);
        Assert.Equal(scene.Rule, moved.Rule);
    }

    [Fact]
    public void Apply_TurnAboutTheCentre_KeepsTheCentreAndTurnsClockwise()
    {
        var scene = new SceneDefinition { Crosswalk = [[0.5, 0.5], [0.9, 0.5], [0.5, 0.9]] };
        var turned = SceneShift.Apply(scene, new ViewShift(0, 0, 90), 641, 361);

        Assert.Equal([0.5, 0.5], turned.Crosswalk[0].Select(v => Math.Round(v, 2)));
        // The point to the right of the centre goes below it (clockwise as the picture is seen, y down).
        Assert.Equal(0.5, turned.Crosswalk[1][0], 2);
        Assert.True(turned.Crosswalk[1][1] > 0.9, $"{turned.Crosswalk[1][1]}");
    }

    [Fact]
    public void Apply_PointsPushedOffThePicture_StayOnItsEdgeAndTheSceneStillLoads()
    {
        var scene = ScriptedScene.Model().Definition;
        var moved = SceneShift.Apply(scene, new ViewShift(0.1, 0.05, 2), 640, 360);

        Assert.All(moved.Crosswalk.Concat(moved.Approaches.SelectMany(a => a.Lanes.SelectMany(l => l.Polygon))), p => Assert.True(p[0] is >= 0 and <= 1 && p[1] is >= 0 and <= 1));
        Assert.Contains(moved.Approaches.SelectMany(a => a.Lanes.SelectMany(l => l.Polygon)), p => p[1] == 1); // lanes reach the bottom edge
        var again = SceneLoader.Parse(SceneWriter.Write(moved), "moved.yaml");
        Assert.Equal(moved.Crosswalk, again.Crosswalk);
    }
}
