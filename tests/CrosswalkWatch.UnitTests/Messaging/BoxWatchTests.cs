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
    public void Health_ACameraWithItsTimeStreamedToday_CarriesTheDayAndMilliseconds_OneWithoutCarriesNeither()
    {
        var camera = new Domain.Health.CameraHealth { CameraId = "north", State = Domain.Health.CameraState.Streaming };
        var streamed = camera with { StreamedToday = new Domain.Health.StreamedDay("north", new DateOnly(2026, 12, 7), TimeSpan.FromMinutes(90.5)) };

        using var with = System.Text.Json.JsonDocument.Parse(CrosswalkWatch.Messaging.Edge.Announcements.Health("a", streamed).Payload);
        using var without = System.Text.Json.JsonDocument.Parse(CrosswalkWatch.Messaging.Edge.Announcements.Health("a", camera).Payload);

        var body = with.RootElement.GetProperty("body");
        Assert.Equal("2026-12-07", body.GetProperty("streamedDay").GetString());
        Assert.Equal(5_430_000, body.GetProperty("streamedMs").GetInt64());
        Assert.False(without.RootElement.GetProperty("body").TryGetProperty("streamedDay", out _));
        Assert.False(without.RootElement.GetProperty("body").TryGetProperty("streamedMs", out _));
    }

    [Fact]
    public void StreamedOf_WhatABoxAnnounced_TheSameCameraDayAndTime()
    {
        var today = new Domain.Health.StreamedDay("north", new DateOnly(2026, 12, 7), TimeSpan.FromMilliseconds(5_430_001));
        var (_, payload) = CrosswalkWatch.Messaging.Edge.Announcements.Health("a", new Domain.Health.CameraHealth { CameraId = "north", StreamedToday = today });

        Assert.Equal(today, BoxWatch.StreamedOf(payload, "north", new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), out var error));
        Assert.Equal("", error);
    }

    // At 2026-12-07 09:00 UTC the 7th began at the earliest 23 h ago (UTC+14, at 10:00 UTC the day before); the 8th not yet anywhere.
    [Theory]
    [InlineData("", null, "")] // an older box, or nothing recorded yet: no hours, no complaint
    [InlineData(",'streamedDay':'2026-12-07','streamedMs':3600000", 1.0, "")]
    [InlineData(",'streamedDay':'2026-12-07','streamedMs':82800000", 23.0, "")]
    [InlineData(",'streamedDay':'2026-12-07','streamedMs':82800001", null, "longer than 2026-12-07 can have lasted")]
    [InlineData(",'streamedDay':'2026-12-06','streamedMs':0", 0.0, "")]
    [InlineData(",'streamedDay':'2026-12-08','streamedMs':0", null, "has not begun anywhere")]
    [InlineData(",'streamedDay':'2026-10-25','streamedMs':88200000", 24.5, "")] // the day clocks go back lasts 25 h
    [InlineData(",'streamedDay':'2026-10-25','streamedMs':90000001", null, "longer than 2026-10-25 can have lasted")]
    [InlineData(",'streamedDay':'2026-12-07','streamedMs':-1", null, "zero or more")]
    [InlineData(",'streamedDay':'2026-12-07','streamedMs':1.5", null, "whole number")]
    [InlineData(",'streamedDay':'2026-12-07','streamedMs':'60000'", null, "whole number")]
    [InlineData(",'streamedDay':'07.12.2026','streamedMs':60000", null, "not a day written yyyy-MM-dd")]
    [InlineData(",'streamedDay':'2026-12-07'", null, "come together")]
    [InlineData(",'streamedMs':60000", null, "come together")]
    public void StreamedOf_AReportedDayAndTime_TakenOnlyWhenSane(string fields, double? hours, string error)
    {
        var json = ("{'schema':'cww.health','version':1,'id':'a/north','body':{'siteId':'a','cameraId':'north','state':'Streaming'" + fields + "}}").Replace('\'', '"');

        var streamed = BoxWatch.StreamedOf(Encoding.UTF8.GetBytes(json), "north", new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), out var why);

        Assert.Equal(hours, streamed?.Streamed.TotalHours);
        Assert.Equal(hours is null ? null : "north", streamed?.CameraId);
        Assert.Contains(error, why, StringComparison.Ordinal);
        Assert.Equal(error.Length == 0, why.Length == 0);
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

        Assert.Equal([("north", "moved", "shifted 5.0 % right and 0.0 % down, turned 0.0° clockwise"), ("south", "blocked", "52 % of the picture's detail is covered")], box.ViewFaults.Select(f => (f.Camera, f.View, f.Detail)));
        Assert.All(box.ViewFaults, f => Assert.Null(f.Text)); // no phrase sent: the English stands
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
