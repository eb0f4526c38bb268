using System.Text;
using CrosswalkWatch.Messaging.Central;

namespace CrosswalkWatch.UnitTests.Messaging;

/// <summary>What the central site takes from a health message: the state, only from a message of its topic's box and camera.</summary>
public sealed class BoxWatchTests
{
    [Theory]
    [InlineData("""{"schema":"cww.health","version":1,"id":"a/north","body":{"siteId":"a","cameraId":"north","state":"Streaming","fps":25}}""", "a", "north", "Streaming", "")]
    [InlineData("""{"schema":"cww.box-health","version":1,"id":"a","body":{"siteId":"a","evidence":{"state":"diskFull"}}}""", "a", "", "diskFull", "")]
    [InlineData("""{"schema":"cww.health","version":1,"id":"b/north","body":{"siteId":"b","cameraId":"north","state":"Streaming"}}""", "a", "north", null, "does not match its topic")]
    [InlineData("""{"schema":"cww.health","version":1,"id":"a/south","body":{"siteId":"a","cameraId":"south","state":"Streaming"}}""", "a", "north", null, "does not match its topic")]
    [InlineData("""{"schema":"cww.candidate","version":1,"id":"x","body":{"siteId":"a"}}""", "a", "", null, "not a cww.box-health message")]
    [InlineData("""{"schema":"cww.box-health","version":1,"id":"a","body":{"siteId":"a"}}""", "a", "", null, "no evidence.state in it")]
    [InlineData("""not json""", "a", "", null, "unreadable")]
    public void StateOf_AHealthMessage_ItsStateOnlyWhenItIsItsTopicsBoxAndCamera(string json, string site, string camera, string? state, string error)
    {
        Assert.Equal(state, BoxWatch.StateOf(Encoding.UTF8.GetBytes(json), site, camera, out var why));
        Assert.Contains(error, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_CameraHealthWithAView_NamesTheFaultsOnly()
    {
        var at = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        Domain.Health.BoxHealthRow Camera(string camera, Domain.Health.ViewState view, string? detail = null)
        {
            var (_, payload) = CrosswalkWatch.Messaging.Edge.Announcements.Health("a", new Domain.Health.CameraHealth { CameraId = camera, State = Domain.Health.CameraState.Streaming, View = view, ViewDetail = detail });
            return new("a", camera, "Streaming", at, Encoding.UTF8.GetString(payload));
        }

        var rows = new[]
        {
            Camera("north", Domain.Health.ViewState.Moved, "shifted 5.0 % right and 0.0 % down, turned 0.0° clockwise"),
            Camera("south", Domain.Health.ViewState.Blocked, "52 % of the picture's detail is covered"),
            Camera("east", Domain.Health.ViewState.Ok),
            Camera("west", Domain.Health.ViewState.Unchecked),
            Camera("far", Domain.Health.ViewState.Learning),
            new Domain.Health.BoxHealthRow("a", "broken", "Streaming", at, "not json"),
        };

        var box = Assert.Single(BoxSummary.Of(rows, at, TimeSpan.FromSeconds(60)));

        Assert.Equal([("north", "moved", "shifted 5.0 % right and 0.0 % down, turned 0.0° clockwise"), ("south", "blocked", "52 % of the picture's detail is covered")], box.ViewFaults);
        Assert.Equal((1, 1), (box.Moved, box.Blocked));
        Assert.Equal(6, box.Streaming);
    }

    [Fact]
    public void Summary_BoxHealthWithDetectorAndBacklog_ReadsThemAndOlderBoxesGiveNone()
    {
        var at = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        var evidence = new Domain.Health.EvidenceHealth { Directory = "/srv/cww/evidence", Held = 2, FreeBytes = 1 << 30 };
        var (_, now) = CrosswalkWatch.Messaging.Edge.Announcements.BoxHealth("a", evidence, detector: new Domain.Health.DetectorLoad(3, 12.4, 15, Overloaded: true), pending: 5);
        const string older = """{"schema":"cww.box-health","version":1,"id":"b","body":{"siteId":"b","evidence":{"state":"writing","freeBytes":1}}}""";

        var boxes = BoxSummary.Of([new("a", "", "writing", at, Encoding.UTF8.GetString(now)), new("b", "", "writing", at, older)], at, TimeSpan.FromSeconds(60));

        var a = boxes.Single(b => b.SiteId == "a");
        Assert.Equal(7, a.Backlog); // 5 being built or waiting for their recording, 2 held
        Assert.Equal(new Domain.Health.DetectorLoad(3, 12.4, 15, true), a.Detector);
        var b = boxes.Single(b => b.SiteId == "b");
        Assert.Null(b.Backlog);
        Assert.Null(b.Detector);
    }
}
