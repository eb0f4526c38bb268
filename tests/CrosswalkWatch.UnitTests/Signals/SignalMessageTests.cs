using System.Text;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Payloads;

namespace CrosswalkWatch.UnitTests.Signals;

/// <summary>The signal controller's payload (<c>cww.signal</c>) and topic: read when well-formed, refused with the reason otherwise.</summary>
public sealed class SignalMessageTests
{
    [Fact]
    public void TryDecode_ControllersMessage_GivesStateAndTime()
    {
        var payload = Encoding.UTF8.GetBytes("""{"schema":"cww.signal","state":"red","at":"2026-05-04T08:00:00.250+08:00","phase":7}""");

        Assert.True(SignalMessage.TryDecode(payload, out var message, out var error), error);
        Assert.Equal(new SignalMessage(SignalState.Red, new DateTimeOffset(2026, 5, 4, 8, 0, 0, 250, TimeSpan.FromHours(8))), message);
    }

    [Fact]
    public void Encode_Decode_RoundTrips()
    {
        var at = new DateTimeOffset(2026, 5, 4, 0, 0, 1, TimeSpan.Zero);
        foreach (var state in new[] { SignalState.Red, SignalState.Green, SignalState.Off })
        {
            Assert.True(SignalMessage.TryDecode(SignalMessage.Encode(state, at), out var message, out _));
            Assert.Equal(new SignalMessage(state, at), message);
        }
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "", "malformed JSON" },
        { "red", "malformed JSON" },
        { "{\"schema\":\"cww.signal\",\"state\":\"red\",\"at\":\"2026-05-04T08:00:00Z\"} trailing", "malformed JSON" },
        { "[1,2]", "no \"schema\"" },
        { "{\"state\":\"red\",\"at\":\"2026-05-04T08:00:00Z\"}", "no \"schema\"" },
        { "{\"schema\":\"cww.candidate\",\"state\":\"red\",\"at\":\"2026-05-04T08:00:00Z\"}", "schema 'cww.candidate'" },
        { "{\"schema\":\"cww.signal\",\"state\":\"amber\",\"at\":\"2026-05-04T08:00:00Z\"}", "state \"amber\"" },
        { "{\"schema\":\"cww.signal\",\"state\":\"RED\",\"at\":\"2026-05-04T08:00:00Z\"}", "state \"RED\"" },
        { "{\"schema\":\"cww.signal\",\"state\":1,\"at\":\"2026-05-04T08:00:00Z\"}", "state 1" },
        { "{\"schema\":\"cww.signal\",\"at\":\"2026-05-04T08:00:00Z\"}", "state missing" },
        { "{\"schema\":\"cww.signal\",\"state\":\"green\"}", "time missing" },
        { "{\"schema\":\"cww.signal\",\"state\":\"green\",\"at\":\"yesterday\"}", "time \"yesterday\"" },
        { "{\"schema\":\"cww.signal\",\"state\":\"green\",\"at\":\"2026-05-04T08:00:00\"}", "with its offset" },
        { "{\"schema\":\"cww.signal\",\"state\":\"green\",\"at\":1777852800}", "time 1777852800" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void TryDecode_NotASignalMessage_RefusedWithTheReason(string payload, string reason)
    {
        Assert.False(SignalMessage.TryDecode(Encoding.UTF8.GetBytes(payload), out var message, out var error));
        Assert.Null(message);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_OverTheCap_RefusedUnread()
    {
        var padded = Encoding.UTF8.GetBytes("{\"schema\":\"cww.signal\",\"state\":\"red\",\"at\":\"2026-05-04T08:00:00Z\",\"pad\":\"" + new string('x', SignalMessage.MaxBytes) + "\"}");

        Assert.False(SignalMessage.TryDecode(padded, out _, out var error));
        Assert.Contains($"over the {SignalMessage.MaxBytes}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cww/v1/sites/a/signals/cam1", "a", "cam1")]
    [InlineData("cww/v1/sites/b/signals/cam1", "a", null)]
    [InlineData("cww/v1/sites/a/signals", "a", null)]
    [InlineData("cww/v1/sites/a/signals/cam1/x", "a", null)]
    [InlineData("cww/v1/sites/a/candidates", "a", null)]
    public void CameraOfSignal_Topic_TheCameraOfThisSiteOnly(string topic, string site, string? camera)
    {
        Assert.Equal(camera, Topics.CameraOfSignal(site, topic));
        Assert.Equal("cww/v1/sites/a/signals/cam1", Topics.Signal("a", "cam1"));
    }
}
