using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;
using CrosswalkWatch.Scenarios;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>
/// The police reviewer's console on a real case made by the real pipeline: `cww replay` on a generated violation with
/// the officials' registry writes the evidence package and the case (matched to official T001), and `cww serve`
/// serves that store with the key the package was signed with.
/// </summary>
[Collection(GeneratedSuiteUsers.Name)]
public sealed partial class PoliceConsoleTests(GeneratedSuite suite)
{
    private const string Official = "测试官员甲";
    private const string OtherOfficial = "测试官员乙";
    private const string OtherPlate = "京A00001";

    [Fact]
    public async Task Browser_ReviewerPlaysAndConfirmsARealCase_ItCountsOnlyWhenASecondReviewerConfirmsAndTheAuditNamesBoth()
    {
        // Two cases in the queue: the official's, and one whose plate matches no official.
        await using var site = await ReviewSite.StartAsync(suite, ScenarioKind.PedestrianInAdjacentLane);
        Assert.Empty(await site.TallyAsync());

        // Each pedestrian of the stored reasons, as the page should say it.
        string[] reasons;
        await using (var before = await site.OpenDeskAsync())
        {
            var stored = await before.Store.GetAsync(site.CaseId);
            var candidate = JsonSerializer.Deserialize<ViolationCandidate>(stored!.CandidateJson, EvidenceJson.Compact)!;
            reasons = [.. candidate.Pedestrians.Select(p => $"Pedestrian #{p.TrackId}: {p.Where.Text()}, ")];
            Assert.Equal(Domain.Signals.SignalReading.Of(Domain.Signals.SignalState.Green, Domain.Signals.SignalSource.Image), candidate.OnLine.Signal); // the clip's drawn head, read by the replay
        }

        var output = await Browser.RunAsync(
            "police-confirm",
            new { baseUrl = site.Server.Address.ToString(), password = ConsoleServer.Password, caseId = site.CaseId, otherCaseId = Assert.Single(site.OtherCaseIds), plate = site.Plate, official = Official, reasons },
            TimeSpan.FromMinutes(3));
        Assert.Contains("scenario police-confirm: passed", output, StringComparison.Ordinal);

        var tally = Assert.Single(await site.TallyAsync());
        Assert.Equal(("T001", 1), (tally.OfficialId, tally.Count));
        await using var desk = await site.OpenDeskAsync();
        var audit = await desk.Store.AuditAsync(site.CaseId);
        Assert.Equal([("confirm", "police"), ("confirm", "police2")], audit.Select(a => (a.Action, a.Actor)));
        Assert.Contains("\"status\":\"candidate\"", audit[0].AfterJson, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"confirmed\"", audit[1].AfterJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browser_CorrectTamperAndReject_ReMatchesRefusesTheConfirmationAndRejectsWithTheReason()
    {
        await using var site = await ReviewSite.StartAsync(suite);
        const string reason = "pedestrian-not-in-conflict";
        const string note = "the pedestrian was on the far kerb";

        var output = await Browser.RunAsync(
            "police-decide",
            new
            {
                baseUrl = site.Server.Address.ToString(),
                password = ConsoleServer.Password,
                caseId = site.CaseId,
                official = Official,
                misread = "京A0D001", // D for 0: the registry suggests 京A00001
                otherPlate = OtherPlate,
                otherOfficial = OtherOfficial,
                tamperFile = Path.Combine(site.EvidenceFolder, "vehicle.jpg"),
                tamperName = "vehicle.jpg",
                reason,
                note,
            },
            TimeSpan.FromMinutes(3));
        Assert.Contains("scenario police-decide: passed", output, StringComparison.Ordinal);

        await using var desk = await site.OpenDeskAsync();
        var stored = await desk.Store.GetAsync(site.CaseId);
        Assert.NotNull(stored);
        Assert.Equal((CaseStatus.Rejected, OtherPlate, "T002", reason, note), (stored.Status, stored.Plate, stored.OfficialId, stored.RejectReason, stored.RejectNote));
        var audit = await desk.Store.AuditAsync(site.CaseId);
        Assert.Equal(["correct", "correct", "reject"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("police", a.Actor));
        Assert.Empty(await site.TallyAsync()); // the refused confirmation counted nothing
    }

    [Fact]
    public async Task Api_OfficeOperatorAndAnonymous_AreRefusedTheCasesAndTheClip_ThePoliceFilterAndSeekIt()
    {
        await using var site = await ReviewSite.StartAsync(suite);
        var id = Uri.EscapeDataString(site.CaseId);
        string[] reads = ["/api/cases", $"/api/cases/{id}", $"/api/cases/{id}/evidence/clip.mp4", $"/api/cases/{id}/evidence/photo2-on-line.jpg", $"/api/cases/export?from={site.EventDay:yyyy-MM-dd}&to={site.EventDay:yyyy-MM-dd}"];

        using (var anonymous = site.Client())
        {
            foreach (var path in reads)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
            }

            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(new Uri($"/api/cases/{id}/confirm", UriKind.Relative), null)).StatusCode);
            var page = await anonymous.GetAsync(new Uri($"/review/{id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/signin", page.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        foreach (var role in new[] { "office", "operator" })
        {
            using var other = await site.SignInAsync(role);
            foreach (var path in reads)
            {
                var response = await other.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} GET {path}: {response.StatusCode}");
                Assert.Contains("not for your role", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync(new Uri($"/api/cases/{id}/confirm", UriKind.Relative), null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(new Uri($"/review/{id}", UriKind.Relative))).StatusCode);
        }

        using var police = await site.SignInAsync("police");

        // The queue and its filters: status, camera, local day.
        var day = site.EventDay;
        Assert.Equal(1, await CountAsync(police, "/api/cases"));
        Assert.Equal(1, await CountAsync(police, $"/api/cases?camera=replay&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}"));
        Assert.Equal(0, await CountAsync(police, $"/api/cases?from={day.AddDays(1):yyyy-MM-dd}"));
        Assert.Equal(0, await CountAsync(police, "/api/cases?camera=elsewhere"));
        Assert.Equal(0, await CountAsync(police, "/api/cases?status=confirmed"));
        Assert.Equal(1, await CountAsync(police, "/api/cases?status=all"));
        Assert.Equal(HttpStatusCode.BadRequest, (await police.GetAsync(new Uri("/api/cases?from=28.11.2026", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await police.GetAsync(new Uri("/api/cases?status=maybe", UriKind.Relative))).StatusCode);

        // The case: its plate read per character, the official, the reasons with the scene, the evidence verified.
        using (var json = JsonDocument.Parse(await police.GetStringAsync(new Uri($"/api/cases/{id}", UriKind.Relative))))
        {
            var c = json.RootElement;
            Assert.Equal(site.Plate.Length, c.GetProperty("plate").GetProperty("read").GetProperty("characters").GetArrayLength());
            Assert.Equal(Official, c.GetProperty("match").GetProperty("official").GetProperty("name").GetString());
            Assert.True(c.GetProperty("evidence").GetProperty("verified").GetBoolean(), c.GetProperty("evidence").ToString());
            Assert.True(c.GetProperty("reasons").GetProperty("pedestrians").GetArrayLength() > 0);
            foreach (var pedestrian in c.GetProperty("reasons").GetProperty("pedestrians").EnumerateArray())
            {
                // where as stored, whereText the phrase the page shows
                Assert.True(ConflictKinds.TryParse(pedestrian.GetProperty("where").GetString(), out var kind), pedestrian.ToString());
                Assert.Equal(kind.WireName(), pedestrian.GetProperty("where").GetString());
                Assert.Equal(kind.Text(), pedestrian.GetProperty("whereText").GetString());
            }

            Assert.True(c.GetProperty("scene").GetProperty("crosswalk").GetArrayLength() >= 3);
        }

        // The clip by range, so the browser's <video> can seek; only the package's fixed file names are served.
        using var range = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/cases/{id}/evidence/clip.mp4", UriKind.Relative));
        range.Headers.Range = new RangeHeaderValue(100, 199);
        var part = await police.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal("video/mp4", part.Content.Headers.ContentType?.MediaType);
        Assert.Equal(100, (await part.Content.ReadAsByteArrayAsync()).Length);
        foreach (var name in new[] { "cases.db", "..%2F..%2F..%2Fcases.db", "keys%2Fsite.key", "keys%2Fsite-private.pem", "..%2F..%2F..%2Fkeys%2Fsite-private.pem" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await police.GetAsync(new Uri($"/api/cases/{id}/evidence/{name}", UriKind.Relative))).StatusCode);
        }

        // Decisions refused before anything changes: an unknown reason, not a plate, no such case.
        var token = await ReviewSite.TokenAsync(police);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(police, token, $"/api/cases/{id}/reject", new { reason = "bored" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(police, token, $"/api/cases/{id}/reject", null)).StatusCode);
        var longNote = await PostAsync(police, token, $"/api/cases/{id}/reject", new { reason = RejectReasons.All[0], note = new string('x', 100_000) });
        Assert.Equal(HttpStatusCode.BadRequest, longNote.StatusCode);
        Assert.Contains("at most 2000 characters", await longNote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var notAPlate = await PostAsync(police, token, $"/api/cases/{id}/correct", new { plate = "ABC" });
        Assert.Equal(HttpStatusCode.BadRequest, notAPlate.StatusCode);
        Assert.Contains("is not a plate", await notAPlate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(police, token, "/api/cases/no-such-case/confirm", null)).StatusCode);
        await using (var desk = await site.OpenDeskAsync())
        {
            Assert.Empty(await desk.Store.AuditAsync(site.CaseId));
        }

        // The export for the police platform: nothing confirmed yet, then the case once confirmed, its package verified.
        var export = $"/api/cases/export?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}";
        Assert.Equal(HttpStatusCode.BadRequest, (await police.GetAsync(new Uri("/api/cases/export?from=2026-12-02&to=2026-12-01", UriKind.Relative))).StatusCode);
        Assert.Equal("0", (await police.GetAsync(new Uri(export, UriKind.Relative))).Headers.GetValues("X-Cww-Exported").Single());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(police, token, $"/api/cases/{id}/confirm", null)).StatusCode);
        Assert.Equal("0", (await police.GetAsync(new Uri(export, UriKind.Relative))).Headers.GetValues("X-Cww-Exported").Single()); // an official's case needs a second reviewer
        using (var second = await site.SignInAsync(ConsoleServer.SecondReviewer))
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(second, await ReviewSite.TokenAsync(second), $"/api/cases/{id}/confirm", null)).StatusCode);
        }

