using System.Buffers;

namespace CrosswalkWatch.Messaging;

/// <summary>What kind of client a broker account is.</summary>
public enum BrokerRoleKind
{
    /// <summary>An edge box: publishes its own site's candidates and health, reads its own site's signals only.</summary>
    Site,

    /// <summary>The central consumers: read every site's candidates and health, publish the office topics.</summary>
    Central,

    /// <summary>The campaign office's clients: read the office topics only.</summary>
    Office,

    /// <summary>A city's signal controller (or its gateway) for one site: publishes that site's signals only, reads nothing.</summary>
    Signal,
}

/// <summary>
/// One broker account's role; its user name is the role's own (<c>site-ID</c>, <c>signal-ID</c>, <c>central</c>, <c>office</c>), so the
/// broker can tell the role from the name a client signs in with and nothing else needs to be kept beside it.
/// </summary>
public sealed record BrokerRole
{
    private const string SitePrefix = "site-";
    private const string SignalPrefix = "signal-";
    private static readonly SearchValues<char> NotInSiteId = SearchValues.Create("/+#$: \t\r\n");

    private BrokerRole(BrokerRoleKind kind, string? siteId)
    {
        Kind = kind;
        SiteId = siteId;
    }

    public static BrokerRole Central { get; } = new(BrokerRoleKind.Central, null);

    public static BrokerRole Office { get; } = new(BrokerRoleKind.Office, null);

    public BrokerRoleKind Kind { get; }

    /// <summary>The site of a <see cref="BrokerRoleKind.Site"/> or <see cref="BrokerRoleKind.Signal"/> role; null for the others.</summary>
    public string? SiteId { get; }

    /// <summary>The account's user name on the broker.</summary>
    public string UserName => Kind switch
    {
        BrokerRoleKind.Site => SitePrefix + SiteId,
        BrokerRoleKind.Signal => SignalPrefix + SiteId,
        BrokerRoleKind.Central => "central",
        _ => "office",
    };

    /// <summary>The role of the edge box of <paramref name="siteId"/> (a site id that is also a valid topic level).</summary>
    public static BrokerRole Site(string siteId) => new(BrokerRoleKind.Site, CheckSite(siteId));

    /// <summary>The role of the signal controller of <paramref name="siteId"/>'s crossings: it publishes that site's signals only.</summary>
    public static BrokerRole Signal(string siteId) => new(BrokerRoleKind.Signal, CheckSite(siteId));

    private static string CheckSite(string siteId)
    {
        ArgumentNullException.ThrowIfNull(siteId);
        return siteId.Length == 0 || siteId.AsSpan().ContainsAny(NotInSiteId)
            ? throw new ArgumentException($"'{siteId}' cannot be a site id on the broker (empty, or holds / + # $ : or a space)", nameof(siteId))
            : siteId;
    }

    /// <summary>The role a user name stands for; null for a name that is no role's (such a client may do nothing).</summary>
    public static BrokerRole? OfUser(string? userName) => userName switch
    {
        null or "" => null,
        "central" => Central,
        "office" => Office,
        _ when userName.StartsWith(SitePrefix, StringComparison.Ordinal) && userName.Length > SitePrefix.Length
            && !userName.AsSpan(SitePrefix.Length).ContainsAny(NotInSiteId) => Site(userName[SitePrefix.Length..]),
        _ when userName.StartsWith(SignalPrefix, StringComparison.Ordinal) && userName.Length > SignalPrefix.Length
            && !userName.AsSpan(SignalPrefix.Length).ContainsAny(NotInSiteId) => Signal(userName[SignalPrefix.Length..]),
        _ => null,
    };

    public override string ToString() => UserName;
}

/// <summary>Read (subscribe and receive) or write (publish).</summary>
public enum BrokerAccessKind
{
    Read,
    Write,
}

/// <summary>One rule: a role may read or write the topics a filter matches.</summary>
public sealed record BrokerRule(BrokerAccessKind Access, string Filter);

/// <summary>
/// Who may say and hear what on the broker: the one rule set that both the mosquitto ACL
/// (<see cref="Broker.MosquittoFiles"/>) and the embedded broker (<see cref="Broker.EmbeddedBroker"/>) are made from,
/// so the two cannot drift. A site publishes only under <c>cww/v1/sites/ITS-ID/</c> and reads only its own signals
/// (<c>cww/v1/sites/ITS-ID/signals/+</c>); a site's signal controller publishes only those; the central consumers read the
/// sites' candidates and health, publish the office topics and say and hear the boxes' alerts; the office reads the office topics only. Everything
/// else is refused, and a subscription is granted only when every topic it could match is readable: <c>#</c>,
/// <c>cww/v1/#</c> or <c>cww/v1/sites/+/+</c> are refused to the office as a whole, never granted in part.
/// </summary>
public static class BrokerAccess
{
    private const string SharedPrefix = "$share/";

