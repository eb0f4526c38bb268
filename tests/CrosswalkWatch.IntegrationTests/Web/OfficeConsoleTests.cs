using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Web.Office;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>
/// The campaign office in a real browser against a real <c>cww serve</c>: tallies, flags, notices and their
/// acknowledgement (audited), the CSV, the counted cases it may open, and every case and page it may not.
/// </summary>
public sealed class OfficeConsoleTests
{
    [Fact]
    public async Task Browser_OfficeSeesTheTallies_AcknowledgesTheNoticeOnce_AndExportsTheCsv()
    {
        await using var server = await StartAsync();
        var downloads = server.Folder.File("downloads");

        var output = await Browser.RunAsync("office-tallies", Parameters(server, downloads));

        Assert.Contains("scenario office-tallies: passed", output, StringComparison.Ordinal);
        // Acknowledged through the page, then again through the API: the first acknowledgement stays, audited once.
        using var console = ConsoleStore.Open(new StorageConfig(), server.Data);
        var ack = Assert.Single(await console.NoticeAcksAsync());
        Assert.Equal(("F1", Year, 3, "office"), (ack.OfficialId, ack.Window, ack.Ordinal, ack.AckedBy));
        using var cases = Stores.OpenCases(new StorageConfig(), server.Data);
        var audit = Assert.Single(await cases.AuditAsync($"notice:F1/{Year}/3"));
        Assert.Equal(("office", "notice-acknowledged"), (audit.Actor, audit.Action));
    }

