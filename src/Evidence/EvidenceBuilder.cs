using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Domain.Violations;
using CrosswalkWatch.Media;
using CrosswalkWatch.Media.Clips;
using CrosswalkWatch.Media.Imaging;
using OpenCvSharp;

namespace CrosswalkWatch.Evidence;

/// <summary>Who issues the evidence: burned into every photo and signed with the box's own key (<see cref="EvidenceSigner"/>).</summary>
public sealed record EvidenceSite(string SiteId, string SiteName, TimeZoneInfo Zone, EvidenceSigner Signer);

/// <summary>The camera as named in evidence.</summary>
public sealed record EvidenceCamera(string Id, string Place, string Direction)
{
    /// <summary>The scene the decision was made on (crosswalk, stop lines, lanes): written into candidate.json for the reviewer's drawing.</summary>
    public Domain.Scene.SceneDefinition? Scene { get; init; }
}

/// <summary>A finished package: its folder and signed manifest.</summary>
public sealed record EvidencePackage(string Folder, string CaseId, EvidenceManifest Manifest)
{
    /// <summary>The plate voted from the vehicle crops (also in plate.json); null without a plate reader or when none was read.</summary>
    public VotedPlate? Plate { get; init; }
}

/// <summary>
/// Builds the evidence package of a candidate as police accept it (DOMAIN.md): about 10 s of video around the event
/// (as the camera recorded it, with an H.264 rendition when that is H.265), three photos — the pedestrian on the crosswalk with the vehicle before the line, the vehicle on the line, the
/// vehicle leaving — each with a burned-in overlay (time to the millisecond, place, direction, device number, the
/// pedestrian signal's state where the camera has one, and an anti-forgery mark), the vehicle crop, the plate read on the vehicle crops (when a plate reader is given: every
/// read, the voted plate with per-character confidence, the rectified close-up), the vehicle's detected class and
/// measured body colour (<c>vehicle.json</c>, <see cref="VehicleSection"/>), the candidate's reasons, and a
/// manifest with the sha256 of every file signed with the site key. The package is assembled in <c>.incoming/</c> and moved into place in one
/// rename, so a half-written package is never seen.
/// </summary>
public sealed class EvidenceBuilder
{
    public static readonly TimeSpan Before = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan After = TimeSpan.FromSeconds(5);

    private readonly string _root;
    private readonly EvidenceSite _site;
    private readonly PlateReader? _plates;

    /// <param name="root">The evidence folder.</param>
    /// <param name="site">Who issues the evidence.</param>
    /// <param name="plates">Reads the plate on the vehicle crop of each photo (plate.json, plate.jpg); no plate step when null.</param>
    public EvidenceBuilder(string root, EvidenceSite site, PlateReader? plates = null)
    {
        _root = Path.GetFullPath(root);
        _site = site;
        _plates = plates;
    }

    /// <summary>The evidence folder; packages go below it, by date.</summary>
    public string Root => _root;

    /// <summary>
    /// Deletes what a package being assembled left in <c>.incoming/</c> when the process died or a clean-up failed
    /// (never a complete package: those are moved into place in one rename). Call before the first build.
    /// </summary>
    public void CleanIncoming()
    {
        var incoming = Path.Combine(_root, ".incoming");
        if (Directory.Exists(incoming))
        {
            foreach (var folder in Directory.GetDirectories(incoming))
            {
                TryDelete(folder);
            }
        }
    }

    /// <param name="clock">The box's clock at the event, as measured against its NTP servers; signed into the manifest (none when not measured).</param>
    public async Task<EvidencePackage> BuildAsync(ViolationCandidate candidate, EvidenceCamera camera, IEvidenceSource source, EvidenceClock? clock = null, EvidenceCameraClock? cameraClock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var eventAt = candidate.OnLine.At;
        var caseId = string.Create(CultureInfo.InvariantCulture, $"{_site.SiteId}-{camera.Id}-{eventAt.UtcDateTime:yyyyMMdd'T'HHmmssfff}-v{candidate.VehicleTrackId}");
        var incoming = Path.Combine(_root, ".incoming", caseId + "-" + Guid.NewGuid().ToString("N")[..8]);
        var final = Path.Combine(_root, eventAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), caseId);
        if (Directory.Exists(final))
        {
            throw new EvidenceException($"a package for case {caseId} already exists at {final}");
        }