    /// <summary>The rules of <paramref name="role"/>, in the order they go into the mosquitto ACL.</summary>
    public static IReadOnlyList<BrokerRule> Rules(BrokerRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return role.Kind switch
        {
            BrokerRoleKind.Site =>
            [
                new(BrokerAccessKind.Write, $"{Topics.Root}/sites/{role.SiteId}/#"),
                new(BrokerAccessKind.Read, Topics.Signals(role.SiteId!)),
            ],
            BrokerRoleKind.Signal => [new(BrokerAccessKind.Write, Topics.Signals(role.SiteId!))],
            BrokerRoleKind.Central =>
            [
                new(BrokerAccessKind.Read, Topics.AllCandidates),
                new(BrokerAccessKind.Read, Topics.AllHealth),
                new(BrokerAccessKind.Write, Topics.Root + "/office/#"),
                new(BrokerAccessKind.Write, Topics.BoxAlerts),
                new(BrokerAccessKind.Read, Topics.BoxAlerts),
            ],
            _ => [new(BrokerAccessKind.Read, Topics.Root + "/office/#")],
        };
    }

    /// <summary>Whether <paramref name="role"/> (null: no role, refused) may publish on <paramref name="topic"/>.</summary>
    public static bool MayPublish(BrokerRole? role, string topic)
    {
        if (role is null || !IsTopicName(topic))
        {
            return false;
        }

        foreach (var rule in Rules(role))
        {
            if (rule.Access == BrokerAccessKind.Write && Covers(rule.Filter, topic))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="role"/> may subscribe to <paramref name="filter"/> (a shared subscription
    /// <c>$share/GROUP/FILTER</c> is judged by its FILTER): only when a read rule covers every topic it can match.
    /// </summary>
    public static bool MaySubscribe(BrokerRole? role, string filter)
    {
        if (role is null || Unshared(filter) is not { } plain || !IsFilter(plain))
        {
            return false;
        }

        foreach (var rule in Rules(role))
        {
            if (rule.Access == BrokerAccessKind.Read && Covers(rule.Filter, plain))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether every topic <paramref name="inner"/> (a topic name or a filter) matches is also matched by
    /// <paramref name="outer"/>, by MQTT's rules: <c>+</c> one level, <c>#</c> this level and all below (and the
    /// parent itself), and a wildcard at the first level never matching a topic that begins with <c>$</c>.
    /// </summary>
    internal static bool Covers(string outer, string inner)
    {
        var o = outer.Split('/');
        var i = inner.Split('/');
        if (i[0].StartsWith('$') && (o[0] is "+" or "#"))
        {
            return false;
        }

        for (var level = 0; level < o.Length; level++)
        {
            if (o[level] == "#")
            {
                return true; // covers the rest, and the parent level itself ("a/#" matches "a")
            }

            if (level >= i.Length || i[level] == "#")
            {
                return false;
            }

            if (o[level] != "+" && (i[level] == "+" || i[level] != o[level]))
            {
                return false;
            }
        }

        return i.Length == o.Length;
    }

    /// <summary>The filter of a shared subscription without its <c>$share/GROUP/</c>; the filter itself otherwise; null for a malformed share.</summary>
    private static string? Unshared(string filter)
    {
        if (!filter.StartsWith(SharedPrefix, StringComparison.Ordinal))
        {
            return filter;
        }

        var slash = filter.IndexOf('/', SharedPrefix.Length);
        if (slash <= SharedPrefix.Length)
        {
            return null;
        }

        var group = filter.AsSpan(SharedPrefix.Length, slash - SharedPrefix.Length);
        return group.IndexOfAny("+#") >= 0 || slash == filter.Length - 1 ? null : filter[(slash + 1)..];
    }

    private static bool IsTopicName(string topic) => topic.Length > 0 && topic.AsSpan().IndexOfAny("+#\0") < 0;

    private static bool IsFilter(string filter)
    {
        if (filter.Length == 0 || filter.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if ((level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
                || (level.Contains('+', StringComparison.Ordinal) && level != "+"))
            {
                return false;
            }
        }

        return true;
    }
}