        var zip = await police.GetAsync(new Uri(export, UriKind.Relative));
        Assert.Equal("application/zip", zip.Content.Headers.ContentType?.MediaType);
        Assert.Equal(("1", ""), (zip.Headers.GetValues("X-Cww-Exported").Single(), zip.Headers.GetValues("X-Cww-Left-Out").Single()));
        using var archive = new System.IO.Compression.ZipArchive(await zip.Content.ReadAsStreamAsync());
        Assert.NotNull(archive.GetEntry($"cases/{site.CaseId}/manifest.json"));
        using var record = JsonDocument.Parse(await new StreamReader(archive.GetEntry($"cases/{site.CaseId}/record.json")!.Open()).ReadToEndAsync());
        Assert.Equal(("1357", site.Plate), (record.RootElement.GetProperty("code").GetString(), record.RootElement.GetProperty("plate").GetString()));
    }

    /// <summary>
    /// Cloned plates: the registry says T001's plate is on a white bus; the real pipeline detects a car and measures
    /// its colour. The case page (API and in Chromium) and `cww review show` put the mismatch in front of the reviewer.
    /// </summary>
    [Fact]
    public async Task Browser_RegistrySaysAnotherVehicle_ThePageAndReviewShowPutTheMismatchFirst()
    {
        await using var site = await ReviewSite.StartAsync(suite, "bus,white,宇通");
        var vehicle = VehicleSection.Read(site.EvidenceFolder);
        Assert.NotNull(vehicle); // the real pipeline's package carries its vehicle section
        Assert.NotNull(vehicle.Kind);
        Assert.NotNull(vehicle.Colour);
        Assert.NotEqual(VehicleKind.Bus, vehicle.Kind);
        var headline = $"vehicle does not match the registry: registry says white bus, make 宇通, evidence shows {VehicleCheck.Describe(vehicle)}";

        using var police = await site.SignInAsync("police");
        using (var json = JsonDocument.Parse(await police.GetStringAsync(new Uri($"/api/cases/{Uri.EscapeDataString(site.CaseId)}", UriKind.Relative))))
        {
            var v = json.RootElement.GetProperty("vehicle");
            Assert.Equal("mismatch", v.GetProperty("verdict").GetString());
            Assert.Equal(headline, v.GetProperty("headline").GetString());
            Assert.Contains(v.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("kind: registry says bus, detector saw ", StringComparison.Ordinal));
            Assert.Equal(VehicleNames.Name(vehicle.Colour.Value), v.GetProperty("measured").GetProperty("colour").GetString());
        }

        var output = await Browser.RunAsync("police-vehicle", new { baseUrl = site.Server.Address.ToString(), password = ConsoleServer.Password, caseId = site.CaseId, headline });
        Assert.Contains("scenario police-vehicle: passed", output, StringComparison.Ordinal);

        var show = await CwwProcess.RunAsync(TimeSpan.FromMinutes(1), ["review", "show", site.CaseId, "--config", site.ConfigPath]);
        Assert.True(show.ExitCode == 0, show.All);
        Assert.Contains($"vehicle   MISMATCH: {headline}", show.Output, StringComparison.Ordinal);
    }

    private static async Task<int> CountAsync(HttpClient client, string path)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
        return json.RootElement.GetProperty("cases").GetArrayLength();
    }

    internal static Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string path, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-TOKEN", token);
        return client.SendAsync(request);
    }

    [GeneratedRegex("name=\"(?:__RequestVerificationToken|csrf-token)\"[^>]*(?:value|content)=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>A replayed violation's store and evidence, served by a real <c>cww serve</c> with one account per role.</summary>
    internal sealed class ReviewSite(ConsoleServer server, string configPath, string caseId, IReadOnlyList<string> otherCaseIds, string plate, string evidenceFolder, DateOnly eventDay)
        : IAsyncDisposable
    {
        public ConsoleServer Server => server;

        public string ConfigPath => configPath;

        /// <summary>The case of the pedestrian-in-lane violation, matched to official T001.</summary>
        public string CaseId => caseId;

        /// <summary>The cases of the other clips replayed into the same store (plates of no official).</summary>
        public IReadOnlyList<string> OtherCaseIds => otherCaseIds;

        public string Plate => plate;

        public string EvidenceFolder => evidenceFolder;

        /// <summary>The event's day in the site's time zone.</summary>
        public DateOnly EventDay => eventDay;

        /// <summary>
        /// Replays the generated pedestrian-in-lane violation (and the clips of <paramref name="more"/>) into the
        /// server's data folder (cases.db with the replay's public key registered for site 'replay', evidence, keys/site-private.pem: the replay's signing key) against a registry
        /// holding its plate, and starts the console there.
        /// </summary>
        public static Task<ReviewSite> StartAsync(GeneratedSuite suite, params ScenarioKind[] more) => StartAsync(suite, ",,", more);

        /// <summary>
        /// <see cref="StartAsync(GeneratedSuite, ScenarioKind[])"/> with the registry describing official T001's
        /// vehicle as <paramref name="vehicle"/> (<c>vehicle_kind,body_colour,make</c>).
        /// </summary>
        public static Task<ReviewSite> StartAsync(GeneratedSuite suite, string vehicle, params ScenarioKind[] more) => StartAsync(suite, vehicle, "", more);

        /// <summary>The site with <paramref name="configuration"/> (YAML: cameras, web settings) added to the console's configuration.</summary>
        public static async Task<ReviewSite> StartAsync(GeneratedSuite suite, string vehicle, string configuration, ScenarioKind[] more)
        {
            var clip = suite.Clips.Single(c => c.Kind == ScenarioKind.PedestrianInLane);
            using var truth = JsonDocument.Parse(await File.ReadAllTextAsync(clip.TruthPath));
            var plate = truth.RootElement.GetProperty("violations")[0].GetProperty("plate").GetString()!;
            var server = new ConsoleServer();
            try
            {
                var registry = server.Folder.File("officials.csv");
                await File.WriteAllTextAsync(registry, $"""
                    official_id,name,department,authority,plate,relation,valid_from,valid_to,vehicle_kind,body_colour,make
                    T001,{Official},市测试局,市委组织部,{plate},own,2000-01-01,,{vehicle}
                    T002,{OtherOfficial},市测试局,市委组织部,{OtherPlate},own,2000-01-01,,,,
                    """);
                foreach (var video in more.Select(k => suite.Clips.Single(c => c.Kind == k)).Prepend(clip))
                {
                    var replay = await CwwProcess.RunAsync(
                        TimeSpan.FromMinutes(3),
                        ["replay", video.VideoPath, "--scene", Path.Combine(suite.Folder, "scene.yaml"), "--out", server.Data, "--registry", registry, "--key", Path.Combine(server.Data, "keys", "site-private.pem")]);
                    Assert.True(replay.ExitCode == 0, replay.All);
                }

                var config = server.Folder.File("cww.yaml");
                await File.WriteAllTextAsync(config, $"paths:\n  data: {server.Data}\nstorage:\n  sqlitePath: cases.db\n{configuration}");
                var storage = new StorageConfig { SqlitePath = "cases.db" };
                await server.AddAccountsAsync(storage, server.Data);
                using var cases = Stores.OpenCases(storage, server.Data);
                var all = await cases.ListAsync();
                Assert.True(all.Count == more.Length + 1, $"one case per replayed clip: {string.Join(", ", all.Select(c => c.CaseId))}");
                var stored = Assert.Single(all, c => c.Plate == plate);
                Assert.True(stored.OfficialId == "T001", $"the pedestrian-in-lane case should match official T001: {string.Join(", ", all.Select(c => $"{c.Plate} {c.MatchKind} {c.PlateReadJson}"))}");
                await server.StartAsync(config);
                var zone = TimeZoneInfo.FindSystemTimeZoneById(new CwwConfig().Site.TimeZone);
                var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(stored.EventAt, zone).DateTime);
                return new ReviewSite(server, config, stored.CaseId, all.Where(c => c != stored).Select(c => c.CaseId).ToList(), plate, stored.EvidenceFolder, day);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }

        public Task<ReviewDesk> OpenDeskAsync() => ReviewDesk.OpenAsync(ConfigLoader.Load(configPath));

        /// <summary>The calendar year's tally of the event's year, read from the store the console serves.</summary>
        public async Task<IReadOnlyList<TallyRow>> TallyAsync()
        {
            await using var desk = await OpenDeskAsync();
            return (await desk.TallyAsync(EventDay.Year)).Officials;
        }

        public HttpClient Client() =>
            new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Server.Address };

        /// <summary>A client signed in through the sign-in form (its anti-forgery token and cookie) as <paramref name="user"/>.</summary>
        public async Task<HttpClient> SignInAsync(string user)
        {
            var client = Client();
            var form = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
            using var body = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(form).Groups[1].Value),
                ["username"] = user,
                ["password"] = ConsoleServer.Password,
            });
            var response = await client.PostAsync(new Uri("/signin", UriKind.Relative), body);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString() != "/signin", $"{user} could not sign in: {response.StatusCode} {response.Headers.Location}");
            return client;
        }

        /// <summary>The anti-forgery token a signed-in page gives its scripts.</summary>
        public static async Task<string> TokenAsync(HttpClient client) =>
            WebUtility.HtmlDecode(TokenPattern().Match(await client.GetStringAsync(new Uri("/review", UriKind.Relative))).Groups[1].Value);

        public async ValueTask DisposeAsync() => await Server.DisposeAsync();
    }
}
