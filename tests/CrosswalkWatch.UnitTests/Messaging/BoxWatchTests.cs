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
}