        Directory.CreateDirectory(incoming);
        try
        {
            var files = new List<EvidenceFile>();
            var clip = await source.CutClipAsync(candidate.BeforeLine.At - Before, candidate.Leaving.At + After, Path.Combine(incoming, "clip.mp4"), cancellationToken).ConfigureAwait(false);
            files.Add(Describe(incoming, "clip.mp4", "clip"));

            // An H.265 camera's clip stays as recorded (it is the evidence); browsers that cannot play it get an
            // H.264 rendition, signed with the rest.
            if (clip.Codec != ClipRendition.BrowserCodec)
            {
                await ClipRendition.MakeAsync(clip.Path, Path.Combine(incoming, ClipRendition.FileName), cancellationToken).ConfigureAwait(false);
                files.Add(Describe(incoming, ClipRendition.FileName, "clip rendition (H.264)"));
            }

            // A turning vehicle came from the side, not through a stop line: its photos say so (the file names stay).
            (YieldMoment Moment, string Name, string Caption)[] photos =
            [
                (candidate.BeforeLine, EvidencePhotos.BeforeLine, EvidencePhotos.Caption(EvidencePhotos.BeforeLine, candidate.Movement)),
                (candidate.OnLine, EvidencePhotos.OnLine, EvidencePhotos.Caption(EvidencePhotos.OnLine, candidate.Movement)),
                (candidate.Leaving, EvidencePhotos.Leaving, EvidencePhotos.Caption(EvidencePhotos.Leaving, candidate.Movement)),
            ];
            var largest = photos.MaxBy(p => p.Moment.VehicleBox.Area);

            // Two more looks at the vehicle while it crosses (nearer the camera than at the line for an approaching
            // vehicle) for the plate; every picture of the package grabbed in one pass over the recording.
            var crossing = _plates is null ? [] : ((double[])[1 / 3.0, 2 / 3.0]).Select(share => (
                At: candidate.OnLine.At + ((candidate.Leaving.At - candidate.OnLine.At) * share),
                Name: $"crossing-{share * 3:0}of3",
                Box: Lerp(candidate.OnLine.VehicleBox, candidate.Leaving.VehicleBox, (float)share))).ToList();
            var pictures = await GrabAsync(source, [.. photos.Select(p => p.Moment.At), .. crossing.Select(c => c.At)], cancellationToken).ConfigureAwait(false);
            using var disposePictures = new Disposer(() => pictures.ForEach(p => p.Dispose()));
            using var plate = new PlateEvidence();
            var looks = new List<(string Name, Mat Crop)>();
            var marks = new List<EvidenceMark>();
            using var disposeLooks = new Disposer(() => looks.ForEach(l => l.Crop.Dispose()));
            foreach (var ((moment, name, caption), raw) in photos.Zip(pictures))
            {
                using (var crop = VehicleSection.Crop(raw, moment.VehicleBox, out var vehicle))
                {
                    if (moment == largest.Moment)
                    {
                        Save(crop, Path.Combine(incoming, "vehicle.jpg"));
                        files.Add(Describe(incoming, "vehicle.jpg", "vehicle crop"));

                        // The vehicle itself, against cloned plates: the track's detected class and the body colour
                        // measured on the crop just saved (its pixels before JPEG, which the photo's own are).
                        VehicleSection.Write(incoming, VehicleSection.Measure(crop, vehicle, candidate.VehicleKind, "vehicle.jpg"));
                        files.Add(Describe(incoming, VehicleEvidence.FileName, "vehicle"));
                    }

                    if (_plates is not null)
                    {
                        looks.Add((name, crop.Clone()));
                    }
                }

                using var photo = raw.Clone();
                marks.Add(Overlay(photo, raw, moment, camera, caseId, name, caption));
                Save(photo, Path.Combine(incoming, name));
                files.Add(Describe(incoming, name, "photo " + caption[..3]));
            }

            if (_plates is not null)
            {
                // The plate is read on the best few crops by size and sharpness.
                foreach (var ((_, name, box), raw) in crossing.Zip(pictures.Skip(photos.Length)))
                {
                    looks.Add((name, VehicleSection.Crop(raw, box, out _)));
                }

                foreach (var (name, crop) in CropQuality.Best(looks, PlateLooks))
                {
                    plate.Read(_plates, name, crop);
                }

                foreach (var written in plate.Write(incoming, Save))
                {
                    files.Add(Describe(incoming, written, written == "plate.jpg" ? "plate close-up" : "plate reads"));
                }
            }

            // The candidate's reasons, with the scene they were judged on (geometry in 0-1 of the picture).
            var reasons = JsonSerializer.SerializeToNode(candidate, EvidenceJson.Files)!.AsObject();
            reasons["place"] = camera.Place; // signed with the package: the place and direction a police export names
            reasons["direction"] = camera.Direction;
            if (camera.Scene is { } scene)
            {
                reasons["scene"] = JsonSerializer.SerializeToNode(scene, EvidenceJson.Files);
            }

            await File.WriteAllTextAsync(Path.Combine(incoming, "candidate.json"), reasons.ToJsonString(EvidenceJson.Files), cancellationToken).ConfigureAwait(false);
            files.Add(Describe(incoming, "candidate.json", "reasons"));

            var manifest = new EvidenceManifest
            {
                SiteId = _site.SiteId,
                CameraId = camera.Id,
                CaseId = caseId,
                EventAt = eventAt,
                Files = files,
                Marks = marks,
                Clock = clock,
                CameraClock = cameraClock,
            }.SignedBy(_site.Signer);
            await File.WriteAllTextAsync(Path.Combine(incoming, "manifest.json"), JsonSerializer.Serialize(manifest, EvidenceJson.Files), cancellationToken).ConfigureAwait(false);

            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            Directory.Move(incoming, final);
            return new EvidencePackage(final, caseId, manifest) { Plate = plate.Voted };
        }
        catch
        {
            TryDelete(incoming);
            throw;
        }
    }

    /// <summary>
    /// The anti-forgery mark of <paramref name="file"/>: the site key's signature of the overlay text and of the
    /// sha256 of the picture's pixels (before the overlay), and the mark printed from it (<see cref="EvidenceMark.CodeOf"/>).
    /// </summary>
    public static (string Mark, EvidenceMark Signed) Mark(EvidenceSigner signer, string file, string metadata, Mat picture)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(picture);
        using var copy = picture.Clone(); // a continuous copy, whatever the picture's layout
        copy.GetArray(out Vec3b[] pixels);
        var pixelHash = Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan())));
        var signature = Convert.ToHexStringLower(signer.Sign(EvidenceMark.Statement(metadata, pixelHash)));
        return (EvidenceMark.CodeOf(signature), new EvidenceMark(file, metadata, pixelHash, signature));
    }

    /// <summary>
    /// Burns the overlay into <paramref name="photo"/>: time and place, device, case and the mark, and — where the camera
    /// has a pedestrian signal — a third line with its state at this moment (<see cref="SignalStates.Text(SignalReading)"/>),
    /// which the mark signs with the rest.
    /// </summary>
    private EvidenceMark Overlay(Mat photo, Mat raw, YieldMoment moment, EvidenceCamera camera, string caseId, string file, string caption)
    {
        var local = TimeZoneInfo.ConvertTime(moment.At, _site.Zone);
        var line1 = string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd HH:mm:ss.fff} (UTC{local:zzz})  {_site.SiteName}  {camera.Place}  {camera.Direction}");
        var line2 = $"device {_site.SiteId}/{camera.Id}  case {caseId}  photo {caption}";
        var line3 = moment.Signal?.Text();
        var (mark, signed) = Mark(_site.Signer, file, line1 + "\n" + line2 + (line3 is null ? "" : "\n" + line3), raw);
        line2 += $"  mark {mark}";

        var lineHeight = Math.Max(14, photo.Height / 30);
        var band = new Rect(0, 0, photo.Width, (lineHeight * (line3 is null ? 2 : 3)) + (lineHeight / 2));
        using (var region = new Mat(photo, band))
        {
            region.ConvertTo(region, -1, 0.35, 0); // darken the band so the text reads on any picture
        }

        CjkText.Draw(photo, line1, new Point(lineHeight / 3, lineHeight / 8), lineHeight * 0.75f, Scalar.White);
        CjkText.Draw(photo, line2, new Point(lineHeight / 3, lineHeight + (lineHeight / 8)), lineHeight * 0.75f, Scalar.White);
        if (line3 is not null)
        {
            var colour = moment.Signal!.State switch
            {
                SignalState.Red => new Scalar(90, 90, 255),
                SignalState.Green => new Scalar(140, 255, 140),
                _ => Scalar.White,
            };
            CjkText.Draw(photo, line3, new Point(lineHeight / 3, (2 * lineHeight) + (lineHeight / 8)), lineHeight * 0.75f, colour);
        }

        return signed;
    }

    /// <summary>
    /// The full-resolution pictures at the moments, in their order: each recorded file that holds some of them is
    /// decoded once (<see cref="FrameGrabber"/>), the first frame at or after each moment taken.
    /// </summary>
    private static async Task<List<Mat>> GrabAsync(IEvidenceSource source, IReadOnlyList<DateTimeOffset> moments, CancellationToken cancellationToken)
    {
        var located = new List<(string File, double Offset)>();
        foreach (var at in moments)
        {
            located.Add(await source.LocateAsync(at, cancellationToken).ConfigureAwait(false));
        }

        var pictures = new Mat[moments.Count];
        try
        {
            foreach (var inFile in located.Select((l, i) => (l.File, l.Offset, Index: i)).GroupBy(l => l.File))
            {
                List<Mat> grabbed;
                try
                {
                    grabbed = FrameGrabber.Grab(inFile.Key, [.. inFile.Select(l => l.Offset)]);
                }
                catch (MediaException e)
                {
                    throw new EvidenceException($"no picture at {string.Join(", ", inFile.Select(l => moments[l.Index].ToString("O", CultureInfo.InvariantCulture)))}: {e.Message}", e);
                }

                foreach (var (l, picture) in inFile.Zip(grabbed))
                {
                    pictures[l.Index] = picture;
                }
            }

            return [.. pictures];
        }
        catch
        {
            foreach (var picture in pictures)
            {
                picture?.Dispose();
            }

            throw;
        }
    }

    /// <summary>How many of the vehicle's crops the plate is read on (and voted from).</summary>
    public const int PlateLooks = 3;

    private static Box Lerp(Box a, Box b, float t) =>
        new(a.X1 + ((b.X1 - a.X1) * t), a.Y1 + ((b.Y1 - a.Y1) * t), a.X2 + ((b.X2 - a.X2) * t), a.Y2 + ((b.Y2 - a.Y2) * t));

    private sealed class Disposer(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <summary>Encodes in memory and writes the file, so that a full disk is an <see cref="IOException"/> saying so.</summary>
    private static void Save(Mat picture, string path)
    {
        Cv2.ImEncode(Path.GetExtension(path), picture, out var encoded, new ImageEncodingParam(ImwriteFlags.JpegQuality, 95));
        File.WriteAllBytes(path, encoded);
    }

    private static EvidenceFile Describe(string folder, string name, string role)
    {
        var path = Path.Combine(folder, name);
        return new EvidenceFile(name, role, EvidenceManifest.Sha256Of(path), new FileInfo(path).Length);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next start's clean-up of .incoming.
        }
    }
}
