namespace CrosswalkWatch.Messaging;

/// <summary>
/// The topic scheme (version 1). Edge boxes publish under their site; the central site consumes every site's
/// candidates through one MQTT 5 shared subscription; the campaign office reads the office topics only; where a city
/// has the feed, its signal controller tells each box its cameras' pedestrian signal.
/// <code>
/// cww/v1/sites/{site}/candidates           edge → central   a violation candidate (metadata, evidence references), QoS 1
/// cww/v1/sites/{site}/health               edge → central   the box's own health (its evidence disk), QoS 1, retained
/// cww/v1/sites/{site}/health/{camera}      edge → central   camera health, QoS 1, retained (latest only)
/// cww/v1/sites/{site}/signals/{camera}     controller → edge the pedestrian signal of the camera's crossing, QoS 0 or 1, on each change and every second or so
/// cww/v1/alerts/boxes                      central → central cww.box-alert: a box silent beyond messaging.silentSeconds, or heard again, once per episode, QoS 1
/// cww/v1/office/tallies                    central → office cww.tally: an official's count in a window after a decision changed it, QoS 1
/// cww/v1/office/notices                    central → office cww.notice: an accountability notice (tally.threshold-th and further, 3rd by default), once, QoS 1
///                                                             cww.notice.withdrawn: that notice withdrawn (its count fell below its number), once per issue, QoS 1
/// </code>
/// A signal message is the controller's own small JSON, not an envelope (at most <see cref="Payloads.SignalMessage.MaxBytes"/> bytes):
/// <c>{"schema": "cww.signal", "state": "red" | "green" | "off", "at": "2026-05-04T08:00:00.250+08:00"}</c> — the state
/// and when the controller set or last confirmed it (ISO 8601 with an offset). The box takes it over what it reads from
/// the picture while <c>at</c> is within <c>rule.signalFeedSeconds</c> of the frame's time.
/// </summary>
public static class Topics
{
    public const string Root = "cww/v1";

    /// <summary>Every site's candidates, for the central consumer.</summary>
    public const string AllCandidates = Root + "/sites/+/candidates";

    /// <summary>Every box's and camera's health, for the central site's view of the boxes.</summary>
    public const string AllHealth = Root + "/sites/+/health/#";

    /// <summary>Boxes falling silent and heard again.</summary>
    public const string BoxAlerts = Root + "/alerts/boxes";

    public const string OfficeTallies = Root + "/office/tallies";

    public const string OfficeNotices = Root + "/office/notices";

    public static string Candidates(string site) => $"{Root}/sites/{Check(site)}/candidates";

    /// <summary>The box's own health; <c>…/health/#</c> gets it with every camera's.</summary>
    public static string BoxHealth(string site) => $"{Root}/sites/{Check(site)}/health";

    public static string Health(string site, string camera) => $"{Root}/sites/{Check(site)}/health/{Check(camera)}";

    /// <summary>The pedestrian signal of one camera's crossing, as the city's signal controller publishes it.</summary>
    public static string Signal(string site, string camera) => $"{Root}/sites/{Check(site)}/signals/{Check(camera)}";

    /// <summary>Every camera's signal at a site: what its box reads.</summary>
    public static string Signals(string site) => $"{Root}/sites/{Check(site)}/signals/+";

    /// <summary>The camera of a signal topic of <paramref name="site"/>, or null for any other topic.</summary>
    public static string? CameraOfSignal(string site, string topic)
    {
        var parts = topic.Split('/');
        return parts is ["cww", "v1", "sites", var s, "signals", var camera] && s == site && camera.Length > 0 ? camera : null;
    }

    /// <summary>The filter for a shared subscription: each message goes to one consumer of the group.</summary>
    public static string Shared(string group, string filter) => $"$share/{Check(group)}/{filter}";

    /// <summary>The site of a candidates topic, or null for any other topic.</summary>
    public static string? SiteOfCandidates(string topic)
    {
        var parts = topic.Split('/');
        return parts is ["cww", "v1", "sites", var site, "candidates"] ? site : null;
    }

    /// <summary>The site and camera (empty for the box's own) of a health topic, or null for any other topic.</summary>
    public static (string Site, string Camera)? OfHealth(string topic)
    {
        var parts = topic.Split('/');
        return parts switch
        {
            ["cww", "v1", "sites", var site, "health"] => (site, ""),
            ["cww", "v1", "sites", var site, "health", var camera] => (site, camera),
            _ => null,
        };
    }

    private static string Check(string level) =>
        level.Length == 0 || level.AsSpan().IndexOfAny("/+#$") >= 0
            ? throw new ArgumentException($"'{level}' cannot be a topic level (empty, or holds / + # $)", nameof(level))
            : level;
}
