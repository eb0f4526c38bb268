using System.ComponentModel.DataAnnotations;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Config;

namespace CrosswalkWatch.UnitTests.Config;

public sealed class ConfigLoaderTests : IDisposable
{
    private const string FileName = "cww.yaml";

    private readonly string _dir = Directory.CreateTempSubdirectory("cww-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ---- valid files -------------------------------------------------------------------------------------------

    [Fact]
    public void Parse_FullValidConfig_BindsEveryValue()
    {
        Touch("videos/clip.mp4");
        Touch("scenes/north.yaml", CrosswalkWatch.Testing.ScriptedScene.Yaml);
        Touch("secrets/mqtt.txt");
        const string yaml = """
            site:
              id: police-4711
              name: Main St / 3rd Ave
              timeZone: Europe/Berlin
            paths:
              data: data
              models: /opt/cww/models
            ingest:
              detectFps: 8
              detectWidth: 960
              detectHeight: 540
              queueCapacity: 4
              record: false
              segmentSeconds: 4
              keepMinutes: 60
              maxRecordingMegabytes: 2048
              stallTimeoutSeconds: 10
              reconnectMinSeconds: 0.5
              reconnectMaxSeconds: 20
              transport: udp
              realTime: true
              loop: false
            cameras:
              - id: north
                place: Main St, north side
                direction: northbound
                url: rtsp://admin:secret@192.0.2.10:554/Streaming/Channels/101
                subUrl: rtsps://192.0.2.10/Streaming/Channels/102
                scene: scenes/north.yaml
                enabled: false
              - id: replay
                url: videos/clip.mp4
                ingest:
                  realTime: false
                  loop: true
            detector:
              type: fastestdet
              threads: 4
              scoreThreshold: 0.5
            storage:
              type: postgres
              sqlitePath: other.db
              connectionString: Host=db;Database=cww
            messaging:
              broker: external
              host: broker.example
              port: 8883
              username: edge
              passwordFile: secrets/mqtt.txt
              tls: true
            web:
              bind: https://0.0.0.0:8443
            """;

        CwwConfig config = Parse(yaml);

        Assert.Equal(new SiteConfig { Id = "police-4711", Name = "Main St / 3rd Ave", TimeZone = "Europe/Berlin" }, config.Site);
        Assert.Equal(Path.Combine(_dir, "data"), config.Paths.Data);
        Assert.Equal("/opt/cww/models", config.Paths.Models);
        var ingest = new IngestSettings
        {
            DetectFps = 8,
            DetectWidth = 960,
            DetectHeight = 540,
            QueueCapacity = 4,
            Record = false,
            SegmentSeconds = 4,
            KeepMinutes = 60,
            MaxRecordingMegabytes = 2048,
            StallTimeoutSeconds = 10,
            ReconnectMinSeconds = 0.5,
            ReconnectMaxSeconds = 20,
            Transport = RtspTransport.Udp,
            RealTime = true,
            Loop = false,
        };
        Assert.Equal(ingest, config.Ingest);
        Assert.Equal(2, config.Cameras.Count);
        Assert.Equal(
            new CameraConfig
            {
                Id = "north",
                Place = "Main St, north side",
                Direction = "northbound",
                Url = "rtsp://admin:secret@192.0.2.10:554/Streaming/Channels/101",
                SubUrl = "rtsps://192.0.2.10/Streaming/Channels/102",
                Scene = Path.Combine(_dir, "scenes", "north.yaml"),
                Enabled = false,
                Ingest = ingest,
            },
            config.Cameras[0]);
        Assert.Equal(
            new CameraConfig
            {
                Id = "replay",
                Url = Path.Combine(_dir, "videos", "clip.mp4"),
                Ingest = ingest with { RealTime = false, Loop = true },
            },
            config.Cameras[1]);
        Assert.Equal(new DetectorConfig { Type = "fastestdet", Threads = 4, ScoreThreshold = 0.5 }, config.Detector);
        Assert.Equal(new StorageConfig { Type = StorageKind.Postgres, SqlitePath = "other.db", ConnectionString = "Host=db;Database=cww" }, config.Storage);
        Assert.Equal(
            new MessagingConfig
            {
                Broker = BrokerKind.External,
                Host = "broker.example",
                Port = 8883,
                Username = "edge",
                PasswordFile = Path.Combine(_dir, "secrets", "mqtt.txt"),
                Tls = true,
            },
            config.Messaging);
        Assert.Equal("https://0.0.0.0:8443", config.Web.Bind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# nothing here yet\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    [InlineData("site:\ningest:\ncameras:\n")]
    public void Parse_EmptyDocumentOrEmptySections_GivesDefaultsAndNoCameras(string yaml)
    {
        CwwConfig config = Parse(yaml);

        AssertDefaults(config);
    }

    [Fact]
    public void Load_EmptyFile_GivesDefaultsWithPathsFromItsFolder()
    {
        string path = Touch("conf/cww.yaml");

        CwwConfig config = ConfigLoader.Load(path);

        Assert.Empty(config.Cameras);
        Assert.Equal(new IngestSettings(), config.Ingest);
        Assert.Equal(Path.Combine(_dir, "conf", "var"), config.Paths.Data);
        Assert.Equal(Path.Combine(_dir, "conf", "var", "models"), config.Paths.Models);
    }

    [Fact]
    public void Load_FileWithErrors_ErrorsNameTheFileAsGiven()
    {
        string path = Touch("cww.yaml", "ingest:\n  detectFps: 500\n");

        ConfigException e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        ConfigError error = Assert.Single(e.Errors);
        Assert.Equal(path, error.File);
        Assert.Equal(2, error.Line);
        Assert.StartsWith(path + ":2:14: ingest.detectFps: 500 is out of range", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysNotFoundWithTheFullPath()
    {
        string path = Path.Combine(_dir, "nope.yaml");

        ConfigException e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        ConfigError error = Assert.Single(e.Errors);
        Assert.Equal(path, error.File);
        Assert.Equal(0, error.Line);
        Assert.Equal("", error.Key);
        Assert.Contains("configuration file not found", error.Message, StringComparison.Ordinal);
        Assert.Equal($"{path}: configuration file not found ({path})", e.Message);
    }

    [Fact]
    public void Load_Folder_SaysItIsAFolder()
    {
        ConfigException e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_dir));

        Assert.Contains("is a folder, expected a YAML configuration file", Assert.Single(e.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsYaml_ParsedBack_GivesTheDefaultsWithoutErrors()
    {
        string yaml = ConfigDocs.DefaultsYaml();

        CwwConfig config = Parse(yaml);

        AssertDefaults(config);
    }

    [Theory]
    [InlineData("  # Frames per second handed to the detector (an upper bound: never more than the stream gives; 60 passes every frame). (default 5, range 0.1–60)\n  detectFps: 5\n")]
    [InlineData("  # RTSP transport: tcp (reliable through NAT and lossy links) or udp. (default tcp, one of tcp, udp)\n  transport: tcp\n")]
    [InlineData("  id: \"site-01\"\n")]
    [InlineData("cameras: []\n")]
    [InlineData("#     # Main stream: rtsp://… URL, a video file, or a folder of images. (required, 1 to 4096 characters)\n#     url: \"\"\n")]
    [InlineData("  connectionString: null\n")]
    [InlineData("  bind: \"http://127.0.0.1:8080\"\n")]
    public void DefaultsYaml_EveryKey_HasItsDescriptionDefaultAndBounds(string expected)
    {
        Assert.Contains(expected, ConfigDocs.DefaultsYaml(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp", RtspTransport.Tcp)]
    [InlineData("UDP", RtspTransport.Udp)]
    [InlineData("Udp", RtspTransport.Udp)]
    public void Parse_EnumInAnyCase_IsAccepted(string written, RtspTransport expected)
    {
        CwwConfig config = Parse($"ingest:\n  transport: {written}\n");

        Assert.Equal(expected, config.Ingest.Transport);
    }

    [Theory]
    [InlineData("rtsp://cam.local/stream")]
    [InlineData("rtsps://192.0.2.1:322/ch1")]
    [InlineData("RTSP://cam/x")]
    [InlineData("rtsp://user:p%40ss@cam:554/Streaming/Channels/101")]
    public void Parse_RtspUrl_IsKeptAsWritten(string url)
    {
        CwwConfig config = Parse($"cameras:\n  - id: a\n    url: {url}\n");

        Assert.Equal(url, config.Cameras[0].Url);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("https://[::]:443")]
    [InlineData("http://localhost:8080/")]
    public void Parse_WebBindHttpUrl_IsAccepted(string bind)
    {
        Assert.Equal(bind, Parse($"web:\n  bind: {bind}\n").Web.Bind);
    }

    [Theory]
    [InlineData("http://*:8080")]
    [InlineData("http://+:80")]
    [InlineData("http://192.168.1.20:8080")]
    public void Parse_WebBindPlainHttpOffLoopback_IsRefusedUnlessAllowed(string bind)
    {
        var e = Assert.Throws<ConfigException>(() => Parse($"web:\n  bind: {bind}\n"));
        Assert.Contains("plain http is allowed on 127.0.0.1 only", Assert.Single(e.Errors).Message, StringComparison.Ordinal);

        Assert.Equal(bind, Parse($"web:\n  bind: {bind}\n  allowPlainHttp: true\n").Web.Bind);
    }

    [Theory]
    [InlineData("subUrl:")]
    [InlineData("subUrl: ~")]
    [InlineData("subUrl: null")]
    [InlineData("subUrl: \"\"")]
    [InlineData("scene: \"\"")]
    [InlineData("scene:")]
    public void Parse_EmptyOptionalValue_IsNull(string line)
    {
        CwwConfig config = Parse($"cameras:\n  - id: a\n    url: rtsp://cam/s\n    {line}\n");

        Assert.Null(config.Cameras[0].SubUrl);
        Assert.Null(config.Cameras[0].Scene);
    }

    [Fact]
    public void Parse_RelativeFilesAndFolders_AreResolvedFromTheConfigFolder()
    {
        Touch("videos/clip.mp4");
        Directory.CreateDirectory(Path.Combine(_dir, "frames"));
        Touch("scenes/a.yaml", CrosswalkWatch.Testing.ScriptedScene.Yaml);

        CwwConfig config = Parse("""
            paths:
              data: ../elsewhere
            cameras:
              - id: file
                url: videos/clip.mp4
                scene: ./scenes/a.yaml
              - id: folder
                url: frames
              - id: absolute
                url: FULL
            """.Replace("FULL", Path.Combine(_dir, "frames"), StringComparison.Ordinal));

        Assert.Equal(Path.Combine(_dir, "videos", "clip.mp4"), config.Cameras[0].Url);
        Assert.Equal(Path.Combine(_dir, "scenes", "a.yaml"), config.Cameras[0].Scene);
        Assert.Equal(Path.Combine(_dir, "frames"), config.Cameras[1].Url);
        Assert.Equal(Path.Combine(_dir, "frames"), config.Cameras[2].Url);
        Assert.Equal(Path.GetFullPath(Path.Combine(_dir, "..", "elsewhere")), config.Paths.Data);
    }

    // ---- per-camera overrides ------------------------------------------------------------------------------

    [Fact]
    public void Parse_CameraIngestOverride_AppliesToThatCameraOnly()
    {
        CwwConfig config = Parse("""
            ingest:
              detectFps: 10
              detectWidth: 800
            cameras:
              - id: a
                url: rtsp://cam-a/s
                ingest:
                  detectFps: 2
                  loop: true
              - id: b
                url: rtsp://cam-b/s
              - id: c
                url: rtsp://cam-c/s
                ingest:
            """);

        var global = new IngestSettings { DetectFps = 10, DetectWidth = 800 };
        Assert.Equal(global, config.Ingest);
        Assert.Equal(global with { DetectFps = 2, Loop = true }, config.Cameras[0].Ingest);
        Assert.Equal(global, config.Cameras[1].Ingest);
        Assert.Equal(global, config.Cameras[2].Ingest);
    }

    [Fact]
    public void Parse_CameraIngestWithoutGlobalBlock_OverridesTheDefaults()
    {
        CwwConfig config = Parse("cameras:\n  - id: a\n    url: rtsp://cam/s\n    ingest:\n      queueCapacity: 8\n");

        Assert.Equal(new IngestSettings { QueueCapacity = 8 }, config.Cameras[0].Ingest);
        Assert.Equal(new IngestSettings(), config.Ingest);
    }

    [Fact]
    public void Parse_CameraOverrideWithBadValue_PointsAtTheCamerasLineAndNamesIt()
    {
        const string yaml = """
            ingest:
              detectFps: 10
            cameras:
              - id: gate-1
                url: rtsp://cam-1/s
              - id: gate-2
                url: rtsp://cam-2/s
                ingest:
                  detectFps: 500
            """;

        ConfigError error = SingleError(yaml);

        Assert.Equal(FileName, error.File);
        Assert.Equal(9, error.Line);
        Assert.Equal(ColumnOf(yaml, "500"), error.Column);
        Assert.Equal("cameras[1].ingest.detectFps", error.Key);
        Assert.Equal("camera 'gate-2': 500 is out of range: expected a number from 0.1 to 60 (default 5)", error.Message);
    }

    [Fact]
    public void Parse_BadGlobalIngestValue_IsReportedOnceNotForEveryCamera()
    {
        const string yaml = """
            ingest:
              detectFps: 500
              detecFps: 5
            cameras:
              - id: a
                url: rtsp://cam-a/s
              - id: b
                url: rtsp://cam-b/s
                ingest:
                  loop: true
            """;

        ConfigException e = Assert.Throws<ConfigException>(() => Parse(yaml));

        Assert.Equal(["ingest.detectFps", "ingest.detecFps"], e.Errors.Select(x => x.Key));
    }

    [Fact]
    public void Parse_CameraMaxBelowInheritedMin_PointsAtTheCamerasMax()
    {
        const string yaml = """
            ingest:
              reconnectMinSeconds: 10
            cameras:
              - id: a
                url: rtsp://cam/s
                ingest:
                  reconnectMaxSeconds: 5
            """;

        ConfigError error = SingleError(yaml);

        Assert.Equal(7, error.Line);
        Assert.Equal("cameras[0].ingest.reconnectMaxSeconds", error.Key);
        Assert.Equal("camera 'a': 5 is less than reconnectMinSeconds (10): expected the longest wait to be at least the first wait", error.Message);
    }

    [Fact]
    public void Parse_ReconnectMinAboveMaxInGlobalBlock_IsReportedOnceAtMin()
    {
        const string yaml = "ingest:\n  reconnectMinSeconds: 40\n  reconnectMaxSeconds: 20\ncameras:\n  - id: a\n    url: rtsp://cam/s\n";

        ConfigError error = SingleError(yaml);

        Assert.Equal(2, error.Line);
        Assert.Equal("ingest.reconnectMinSeconds", error.Key);
        Assert.Equal("40 is greater than reconnectMaxSeconds (20): expected the first wait to be at most the longest wait", error.Message);
    }

    [Fact]
    public void Parse_CaFile_TakenFromTheConfigFolderMustHoldACertificateAndNeedsTls()
    {
        using (var pki = new CrosswalkWatch.Testing.TestPki(Path.Combine(_dir, "tls")))
        {
            Assert.Equal(pki.CaFile, Parse("messaging:\n  tls: true\n  caFile: tls/ca.pem\n").Messaging.CaFile);
        }

        Touch("tls/empty.pem", "not a certificate\n");
        (string Yaml, string Message)[] wrong =
        [
            ("messaging:\n  caFile: tls/ca.pem\n", "is only used with TLS: set messaging.tls: true"),
            ("messaging:\n  tls: true\n  caFile: tls/none.pem\n", "CA file 'tls/none.pem' not found: nothing at " + Path.Combine(_dir, "tls", "none.pem") + " (relative paths are taken from the config file's folder)"),
            ("messaging:\n  tls: true\n  caFile: tls/empty.pem\n", "'tls/empty.pem' holds no certificate: expected one or more -----BEGIN CERTIFICATE----- blocks (PEM)"),
        ];
        foreach (var (yaml, message) in wrong)
        {
            ConfigError error = SingleError(yaml);
            Assert.Equal(("messaging.caFile", LineOf(yaml, "caFile")), (error.Key, error.Line));
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }
    }

    // ---- one malformed value each --------------------------------------------------------------------------

    /// <summary>Each row: YAML, the text the error points at (its line and column), the key path, a part of the message.</summary>
    [Theory]
    [InlineData("detector2:\n  type: x\n", "detector2", "detector2", "unknown key 'detector2'; did you mean 'detector'? (allowed: site, paths, ingest, rule, cameras, detector, plates, evidence, storage, tally, review, retention, messaging, web, metrics, push, clock)")]
    [InlineData("ingest:\n  detecFps: 5\n", "detecFps", "ingest.detecFps", "unknown key 'detecFps'; did you mean 'detectFps'? (allowed: detectFps, motionGate, idleFps, detectWidth,")]
    [InlineData("cameras:\n  - id: a\n    url: rtsp://h/s\n    colour: red\n", "colour", "cameras[0].colour", "camera 'a': unknown key 'colour' (allowed: id, place, direction, url, subUrl, scene, detectRegion, enabled, ingest, rule)")]
    [InlineData("cameras:\n  - id: a\n    url: rtsp://h/s\n    ingest:\n      detectFPS: 3\n", "detectFPS", "cameras[0].ingest.detectFPS", "camera 'a': unknown key 'detectFPS'; did you mean 'detectFps'?")]
    [InlineData("ingest:\n  detectFps: 500\n", "500", "ingest.detectFps", "500 is out of range: expected a number from 0.1 to 60 (default 5)")]
    [InlineData("ingest:\n  detectFps: 0\n", "0", "ingest.detectFps", "0 is out of range: expected a number from 0.1 to 60 (default 5)")]
    [InlineData("ingest:\n  maxRecordingMegabytes: 99999999999\n", "99999999999", "ingest.maxRecordingMegabytes", "99999999999 is out of range: expected a whole number from 16 to 1000000 (default 4096)")]
    [InlineData("ingest:\n  detectFps: abc\n", "abc", "ingest.detectFps", "'abc' is not a number: expected a number from 0.1 to 60 (default 5)")]
    [InlineData("ingest:\n  detectFps: .nan\n", ".nan", "ingest.detectFps", "'.nan' is not a number")]
    [InlineData("ingest:\n  detectWidth: 640.5\n", "640.5", "ingest.detectWidth", "'640.5' is not a whole number: expected a whole number from 64 to 3840 (default 640)")]
    [InlineData("ingest:\n  detectFps: [1, 2]\n", "[1, 2]", "ingest.detectFps", "expected a number from 0.1 to 60 (default 5), got a list")]
    [InlineData("ingest:\n  transport: tpc\n", "tpc", "ingest.transport", "'tpc' is not one of: tcp, udp (default tcp); did you mean 'tcp'?")]
    [InlineData("storage:\n  type: mysql\n", "mysql", "storage.type", "'mysql' is not one of: sqlite, postgres (default sqlite)")]
    [InlineData("ingest:\n  record: yes\n", "yes", "ingest.record", "'yes' is not true or false (default true)")]
    [InlineData("site:\n  id: site 01\n", "site 01", "site.id", "'site 01' is not valid: expected 1 to 64 characters, each a letter, digit, '_', '.' or '-' (default 'site-01')")]
    [InlineData("site:\n  name: \"\"\n", "\"\"", "site.name", "must not be empty: expected text of 1 to 200 characters (default 'Demo intersection')")]
    [InlineData("detector:\n  type: YOLOX\n", "YOLOX", "detector.type", "expected 1 to 64 characters, each a lowercase letter, digit or '-'")]
    [InlineData("site: paris\n", "paris", "site", "expected a mapping of keys (id, name, timeZone), got 'paris'")]
    [InlineData("cameras:\n  id: a\n", "id: a", "cameras", "expected a list ('- ' items), got a mapping")]
    [InlineData("- a\n- b\n", "- a", "", "expected a mapping of keys (site, paths, ingest, rule, cameras, detector, plates, evidence, storage, tally, review, retention, messaging, web, metrics, push, clock), got a list")]
    [InlineData("cameras:\n  - id: a\n    url: rtsp://h/s\n    ingest: 5\n", "5", "cameras[0].ingest", "camera 'a': expected a mapping of keys (detectFps,")]
    [InlineData("cameras:\n  - url: rtsp://h/s\n", "url", "cameras[0].id", "missing required key 'id': expected 1 to 32 characters, each a letter, digit, '_' or '-'")]
    [InlineData("cameras:\n  - id: a\n", "id", "cameras[0].url", "camera 'a': missing required key 'url': expected text of 1 to 4096 characters (Main stream: rtsp://… URL, a video file, or a folder of images)")]
    [InlineData("cameras:\n  - id: a\n    url: http://cam/stream\n", "http", "cameras[0].url", "'http://' is not an accepted scheme: expected an rtsp:// or rtsps:// URL, a video file or a folder of images")]
    [InlineData("cameras:\n  - id: a\n    url: rtps://cam/stream\n", "rtps", "cameras[0].url", "'rtps://' is not an accepted scheme: expected an rtsp:// or rtsps:// URL, a video file or a folder of images; did you mean 'rtsp://'?")]
    [InlineData("cameras:\n  - id: a\n    url: rtsp:///stream\n", "rtsp", "cameras[0].url", "'rtsp:///stream' has no host")]
    [InlineData("cameras:\n  - id: a\n    url: clips/missing.mp4\n", "clips", "cameras[0].url", "camera 'a': 'clips/missing.mp4' is neither an rtsp:// or rtsps:// URL nor an existing video file or folder of images: nothing at ")]
    [InlineData("cameras:\n  - id: a\n    url: rtsp://h/s\n    subUrl: low.mp4\n", "low.mp4", "cameras[0].subUrl", "'low.mp4' is not a URL: expected an rtsp:// or rtsps:// URL")]
    [InlineData("cameras:\n  - id: a\n    url: rtsp://h/s\n    scene: scenes/a.yaml\n", "scenes", "cameras[0].scene", "scene file 'scenes/a.yaml' not found: nothing at ")]
    [InlineData("storage:\n  type: postgres\n", "postgres", "storage.connectionString", "required when storage.type is postgres")]
    [InlineData("messaging:\n  passwordFile: secrets/none.txt\n", "secrets", "messaging.passwordFile", "password file 'secrets/none.txt' not found")]
    [InlineData("web:\n  bind: 127.0.0.1:8080\n", "127.0.0.1", "web.bind", "'127.0.0.1:8080' is not a URL: expected an http:// or https:// URL")]
    [InlineData("web:\n  bind: ftp://host:21\n", "ftp", "web.bind", "'ftp://' is not an accepted scheme: expected an http:// or https:// URL")]
    [InlineData("web:\n  bind: http://host:80/console\n", "http", "web.bind", "must be scheme://host:port with no path")]
    [InlineData("site:\n  timeZone: Mars/Olympus\n", "Mars", "site.timeZone", "unknown time zone 'Mars/Olympus'")]
    [InlineData("push:\n  url: http://10.20.0.5/api/violations\n", "http", "push.url", "would send officials' plates and evidence in the clear over the network")]
    [InlineData("push:\n  url: ftp://platform/in\n", "ftp", "push.url", "'ftp://platform/in' is not an http(s) URL: expected an https:// URL")]
    [InlineData("push:\n  url: https://platform/api\n  tokenFile: secrets/token\n", "secrets", "push.tokenFile", "token file 'secrets/token' not found")]
    [InlineData("clock:\n  servers: [ntp.example.cn, 'ntp2:99999']\n", "'ntp2", "clock.servers[1]", "'ntp2:99999' is not an NTP server: expected host or host:port (port 1 to 65535, 123 when left out)")]
    [InlineData("clock:\n  servers: ['ntp one']\n", "'ntp one", "clock.servers[0]", "'ntp one' is not an NTP server")]
    [InlineData("clock:\n  maxOffsetMs: 2000\n  holdOffsetMs: 1500\n", "1500", "clock.holdOffsetMs", "1500 is less than clock.maxOffsetMs (2000): expected candidates to be held only where the clock is already an error")]
    [InlineData("clock:\n  maxOffsetMs: 5000\n", "5000", "clock.holdOffsetMs", "3000 is less than clock.maxOffsetMs (5000)")]
    [InlineData("clock:\n  checkSeconds: 1\n", "1", "clock.checkSeconds", "expected a whole number from 4 to 3600 (default 64)")]
    [InlineData("clock:\n  server: ntp.example.cn\n", "server", "clock.server", "unknown key 'server'; did you mean 'servers'?")]
    [InlineData("web:\n  sessionHours: 24\n  sessionAbsoluteHours: 12\n", "12", "web.sessionAbsoluteHours", "12 is shorter than web.sessionHours (24)")]
    [InlineData("web:\n  sessionHours: 24\n", "24", "web.sessionAbsoluteHours", "12 is shorter than web.sessionHours (24)")]
    public void Parse_OneMalformedValue_ReportsFileLineKeyAndWhatWasExpected(string yaml, string at, string key, string message)
    {
        ConfigError error = SingleError(yaml);

        Assert.Equal(FileName, error.File);
        Assert.Equal(LineOf(yaml, at), error.Line);
        Assert.Equal(ColumnOf(yaml, at), error.Column);
        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyWithoutValue_SaysItHasNoValue()
    {
        ConfigError error = SingleError("ingest:\n  detectFps:\n  loop: true\n");

        Assert.Equal(2, error.Line);
        Assert.Equal("ingest.detectFps", error.Key);
        Assert.Equal("has no value: expected a number from 0.1 to 60 (default 5)", error.Message);
    }

    [Fact]
    public void Parse_MissingVideoFile_SaysWhereItLookedAndThatRelativePathsAreFromTheConfigFolder()
    {
        ConfigError error = SingleError("cameras:\n  - id: a\n    url: clips/missing.mp4\n");

        Assert.Contains(Path.Combine(_dir, "clips", "missing.mp4"), error.Message, StringComparison.Ordinal);
        Assert.Contains("relative paths are taken from the config file's folder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtsp://admin:hunter2@/stream")]
    [InlineData("rtsp://admin:hunt@r2@cam/stream")]
    [InlineData("rtps://admin:hunter2@cam/stream")]
    public void Parse_BadUrlWithPassword_ErrorDoesNotShowThePassword(string url)
    {
        ConfigError error = SingleError($"cameras:\n  - id: a\n    url: {url}\n");

        Assert.Equal("cameras[0].url", error.Key);
        Assert.DoesNotContain("hunt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateCameraId_PointsAtTheRepeatAndNamesTheFirst()
    {
        const string yaml = """
            cameras:
              - id: gate-1
                url: rtsp://cam-1/s
              - id: gate-2
                url: rtsp://cam-2/s
              - id: GATE-1
                url: rtsp://cam-3/s
            """;

        ConfigError error = SingleError(yaml);

        Assert.Equal(6, error.Line);
        Assert.Equal(ColumnOf(yaml, "GATE-1"), error.Column);
        Assert.Equal("cameras[2].id", error.Key);
        Assert.Equal("duplicate camera id 'GATE-1': cameras[0] (line 2) already uses it; camera ids must be unique (case does not count)", error.Message);
    }

    [Fact]
    public void Parse_BareListItem_ReportsItsMissingRequiredKeys()
    {
        ConfigException e = Assert.Throws<ConfigException>(() => Parse("cameras:\n  -\n  - id: b\n    url: rtsp://cam/s\n"));

        Assert.Equal(["cameras[0].id", "cameras[0].url"], e.Errors.Select(x => x.Key));
        Assert.All(e.Errors, x => Assert.Equal(2, x.Line));
        Assert.All(e.Errors, x => Assert.StartsWith("missing required key", x.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NoCameras_IsValid()
    {
        Assert.Empty(Parse("cameras: []\n").Cameras);
    }

    // ---- YAML syntax ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("ingest:\n\tdetectFps: 5\n", 2, 1, "a tab in the indentation; YAML indents with spaces only")]
    [InlineData("ingest:\n  detectFps: 5\n  detectFps: 6\n", 3, 3, "Duplicate key detectFps")]
    [InlineData("site:\n  id: x\n name: y\n", 3, 2, "did not find expected key")]
    [InlineData("site:\n  id: \"unclosed\n", 2, 7, "found unexpected end of stream")]
    [InlineData("site: {id: [x}\n", 1, 14, "did not find expected ',' or ']'")]
    [InlineData("a: [1, 2\nb: 3\n", 1, 6, "is a '[', '{' or quote left unclosed?")]
    [InlineData("---\na: 1\n---\nb: 2\n", 4, 1, "expected one YAML document, found 2")]
    public void Parse_YamlSyntaxError_GivesLineAndColumn(string yaml, int line, int column, string message)
    {
        ConfigError error = SingleError(yaml);

        Assert.Equal(FileName, error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal("", error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // ---- several errors at once ----------------------------------------------------------------------------

    [Fact]
    public void Parse_SeveralErrors_ReportsThemAllInFileOrderOnePerLine()
    {
        const string yaml = """
            web:
              bind: ftp://x
            ingest:
              detectFps: abc
            cameras:
              - id: a
                url: rtsp://cam/s
                colour: red
            site:
              nmae: x
            """;

        ConfigException e = Assert.Throws<ConfigException>(() => Parse(yaml));

        Assert.Equal(["web.bind", "ingest.detectFps", "cameras[0].colour", "site.nmae"], e.Errors.Select(x => x.Key));
        string[] lines = e.Message.Split(Environment.NewLine);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("cww.yaml:2:9: web.bind: 'ftp://' is not an accepted scheme", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("cww.yaml:4:14: ingest.detectFps: 'abc' is not a number", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("cww.yaml:8:5: cameras[0].colour: camera 'a': unknown key 'colour'", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("cww.yaml:10:3: site.nmae: unknown key 'nmae'; did you mean 'name'?", lines[3], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.yaml", 3, 5, "site.id", "bad", "a.yaml:3:5: site.id: bad")]
    [InlineData("a.yaml", 3, 5, "", "YAML syntax error: x", "a.yaml:3:5: YAML syntax error: x")]
    [InlineData("a.yaml", 0, 0, "", "configuration file not found", "a.yaml: configuration file not found")]
    public void ConfigError_ToString_IsFileLineColumnKeyMessage(string file, int line, int column, string key, string message, string expected)
    {
        Assert.Equal(expected, new ConfigError(file, line, column, key, message).ToString());
    }

    // ---- the binder on other record types (scene files later) ----------------------------------------------

    [Fact]
    public void Bind_SceneLikeRecord_BindsListsOfRecordsAndScalars()
    {
        TestZone zone = BindZone("""
            name: crosswalk
            xs: [0.1, 0.5, 0.9]
            corners:
              - {x: 0.1, y: 0.2}
              - x: 0.3
            """);

        Assert.Equal("crosswalk", zone.Name);
        Assert.Equal([0.1, 0.5, 0.9], zone.Xs);
        Assert.Equal([new TestPoint { X = 0.1, Y = 0.2 }, new TestPoint { X = 0.3 }], zone.Corners);
    }

    [Theory]
    [InlineData("name: z\nxs: [0.1, 1.5, 0.2]\n", "xs[1]", "1.5 is out of range: expected a number from 0 to 1")]
    [InlineData("name: z\nxs: [0.1]\n", "xs", "has 1 item: expected a list ('- ' items) of at least 3 items")]
    [InlineData("name: z\ncorners:\n  - {x: 0.1, y: 2}\n", "corners[0].y", "2 is out of range: expected a number from 0 to 1 (default 0)")]
    [InlineData("name: z\ncorners:\n  - {x: 0.1, z: 2}\n", "corners[0].z", "unknown key 'z' (allowed: x, y)")]
    [InlineData("xs: [0.1, 0.2, 0.3]\n", "name", "missing required key 'name'")]
    public void Bind_SceneLikeRecordWithBadValue_ReportsItemPath(string yaml, string key, string message)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => BindZone(yaml));

        ConfigError error = Assert.Single(e.Errors);
        Assert.Equal("zone.yaml", error.File);
        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private CwwConfig Parse(string yaml) => ConfigLoader.Parse(yaml, FileName, _dir);

    private ConfigError SingleError(string yaml)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => Parse(yaml));
        return Assert.Single(e.Errors);
    }

    private static TestZone BindZone(string yaml)
    {
        var errors = new ConfigErrors("zone.yaml");
        var root = ConfigLoader.ReadDocument(yaml, errors);
        TestZone zone = new YamlBinder(errors).Bind<TestZone>(root);
        errors.ThrowIfAny();
        return zone;
    }

    private void AssertDefaults(CwwConfig config)
    {
        var defaults = new CwwConfig();
        Assert.Equal(defaults.Site, config.Site);
        Assert.Equal(Path.Combine(_dir, "var"), config.Paths.Data);
        Assert.Equal(Path.Combine(_dir, "var", "models"), config.Paths.Models);
        Assert.Equal(defaults.Ingest, config.Ingest);
        Assert.Empty(config.Cameras);
        Assert.Equal(defaults.Detector, config.Detector);
        Assert.Equal(defaults.Storage, config.Storage);
        Assert.Equal(defaults.Tally, config.Tally);
        Assert.Equal(defaults.Retention, config.Retention);
        Assert.Equal(defaults.Messaging, config.Messaging);
        Assert.Equal(defaults.Web, config.Web);
    }

    private string Touch(string relative, string content = "")
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>1-based line of the first line containing <paramref name="text"/>.</summary>
    private static int LineOf(string yaml, string text)
    {
        string[] lines = yaml.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(text, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        throw new ArgumentException($"'{text}' is not in the YAML", nameof(text));
    }

    /// <summary>1-based column of <paramref name="text"/> on the first line containing it.</summary>
    private static int ColumnOf(string yaml, string text) =>
        yaml.Split('\n')[LineOf(yaml, text) - 1].IndexOf(text, StringComparison.Ordinal) + 1;

    internal sealed record TestZone
    {
        [Required]
        public string Name { get; init; } = "";

        [MinLength(3)]
        [Range(0.0, 1.0)]
        public IReadOnlyList<double> Xs { get; init; } = [0, 0.5, 1];

        public IReadOnlyList<TestPoint> Corners { get; init; } = [];
    }

    internal sealed record TestPoint
    {
        [Range(0.0, 1.0)]
        public double X { get; init; }

        [Range(0.0, 1.0)]
        public double Y { get; init; }
    }
}
