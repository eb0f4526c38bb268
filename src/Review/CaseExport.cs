using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage.Review;

namespace CrosswalkWatch.Review;

/// <summary>What an export wrote, and the confirmed cases of the period it left out with the reason.</summary>
public sealed record ExportResult(IReadOnlyList<string> Exported, IReadOnlyList<(string CaseId, string Reason)> Refused);

/// <summary>
/// <c>cww export</c>: the confirmed cases of a period for the police's traffic-management platform, as one zip: per case
/// its evidence package as the box signed it (photos, plate close-up, clip, reasons, signed manifest) and a
/// <c>record.json</c> (violation code 1357, the offence, time in the site's zone, place, device, direction, lane, plate
/// and colour, vehicle kind, which file is which), and a <c>summary.csv</c> of them all. Only packages that verify go in
/// (signature with the site's registered key and every file's sha256): one that does not is left out and named, so the
/// platform never receives a case whose evidence cannot be checked. The zip is written beside its name and moved into
/// place when complete. <c>cww evidence verify FILE.zip</c> checks an archive offline (<see cref="VerifyArchiveAsync"/>).
/// </summary>
public static class CaseExport
{
    /// <summary>The violation code of the Ministry of Public Security's list for failing to yield to pedestrians on a crosswalk.</summary>
    public const string ViolationCode = "1357";

    /// <summary>The offence as the code list words it.</summary>
    public const string Offence = "遇行人正在通过人行横道时未停车让行";

    private static readonly string[] Photos = ["photo1-before-line.jpg", "photo2-on-line.jpg", "photo3-leaving.jpg"];

    private static readonly string[] Header = ["案件编号", "违法代码", "违法行为", "违法时间", "违法地点", "设备编号", "方向", "车道", "号牌号码", "号牌颜色", "车辆类型", "证据目录"];