    [Fact]
    public async Task Browser_OfficeOpensACountedCase_AndIsRefusedUnmatchedFuzzyAndPendingCasesAndThePolicePages()
    {
        await using var server = await StartAsync();

        var output = await Browser.RunAsync("office-cases", Parameters(server));

        Assert.Contains("scenario office-cases: passed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_OfficePhotos_EverythingButTheAccusedVehicleAndThePedestriansHeadsUnderAMosaic()
    {
        await using var server = await StartAsync();
        using var http = await server.SignedInClientAsync("office");
        var original = Directory.GetFiles(server.Data, "photo2-on-line.jpg", SearchOption.AllDirectories).Single(f => f.Contains("f1-mar", StringComparison.Ordinal));

        var served = await http.GetByteArrayAsync(new Uri("/api/office/cases/f1-mar/photos/photo2-on-line.jpg", UriKind.Relative));
        var plate = await http.GetByteArrayAsync(new Uri("/api/office/cases/f1-mar/photos/plate.jpg", UriKind.Relative));

        using var before = OpenCvSharp.Cv2.ImDecode(await File.ReadAllBytesAsync(original), OpenCvSharp.ImreadModes.Grayscale);
        using var after = OpenCvSharp.Cv2.ImDecode(served, OpenCvSharp.ImreadModes.Grayscale);
        var vehicle = Region(OfficeConsoleData.Vehicle, before, 0.1f);
        var caption = new OpenCvSharp.Rect(80, 8, 120, 30); // the caption's text right of the pedestrian, outside the vehicle
        var head = Region(OfficeConsoleData.Pedestrian with { Y2 = OfficeConsoleData.Pedestrian.Y1 + 0.1f }, before, 0);
        Assert.True(Detail(before, caption) > 10 * Detail(after, caption), $"the caption outside the vehicle is covered ({Detail(before, caption):0} -> {Detail(after, caption):0})");
        Assert.True(Detail(before, head) > 4 * Detail(after, head), $"the pedestrian's head is covered ({Detail(before, head):0} -> {Detail(after, head):0})");
        using var difference = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Absdiff(new OpenCvSharp.Mat(before, vehicle), new OpenCvSharp.Mat(after, vehicle), difference);
        Assert.True(OpenCvSharp.Cv2.Mean(difference).Val0 < 4, $"the accused vehicle is shown as it is (mean difference {OpenCvSharp.Cv2.Mean(difference).Val0:0.0})");
        Assert.True(Detail(after, vehicle) > 0.5 * Detail(before, vehicle), $"the vehicle's plate keeps its detail ({Detail(before, vehicle):0} -> {Detail(after, vehicle):0})");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(original)!, "plate.jpg")), plate);
    }

    /// <summary>How much fine detail a region holds: the variance of its Laplacian.</summary>
    private static double Detail(OpenCvSharp.Mat image, OpenCvSharp.Rect region)
    {
        using var part = new OpenCvSharp.Mat(image, region);
        using var edges = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Laplacian(part, edges, OpenCvSharp.MatType.CV_64F);
        OpenCvSharp.Cv2.MeanStdDev(edges, out _, out var deviation);
        return deviation.Val0 * deviation.Val0;
    }

    /// <summary>A normalised box in pixels, shrunk by <paramref name="inset"/> of its size on each side.</summary>
    private static OpenCvSharp.Rect Region(Domain.Detection.Box box, OpenCvSharp.Mat image, float inset)
    {
        var (w, h) = (box.X2 - box.X1, box.Y2 - box.Y1);
        var x1 = (int)((box.X1 + (w * inset)) * image.Width);
        var y1 = (int)((box.Y1 + (h * inset)) * image.Height);
        return new OpenCvSharp.Rect(x1, y1, (int)((box.X2 - (w * inset)) * image.Width) - x1, (int)((box.Y2 - (h * inset)) * image.Height) - y1);
    }

    [Fact]
    public async Task Api_RollingWindow_CountsThe365DaysToTheDayAsked_AndNamesTheWindow()
    {
        await using var server = await StartAsync();
        using var http = await server.SignedInClientAsync("office");

        // To 31 March, the 365 days reach back into last June: F2's case of last year counts beside this year's two.
        using var rolling = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/tally?window=rolling365&at={Year}-03-31", UriKind.Relative)));
        var counts = rolling.RootElement.GetProperty("officials").EnumerateArray().ToDictionary(o => o.GetProperty("id").GetString()!, o => o.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["F1"] = 3, ["F2"] = 3, ["F3"] = 1 }, counts);
        Assert.Equal($"365d to {Year}-03-31", rolling.RootElement.GetProperty("window").GetProperty("label").GetString());
        Assert.Equal(3, rolling.RootElement.GetProperty("threshold").GetInt32()); // tally.threshold, which the page reads
        Assert.StartsWith($"rolling 365 days to {Year}-03-31", rolling.RootElement.GetProperty("window").GetProperty("described").GetString(), StringComparison.Ordinal);

        // The calendar year leaves last year's case out; a window the office cannot mean is refused with the reason.
        using var calendar = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/tally?year={Year}", UriKind.Relative)));
        Assert.Equal(2, calendar.RootElement.GetProperty("officials").EnumerateArray().Single(o => o.GetProperty("id").GetString() == "F2").GetProperty("count").GetInt32());
        var bad = await http.GetAsync(new Uri("/api/tally?window=weekly", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("calendar or rolling365", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var csv = await http.GetAsync(new Uri($"/api/tally.csv?window=rolling365&at={Year}-03-31", UriKind.Relative));
        Assert.Equal($"tally-365d-to-{Year}-03-31.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task Api_Anonymous_401OnEveryOfficeApiAndTheCasePageSendsToSignIn()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        foreach (var path in new[] { "/api/tally", "/api/tally.csv", "/api/notices", "/api/office/cases/f1-mar", "/api/office/cases/f1-mar/photos/photo1-before-line.jpg", "/api/office/cases/citizen" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }

        var page = await http.GetAsync(new Uri("/office/cases/f1-mar", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>
    /// Why a notice was withdrawn, where the store keeps it in English only — a notice withdrawn before its phrase was
    /// kept, and the audit log's entry of every withdrawal — in the reader's language; the office's typed reason as typed.
    /// </summary>
    [Fact]
    public async Task Api_AWithdrawalKeptInEnglishOnly_SaysWhyInTheReadersLanguage()
    {
        await using var server = await StartAsync("zh-CN");
        using var office = await server.SignedInClientAsync("office");
        var token = await ConsoleServer.TokenAsync(office, "/office/cases/f1-mar");
        using var objection = await PoliceConsoleTests.PostAsync(office, token, "/api/office/cases/f1-mar/objection", new { reason = "not his car" });
        Assert.Equal(HttpStatusCode.OK, objection.StatusCode);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.Data, new StorageConfig().SqlitePath)};Pooling=false"))
        {
            // As a notice withdrawn before migration 0015 is kept: its English alone.
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE notices SET withdrawn_phrase = NULL";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        const string why = "违法次数降至 2 次：案件 f1-mar 被 office:office 重新审核：not his car";
        using var notices = JsonDocument.Parse(await office.GetStringAsync(new Uri("/api/notices", UriKind.Relative)));
        Assert.Equal(why, notices.RootElement.EnumerateArray().Single(n => n.GetProperty("withdrawn").GetBoolean()).GetProperty("withdrawnReason").GetString());
        using var police = await server.SignedInClientAsync("police");
        using var page = JsonDocument.Parse(await police.GetStringAsync(new Uri("/api/cases/f1-mar", UriKind.Relative)));
        var withdrawal = page.RootElement.GetProperty("audit").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "notice-withdrawn");
        Assert.Equal(why, withdrawal.GetProperty("after").GetProperty("reason").GetString());
    }

    [Fact]
    public void Csv_ChineseQuotesCommasAndFormulas_Utf8WithBomRfc4180AndNoFormula()
    {
        var rows = new[]
        {
            new OfficialTally(new TallyRow("F3", "丙\"测试\"", "区政府办公室, 督查室", "区委组织部", "2026", 3, "notice", []), []),
            new OfficialTally(new TallyRow("F4", "=HYPERLINK(\"x\")", "市局\r\n二处", "@SUM", "2026", 2, "one away", []), []),
        };

        var bytes = OfficeTally.Csv(rows);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal(
            "official id,name,department,authority,window,confirmed violations,flag,counted cases\r\n" +
            "F3,\"丙\"\"测试\"\"\",\"区政府办公室, 督查室\",区委组织部,2026,3,notice,\r\n" +
            "F4,\"'=HYPERLINK(\"\"x\"\")\",\"市局\r\n二处\",'@SUM,2026,2,one away,\r\n",
            Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal("tally-2026.csv", OfficeTally.FileName("2026", null));
    }

    private static string Year => OfficeConsoleData.Year.ToString(CultureInfo.InvariantCulture);

    private static async Task<ConsoleServer> StartAsync(string language = "en")
    {
        var server = new ConsoleServer();
        try
        {
            await server.AddAccountsAsync(language: language);
            await OfficeConsoleData.SeedAsync(server.Data);
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static object Parameters(ConsoleServer server, string downloads = "") => new
    {
        baseUrl = server.Address.ToString(),
        password = ConsoleServer.Password,
        year = OfficeConsoleData.Year,
        counted = OfficeConsoleData.Counted,
        refused = OfficeConsoleData.Refused,
        hidden = new[] { ReviewCases.CitizenPlate, OfficeConsoleData.FuzzyPlate },
        officials = OfficeConsoleData.Registry.Officials.ToDictionary(o => o.Id, o => new { o.Name, o.Department }),
        downloads,
    };
}
