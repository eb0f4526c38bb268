namespace CrosswalkWatch.Messaging;

/// <summary>
/// The topic scheme (version 1). Edge boxes publish under their site; the central site consumes every site's
/// candidates through one MQTT 5 shared subscription; the campaign office reads the office topics only.
/// <code>
/// cww/v1/sites/{site}/candidates           edge → central   a violation candidate (metadata, evidence references), QoS 1
/// cww/v1/sites/{site}/health               edge → central   the box's own health (its evidence disk), QoS 1, retained
/// cww/v1/sites/{site}/health/{camera}      edge → central   camera health, QoS 1, retained (latest only)
/// cww/v1/office/tallies                    central → office cww.tally: an official's count in a window after a decision changed it, QoS 1
/// cww/v1/office/notices                    central → office cww.notice: an accountability notice (tally.threshold-th and further, 3rd by default), once, QoS 1
///                                                             cww.notice.withdrawn: that notice withdrawn (its count fell below its number), once per issue, QoS 1
/// </code>
/// </summary>
public static class Topics
{
    public const string Root = "cww/v1";

    /// <summary>Every site's candidates, for the central consumer.</summary>
    public const string AllCandidates = Root + "/sites/+/candidates";

    public const string OfficeTallies = Root + "/office/tallies";

    public const string OfficeNotices = Root + "/office/notices";

    public static string Candidates(string site) => $"{Root}/sites/{Check(site)}/candidates";

    /// <summary>The box's own health; <c>…/health/#</c> gets it with every camera's.</summary>
    public static string BoxHealth(string site) => $"{Root}/sites/{Check(site)}/health";

    public static string Health(string site, string camera) => $"{Root}/sites/{Check(site)}/health/{Check(camera)}";

    /// <summary>The filter for a shared subscription: each message goes to one consumer of the group.</summary>
    public static string Shared(string group, string filter) => $"$share/{Check(group)}/{filter}";

    /// <summary>The site of a candidates topic, or null for any other topic.</summary>
    public static string? SiteOfCandidates(string topic)
    {
        var parts = topic.Split('/');
        return parts is ["cww", "v1", "sites", var site, "candidates"] ? site : null;
    }

    private static string Check(string level) =>
        level.Length == 0 || level.AsSpan().IndexOfAny("/+#$") >= 0
            ? throw new ArgumentException($"'{level}' cannot be a topic level (empty, or holds / + # $)", nameof(level))
            : level;
}
