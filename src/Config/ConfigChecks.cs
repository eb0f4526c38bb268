using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrosswalkWatch.Domain.Config;
using YamlDotNet.RepresentationModel;

namespace CrosswalkWatch.Config;

/// <summary>
/// Rules that span keys or look outside the file (unique ids, files that must exist, URL schemes), run after
/// binding. Relative paths are resolved against the config file's folder and stored back as absolute paths.
/// </summary>
internal static class ConfigChecks
{
    private static readonly string[] StreamSchemes = ["rtsp", "rtsps"];
    private static readonly string[] WebSchemes = ["http", "https"];

    public static CwwConfig Run(CwwConfig config, YamlBinder binder, string baseDirectory)
    {
        CheckTimeZone(config.Site, binder);
        CheckReconnect(config.Ingest, "ingest", binder);
        CheckStorage(config.Storage, binder);
        CheckWebBind(config.Web, binder);
        CheckSessionHours(config.Web, binder);
        CheckPushUrl(config.Push, binder);
        CheckClock(config.Clock, binder);

        var cameras = new List<CameraConfig>(config.Cameras.Count);
        var firstIndexOfId = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < config.Cameras.Count; i++)
        {
            cameras.Add(CheckCamera(config.Cameras[i], Naming.Item("cameras", i), binder, baseDirectory));
            string id = config.Cameras[i].Id;
            if (id.Length == 0)
            {
                continue; // reported as missing or empty when bound
            }

            if (firstIndexOfId.TryGetValue(id, out int first))
            {
                YamlNode? earlier = binder.Find(Naming.Child(Naming.Item("cameras", first), "id"));
                binder.Report(Naming.Child(Naming.Item("cameras", i), "id"),
                    $"duplicate camera id '{id}': cameras[{first.ToString(CultureInfo.InvariantCulture)}]{LineNote(earlier)} already uses it; camera ids must be unique (case does not count)");
            }
            else
            {
                firstIndexOfId[id] = i;
            }
        }

        string? passwordFile = config.Messaging.PasswordFile is { Length: > 0 } password
            ? ExistingFile(password, "messaging.passwordFile", "password file", binder, baseDirectory)
            : null;
        string? caFile = config.Messaging.CaFile is { Length: > 0 } ca ? CheckCaFile(ca, config.Messaging.Tls, binder, baseDirectory) : null;

        string? certificateFile = config.Web.CertificateFile is { Length: > 0 } certificate
            ? ExistingFile(certificate, "web.certificateFile", "certificate file", binder, baseDirectory)
            : null;

        string tokenFile = config.Push.TokenFile is { Length: > 0 } token
            ? ExistingFile(token, "push.tokenFile", "token file", binder, baseDirectory)!
            : "";