    /// <summary>
    /// Writes the cases confirmed with an event from <paramref name="from"/> up to (not including)
    /// <paramref name="until"/>, of <paramref name="camera"/> when given, into <paramref name="zipPath"/>; times in the
    /// records are read in <paramref name="zone"/>. The days' bounds are the review desk's (<see cref="ReviewDesk.StartOf"/>).
    /// </summary>
    public static async Task<ExportResult> WriteAsync(IReviewStore store, IEvidenceKeys keys, DateTimeOffset from, DateTimeOffset until, string? camera, TimeZoneInfo zone, string zipPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(zone);
        var cases = await store.QueryAsync(new CaseQuery(CaseStatuses.Name(CaseStatus.Confirmed), camera, from, until, Limit: int.MaxValue), cancellationToken).ConfigureAwait(false);
        var exported = new List<string>();
        var refused = new List<(string, string)>();
        var partial = zipPath + ".part";
        var summary = new StringBuilder().AppendJoin(',', Header).Append('\n');
        try
        {
            await using (var file = File.Create(partial))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                foreach (var record in cases)
                {
                    if (record.EvidenceDeletedAt is not null || !Directory.Exists(record.EvidenceFolder))
                    {
                        refused.Add((record.CaseId, $"its evidence is gone ({record.EvidenceFolder}{(record.EvidenceDeletedAt is { } at ? $", deleted {at:yyyy-MM-dd} by retention" : "")})"));
                        continue;
                    }

                    var check = await EvidenceVerifier.VerifyAsync(record.EvidenceFolder, keys, cancellationToken).ConfigureAwait(false);
                    if (!check.Intact)
                    {
                        refused.Add((record.CaseId, "its package does not verify: " + string.Join("; ", check.Problems)));
                        continue;
                    }

                    var prefix = $"cases/{record.CaseId}/";
                    // The signed files and the manifest, nothing else the folder may hold.
                    var signed = EvidenceVerifier.ReadManifest(record.EvidenceFolder)!.Files.Select(f => f.Name).Append("manifest.json");
                    foreach (var name in signed)
                    {
                        zip.CreateEntryFromFile(Path.Combine(record.EvidenceFolder, name), prefix + name, CompressionLevel.Fastest);
                    }

                    var row = Record(record, zone);
                    await using (var entry = zip.CreateEntry(prefix + "record.json").Open())
                    {
                        await JsonSerializer.SerializeAsync(entry, row, EvidenceJson.Files, cancellationToken).ConfigureAwait(false);
                    }

                    summary.AppendJoin(',', new[]
                    {
                        record.CaseId, ViolationCode, Offence, (string)row["time"]!, (string?)row["place"] ?? "", (string)row["device"]!, (string?)row["direction"] ?? "",
                        record.Lane, record.Plate ?? "", (string?)row["plateColour"] ?? "", (string?)row["vehicleKind"] ?? "", prefix,
                    }.Select(Csv)).Append('\n');
                    exported.Add(record.CaseId);
                }

                await using var csv = new StreamWriter(zip.CreateEntry("summary.csv").Open(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                await csv.WriteAsync(summary, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            File.Delete(partial); // a full disk or a cancelled export leaves no half archive behind
            throw;
        }

        File.Move(partial, zipPath, overwrite: true);
        return new ExportResult(exported, refused);
    }

    /// <summary>
    /// Checks every case package in an export archive (unpacked into a temporary folder, removed after): its signature
    /// with the registered keys and every file's sha256. Returns each case's problems; an archive without a case is one
    /// problem.
    /// </summary>
    public static async Task<IReadOnlyList<(string CaseId, EvidenceCheck Check)>> VerifyArchiveAsync(string zipPath, IEvidenceKeys keys, CancellationToken cancellationToken = default)
    {
        var folder = Directory.CreateTempSubdirectory("cww-export-verify-").FullName;
        try
        {
            await ZipFile.ExtractToDirectoryAsync(zipPath, folder, cancellationToken).ConfigureAwait(false);
            var cases = Path.Combine(folder, "cases");
            var results = new List<(string, EvidenceCheck)>();
            foreach (var package in (Directory.Exists(cases) ? Directory.GetDirectories(cases) : []).Order(StringComparer.Ordinal))
            {
                results.Add((Path.GetFileName(package), await EvidenceVerifier.VerifyAsync(package, keys, cancellationToken).ConfigureAwait(false)));
            }

            return results;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The case's record for the platform, from the store and its (verified) package's files.</summary>
    internal static JsonObject Record(CaseRecord record, TimeZoneInfo zone)
    {
        var candidate = Read(record.EvidenceFolder, "candidate.json");
        var plate = Read(record.EvidenceFolder, "plate.json");
        var vehicle = Read(record.EvidenceFolder, "vehicle.json");
        bool Has(string name) => File.Exists(Path.Combine(record.EvidenceFolder, name));
        var local = TimeZoneInfo.ConvertTime(record.EventAt, zone);
        return new JsonObject
        {
            ["code"] = ViolationCode,
            ["offence"] = Offence,
            ["caseId"] = record.CaseId,
            ["time"] = local.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
            ["timeZone"] = zone.Id,
            ["place"] = (string?)candidate?["place"],
            ["device"] = $"{record.SiteId}/{record.CameraId}",
            ["direction"] = (string?)candidate?["direction"] ?? record.Approach,
            ["lane"] = record.Lane,
            ["plate"] = record.Plate,
            ["plateColour"] = (string?)plate?["voted"]?["colour"],
            ["vehicleKind"] = (string?)candidate?["vehicleKind"] ?? (string?)vehicle?["kind"],
            ["photos"] = new JsonArray([.. Photos.Where(Has).Select(f => (JsonNode)f)]),
            ["plateCloseUp"] = Has("plate.jpg") ? "plate.jpg" : null,
            ["clip"] = Has("clip.mp4") ? "clip.mp4" : null,
            ["clipH264"] = Has(Media.Clips.ClipRendition.FileName) ? Media.Clips.ClipRendition.FileName : null, // beside an H.265 original
            ["manifest"] = "manifest.json",
            ["confirmedBy"] = new JsonArray([.. record.Confirmations.Select(c => (JsonNode)c.Actor)]),
        };
    }

    private static JsonNode? Read(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        try
        {
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null; // a stand-in file of a test package, or not JSON: the record says less, the package is still signed
        }
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