        return config with
        {
            Paths = config.Paths with
            {
                Data = Path.GetFullPath(config.Paths.Data, baseDirectory),
                Models = Path.GetFullPath(config.Paths.Models, baseDirectory),
            },
            Cameras = cameras,
            Messaging = config.Messaging with { PasswordFile = passwordFile, CaFile = caFile },
            Web = config.Web with { CertificateFile = certificateFile },
            Push = config.Push with { TokenFile = tokenFile },
        };
    }

    /// <summary>The broker's CA file: only with TLS, and a PEM file that holds at least one certificate.</summary>
    private static string? CheckCaFile(string written, bool tls, YamlBinder binder, string baseDirectory)
    {
        if (!tls)
        {
            binder.Report("messaging.caFile", "is only used with TLS: set messaging.tls: true (and the broker's TLS port, usually 8883), or remove caFile");
        }

        string? resolved = ExistingFile(written, "messaging.caFile", "CA file", binder, baseDirectory);
        if (resolved is null || !Path.IsPathRooted(resolved) || !File.Exists(resolved))
        {
            return resolved;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(resolved);
        }
        catch (CryptographicException e)
        {
            binder.Report("messaging.caFile", $"'{written}' is not a PEM certificate file ({e.Message}): expected one or more -----BEGIN CERTIFICATE----- blocks");
            return resolved;
        }

        if (certificates.Count == 0)
        {
            binder.Report("messaging.caFile", $"'{written}' holds no certificate: expected one or more -----BEGIN CERTIFICATE----- blocks (PEM)");
        }

        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }

        return resolved;
    }

    private static CameraConfig CheckCamera(CameraConfig camera, string path, YamlBinder binder, string baseDirectory)
    {
        string url = camera.Url;
        if (url.Length > 0)
        {
            url = StreamOrMedia(url, Naming.Child(path, "url"), binder, baseDirectory);
        }

        string? subUrl = string.IsNullOrEmpty(camera.SubUrl) ? null : camera.SubUrl;
        if (subUrl is not null)
        {
            CheckRtspUrl(subUrl, Naming.Child(path, "subUrl"), binder, allowMedia: false);
        }

        string? scene = camera.Scene is { Length: > 0 } sceneFile
            ? ExistingFile(sceneFile, Naming.Child(path, "scene"), "scene file", binder, baseDirectory)
            : null;

        CheckReconnect(camera.Ingest, Naming.Child(path, "ingest"), binder);
        if (camera.DetectRegion is { } region &&
            (region.Count != 4 || region[0] >= region[2] || region[1] >= region[3]))
        {
            binder.Report(Naming.Child(path, "detectRegion"), "expected [x1, y1, x2, y2] with x1 < x2 and y1 < y2, each 0–1 of the picture");
        }

        // Optional values given as "" mean "not set": consumers only need to test for null.
        return camera with { Url = url, SubUrl = subUrl, Scene = scene };
    }

    /// <summary>An rtsp(s) URL is kept as written; anything else must be an existing video file or folder and becomes absolute.</summary>
    private static string StreamOrMedia(string url, string path, YamlBinder binder, string baseDirectory)
    {
        if (SchemeOf(url) is not null)
        {
            CheckRtspUrl(url, path, binder, allowMedia: true);
            return url;
        }

        string full = Path.GetFullPath(url, baseDirectory);
        if (File.Exists(full) || Directory.Exists(full))
        {
            return full;
        }

        binder.Report(path,
            $"'{url}' is neither an rtsp:// or rtsps:// URL nor an existing video file or folder of images: nothing at {full}"
            + (Path.IsPathRooted(url) ? "" : " (relative paths are taken from the config file's folder)"));
        return url;
    }

    private static void CheckRtspUrl(string url, string path, YamlBinder binder, bool allowMedia)
    {
        string accepted = allowMedia
            ? "expected an rtsp:// or rtsps:// URL, a video file or a folder of images"
            : "expected an rtsp:// or rtsps:// URL";
        string? scheme = SchemeOf(url);
        if (scheme is null)
        {
            binder.Report(path, $"'{Redact(url)}' is not a URL: {accepted}");
            return;
        }

        if (!StreamSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
        {
            string? suggestion = Naming.Suggest(scheme, StreamSchemes);
            binder.Report(path, $"'{scheme}://' is not an accepted scheme: {accepted}"
                + (suggestion is null ? "" : $"; did you mean '{suggestion}://'?"));
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            binder.Report(path, $"'{Redact(url)}' is not a valid URL: expected rtsp://[user:password@]host[:port]/path; write '@', ':' or '/' inside a user name or password as %40, %3A or %2F");
            return;
        }

        if (uri.Host.Length == 0)
        {
            binder.Report(path, $"'{Redact(url)}' has no host: expected rtsp://[user:password@]host[:port]/path");
        }
    }

    private static string? ExistingFile(string written, string path, string what, YamlBinder binder, string baseDirectory)
    {
        string full = Path.GetFullPath(written, baseDirectory);
        if (File.Exists(full))
        {
            return full;
        }

        string relative = Path.IsPathRooted(written) ? "" : " (relative paths are taken from the config file's folder)";
        binder.Report(path, Directory.Exists(full)
            ? $"'{written}' is a folder, expected a {what}{relative}"
            : $"{what} '{written}' not found: nothing at {full}{relative}");
        return written;
    }

    /// <summary>
    /// The first wait must not exceed the longest. Reported at min where it was written for this block, else at
    /// max; a camera that inherits both from the global block has nothing of its own to blame, and the global
    /// block's error already covers it.
    /// </summary>
    private static void CheckReconnect(IngestSettings ingest, string path, YamlBinder binder)
    {
        if (ingest.ReconnectMinSeconds <= ingest.ReconnectMaxSeconds)
        {
            return;
        }

        string min = Constraints.FormatNumber(ingest.ReconnectMinSeconds);
        string max = Constraints.FormatNumber(ingest.ReconnectMaxSeconds);
        string minPath = Naming.Child(path, "reconnectMinSeconds");
        string maxPath = Naming.Child(path, "reconnectMaxSeconds");
        YamlNode? minNode = binder.Find(minPath);
        YamlNode? maxNode = binder.Find(maxPath);
        if (minNode is not null && !binder.Errors.IsMuted(minNode, minPath))
        {
            binder.Report(minNode, minPath, $"{min} is greater than reconnectMaxSeconds ({max}): expected the first wait to be at most the longest wait");
        }
        else if (maxNode is not null && !binder.Errors.IsMuted(maxNode, maxPath))
        {
            binder.Report(maxNode, maxPath, $"{max} is less than reconnectMinSeconds ({min}): expected the longest wait to be at least the first wait");
        }
    }

    private static void CheckStorage(StorageConfig storage, YamlBinder binder)
    {
        if (storage.Type == StorageKind.Postgres && string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            binder.Report(binder.Find("storage.connectionString") ?? binder.Locate("storage.type"), "storage.connectionString",
                "required when storage.type is postgres: expected an Npgsql connection string, e.g. 'Host=db;Database=cww;Username=cww'");
        }
    }

    private static void CheckWebBind(WebConfig web, YamlBinder binder)
    {
        string bind = web.Bind;
        if (bind.Length == 0)
        {
            return; // reported as empty when bound
        }

        // Kestrel's "any address" forms are not valid URI hosts; check the rest of the URL with a stand-in.
        string parsable = bind.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        string expected = $"expected an http:// or https:// URL such as 'https://0.0.0.0:8443'{Constraints.DefaultSuffix(new WebConfig().Bind)}";
        if (!Uri.TryCreate(parsable, UriKind.Absolute, out Uri? uri) || SchemeOf(bind) is null)
        {
            binder.Report("web.bind", $"'{bind}' is not a URL: {expected}");
        }
        else if (!WebSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            binder.Report("web.bind", $"'{uri.Scheme}://' is not an accepted scheme: {expected}");
        }
        else if (uri.Host.Length == 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            binder.Report("web.bind", $"'{bind}' must be scheme://host:port with no path: {expected}");
        }
        else if (web.PlainHttpProblem() is { } plain)
        {
            binder.Report("web.bind", plain);
        }
    }

    /// <summary>The push goes over https, or over http to this machine only: it carries officials' plates and evidence.</summary>
    private static void CheckPushUrl(PushConfig push, YamlBinder binder)
    {
        if (push.Url.Length == 0)
        {
            return;
        }

        const string expected = "expected an https:// URL such as 'https://platform.example/api/violations' (http:// only to 127.0.0.1 or localhost)";
        if (!Uri.TryCreate(push.Url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            binder.Report("push.url", $"'{push.Url}' is not an http(s) URL: {expected}");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            binder.Report("push.url", $"'{push.Url}' would send officials' plates and evidence in the clear over the network: {expected}");
        }
    }

    /// <summary>Each NTP server is <c>host</c> or <c>host:port</c>; holding candidates starts no sooner than the clock is an error.</summary>
    private static void CheckClock(ClockConfig clock, YamlBinder binder)
    {
        for (int i = 0; i < clock.Servers.Count; i++)
        {
            if (clock.Servers[i].Length > 0 && NtpServer.Parse(clock.Servers[i]) is null)
            {
                binder.Report(Naming.Item("clock.servers", i),
                    $"'{clock.Servers[i]}' is not an NTP server: expected host or host:port (port 1 to 65535, 123 when left out), e.g. 'ntp.example.cn' or '10.0.0.1:123'");
            }
        }

        if (clock.HoldOffsetMs < clock.MaxOffsetMs)
        {
            binder.Report(
                binder.Find("clock.holdOffsetMs") ?? binder.Locate("clock.maxOffsetMs"),
                "clock.holdOffsetMs",
                string.Create(CultureInfo.InvariantCulture, $"{clock.HoldOffsetMs} is less than clock.maxOffsetMs ({clock.MaxOffsetMs}): expected candidates to be held only where the clock is already an error"));
        }
    }

    /// <summary>A session's absolute lifetime is not shorter than its idle lifetime (the idle one would never apply).</summary>
    private static void CheckSessionHours(WebConfig web, YamlBinder binder)
    {
        if (web.SessionAbsoluteHours < web.SessionHours)
        {
            binder.Report(
                binder.Find("web.sessionAbsoluteHours") ?? binder.Locate("web.sessionHours"),
                "web.sessionAbsoluteHours",
                string.Create(CultureInfo.InvariantCulture, $"{web.SessionAbsoluteHours} is shorter than web.sessionHours ({web.SessionHours}): expected the most a session lasts from its sign-in to be at least how long it lasts without use"));
        }
    }

    private static void CheckTimeZone(SiteConfig site, YamlBinder binder)
    {
        // Only where the machine has a time zone database at all; otherwise every zone would be "unknown".
        if (site.TimeZone.Length > 0 && TimeZoneInfo.GetSystemTimeZones().Count > 0
            && !TimeZoneInfo.TryFindSystemTimeZoneById(site.TimeZone, out _))
        {
            binder.Report("site.timeZone", $"unknown time zone '{site.TimeZone}': expected an IANA name such as 'Asia/Shanghai' or 'Europe/Berlin'");
        }
    }

    /// <summary>The scheme of <c>scheme://…</c> text, or null when the text has none (a file path).</summary>
    private static string? SchemeOf(string text)
    {
        int end = text.IndexOf("://", StringComparison.Ordinal);
        if (end <= 0 || !char.IsAsciiLetter(text[0]))
        {
            return null;
        }

        for (int i = 1; i < end; i++)
        {
            char c = text[i];
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '-' && c != '.')
            {
                return null;
            }
        }

        return text[..end];
    }

    /// <summary>Hides a password in <c>scheme://user:password@host</c> so that it does not end up in logs.</summary>
    private static string Redact(string url)
    {
        int start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return url;
        }

        start += 3;
        int slash = url.IndexOf('/', start);
        int authorityEnd = slash < 0 ? url.Length : slash;
        int at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        if (at < 0)
        {
            return url;
        }

        int colon = url.IndexOf(':', start, at - start);
        return colon < 0 ? url : url[..(colon + 1)] + "***" + url[at..];
    }

    private static string LineNote(YamlNode? node) =>
        node is null ? "" : $" (line {node.Start.Line.ToString(CultureInfo.InvariantCulture)})";
}
