using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.Domain;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.Evidence;

/// <summary>What a verification found: every problem (none when the package is intact), and who signed it.</summary>
/// <param name="Faults">Every problem, as a phrase the console words in its reader's language; empty when the package is intact.</param>
/// <param name="Signer">Whose signature holds (null when none does): a site's own key, or the legacy shared key; a phrase the console words in its reader's language.</param>
/// <param name="Legacy">The package is format 1, signed with the legacy shared key: it shows the package is unchanged, not which box made it.</param>
public sealed record EvidenceCheck(IReadOnlyList<Phrase> Faults, Phrase? Signer, bool Legacy)
{
    /// <summary>Every problem in English (none when the package is intact).</summary>
    public IReadOnlyList<string> Problems => [.. Faults.Select(f => f.English)];

    /// <summary>The check of a package deleted by retention on <paramref name="date"/> (as the site reads it): its one problem, no signer.</summary>
    public static EvidenceCheck Deleted(string date) =>
        new([Phrase.Of("evidence.deleted", "the evidence was deleted by retention on {date}", ("date", date))], null, false);

    /// <summary>Whose signature holds, in English ("" when none does).</summary>
    public string SignedBy => Signer?.English ?? "";

    public const string LegacyNote = "legacy shared-key signature";

    public bool Intact => Faults.Count == 0;
}

/// <summary>
/// Checks a package: the manifest's signature with its site's key, and every file's presence and sha256. A format-2
/// manifest must be signed by a key registered for the site it names (<see cref="IEvidenceKeys"/>), a retired key only
/// for events before its retirement; a format-1 manifest by the legacy shared key, and is marked so. A file name is
/// a plain name inside the package folder (not absolute, no <c>..</c> or separator, not a link): anything else is
/// refused unopened. A manifest whose signature does not match vouches for nothing, so its files are not opened
/// either (only their presence is told).
/// </summary>
public static class EvidenceVerifier
{
    /// <summary>Checks the package in <paramref name="folder"/> with <paramref name="keys"/>.</summary>
    public static async Task<EvidenceCheck> VerifyAsync(string folder, IEvidenceKeys keys, CancellationToken cancellationToken = default) =>
        (await CheckAsync(folder, keys, cancellationToken).ConfigureAwait(false)).Check;

    private static async Task<(EvidenceCheck Check, EvidenceManifest? Manifest)> CheckAsync(string folder, IEvidenceKeys keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var manifestPath = Path.Combine(folder, "manifest.json");
        if (ReadManifest(folder) is not { } manifest)
        {
            return (new EvidenceCheck([File.Exists(manifestPath)
                ? Phrase.Of("evidence.manifestUnreadable", "{manifest}: not a readable manifest", ("manifest", manifestPath))
                : Phrase.Of("evidence.noManifest", "{folder}: no manifest.json", ("folder", folder))], null, false), null);
        }

        var problems = new List<Phrase>();
        var (problem, signedBy) = await SignatureAsync(manifest, keys, cancellationToken).ConfigureAwait(false);
        var signed = problem is null;
        if (!signed)
        {
            problems.Add(Phrase.Of("evidence.manifestProblem", "{manifest}: {problem}", ("manifest", manifestPath), ("problem", problem!)));
        }

        var root = Path.GetFullPath(folder);
        foreach (var file in manifest.Files)
        {
            if (PathInside(root, file.Name) is not { } path)
            {
                problems.Add(Phrase.Of("evidence.fileOutside", "{file}: not a file of this package (outside its folder, or a link); not opened", ("file", file.Name)));
            }
            else if (!File.Exists(path))
            {
                problems.Add(Phrase.Of("evidence.fileMissing", "{file}: missing", ("file", file.Name)));
            }
            else if (signed && EvidenceManifest.Sha256Of(path) is var actual && actual != file.Sha256)
            {
                problems.Add(Phrase.Of("evidence.fileChanged", "{file}: sha256 {actual} differs from the manifest's {expected}: the file was changed", ("file", file.Name), ("actual", actual), ("expected", file.Sha256)));
            }
        }

        return (new EvidenceCheck(problems, signed ? signedBy : null, signed && manifest.FormatVersion == EvidenceManifest.LegacyVersion), manifest);
    }

    /// <summary>Whether the manifest's signature holds: (null, who signed) when it does, else (the problem, null).</summary>
    private static async Task<(Phrase? Problem, Phrase? SignedBy)> SignatureAsync(EvidenceManifest manifest, IEvidenceKeys keys, CancellationToken cancellationToken)
    {
        var siteKeys = await keys.KeysOfAsync(manifest.SiteId, cancellationToken).ConfigureAwait(false);
        if (manifest.FormatVersion == EvidenceManifest.LegacyVersion)
        {
            if (keys.LegacyKey is not { } legacy)
            {
                return (Phrase.Of("evidence.noLegacyKey", $"a format-1 package ({EvidenceCheck.LegacyNote}) and no legacy shared key to check it with (DATA/keys/site.key, or --legacy-key FILE)"), null);
            }

            if (!string.Equals(manifest.Signature, manifest.LegacySignature(legacy), StringComparison.Ordinal))
            {
                return (SignatureMismatch, null);
            }

            // Every box held the shared key: it vouches for nothing after the site had a key of its own.
            if (siteKeys.Count > 0 && siteKeys.Min(k => k.AddedAt) is var since && manifest.EventAt >= since)
            {
                return (Phrase.Of("evidence.legacyAfterOwnKey", $"a {EvidenceCheck.LegacyNote} for an event at {{at}}, after site {{site}} had its own key (registered {{since}}): any box held the shared key, so it vouches for no event since", ("at", Time(manifest.EventAt)), ("site", manifest.SiteId), ("since", Time(since))), null);
            }

            return (null, Phrase.Of("evidence.signedLegacy", $"{EvidenceCheck.LegacyNote} (format 1): HMAC with the key every box shared before each had its own; it shows the package is unchanged since it was signed, not which box signed it"));
        }

        if (manifest.FormatVersion != EvidenceManifest.Version)
        {
            return (Phrase.Of("evidence.unknownFormat", "format {format} is not one this version reads (1 or 2)", ("format", manifest.FormatVersion)), null);
        }

        if (manifest.SignatureAlgorithm != EvidenceSigner.Algorithm)
        {
            return (Phrase.Of("evidence.unknownAlgorithm", "signature algorithm '{algorithm}': expected {expected}", ("algorithm", manifest.SignatureAlgorithm ?? ""), ("expected", EvidenceSigner.Algorithm)), null);
        }

        if (siteKeys.FirstOrDefault(k => string.Equals(k.KeyId, manifest.KeyId, StringComparison.Ordinal)) is not { } key)
        {
            return (Phrase.Of("evidence.unknownKey", "signed with key {key}, which is not a key of site {site} (`cww sites list`): another site's box, or a key never registered, signed it", ("key", manifest.KeyId ?? ""), ("site", manifest.SiteId)), null);
        }

        if (!manifest.SignatureVerifies(key.PublicKeyPem))
        {
            return (SignatureMismatch, null);
        }

        if (!key.CoversEventAt(manifest.EventAt))
        {
            return (Phrase.Of("evidence.keyRetired", "signed with site {site}'s key {key}, retired at {retired}: it vouches only for events before then, and this one is at {at}", ("site", key.SiteId), ("key", key.KeyId), ("retired", key.RetiredAt is { } retiredAt ? Time(retiredAt) : ""), ("at", Time(manifest.EventAt))), null);
        }

        foreach (var mark in manifest.Marks ?? [])
        {
            if (!manifest.Files.Any(f => f.Name == mark.File) || mark.Signature.Length != 128 || !mark.Signature.All(Uri.IsHexDigit)
                || !SitePublicKey.Verifies(key.PublicKeyPem, EvidenceMark.Statement(mark.Text, mark.PixelSha256), Convert.FromHexString(mark.Signature)))
            {
                return (Phrase.Of("evidence.markNotSigned", "the anti-forgery mark of {file} is not signed by site {site}'s key {key}", ("file", mark.File), ("site", key.SiteId), ("key", key.KeyId)), null);
            }
        }

        return (null, key.RetiredAt is { } retired
            ? Phrase.Of("evidence.signedBySiteRetired", "signed by site {site}'s own key {key} (ECDSA P-256), retired at {retired}, after this event", ("site", key.SiteId), ("key", key.KeyId), ("retired", Time(retired)))
            : Phrase.Of("evidence.signedBySite", "signed by site {site}'s own key {key} (ECDSA P-256)", ("site", key.SiteId), ("key", key.KeyId)));
    }

    private static readonly Phrase SignatureMismatch =
        Phrase.Of("evidence.signatureMismatch", "the signature does not match: the manifest was changed, or signed with another key");

    /// <summary>A time as the problems give it (ISO 8601, as signed).</summary>
    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// <see cref="VerifyAsync"/>, and then that the package is this case's: its signed manifest names the case's id, site,
    /// camera and event time, and its signed plate.json (when it has one) the case's plate read. A package backs one
    /// case only: another case pointing at it (a new case id with an earlier package of the same official) is refused.
    /// </summary>
    public static async Task<EvidenceCheck> VerifyForAsync(CaseRecord record, IEvidenceKeys keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (check, manifest) = await CheckAsync(record.EvidenceFolder, keys, cancellationToken).ConfigureAwait(false);
        if (!check.Intact || manifest is null)
        {
            return check;
        }

        var problems = new List<Phrase>();
        if (!string.Equals(manifest.CaseId, record.CaseId, StringComparison.Ordinal))
        {
            problems.Add(Phrase.Of("evidence.otherCase", "the package is case {package}'s, not {case}'s: a package backs one case only", ("package", manifest.CaseId), ("case", record.CaseId)));
        }

        if (!string.Equals(manifest.SiteId, record.SiteId, StringComparison.Ordinal))
        {
            problems.Add(Phrase.Of("evidence.otherSite", "the package was signed for site {package}, the case says {case}", ("package", manifest.SiteId), ("case", record.SiteId)));
        }

        if (!string.Equals(manifest.CameraId, record.CameraId, StringComparison.Ordinal))
        {
            problems.Add(Phrase.Of("evidence.otherCamera", "the package is of camera {package}, the case says {case}", ("package", manifest.CameraId), ("case", record.CameraId)));
        }

        if (Math.Abs((manifest.EventAt - record.EventAt).TotalMilliseconds) >= 1)
        {
            problems.Add(Phrase.Of("evidence.otherTime", "the package's event is at {package}, the case says {case}", ("package", Time(manifest.EventAt)), ("case", Time(record.EventAt))));
        }

        if (!string.Equals(manifest.Signature, record.ManifestSignature, StringComparison.Ordinal))
        {
            problems.Add(Phrase.Of("evidence.replaced", "the package's signature is not the one the case was stored with: the package was replaced after the case arrived"));
        }

        problems.AddRange(PlateProblems(record, manifest));
        return check with { Faults = problems };
    }

    /// <summary>
    /// The plate reading of a package's signed plate.json (its vote: text, validity, colour, per-character confidence;
    /// no doubt, which the reader's settings decide), or null when the package has no plate.json or it voted no plate.
    /// Only meaningful for a package that verified.
    /// </summary>
    public static PlateReading? SignedPlate(string folder)
    {
        var path = Path.Combine(folder, "plate.json");
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("voted", out var voted) || voted.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var characters = voted.TryGetProperty("characters", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(c => new PlateReadingCharacter(Text(c, "symbol"), Number(c, "confidence"), (int)Number(c, "votes"))).ToList()
            : [];
        return new PlateReading(
            Text(voted, "text"),
            voted.TryGetProperty("valid", out var valid) && valid.ValueKind == JsonValueKind.True,
            Text(voted, "colour"),
            Number(voted, "minConfidence"),
            (int)Number(voted, "reads"),
            (int)Number(voted, "validReads"),
            (int)Number(voted, "agreeing"),
            null,
            characters);

        static string Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

        static float Number(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetSingle() : 0;
    }

    /// <summary>
    /// Whether the case's plate is the package's: no plate read where the package has no plate.json (a plate added to a
    /// package without one), the signed vote's text, and the stored reading's confidences and agreement as signed (a
    /// message that makes a doubtful read look sure would name an official).
    /// </summary>
    private static List<Phrase> PlateProblems(CaseRecord record, EvidenceManifest manifest)
    {
        if (!manifest.Files.Any(f => f.Name == "plate.json"))
        {
            return record.PlateRead is null ? [] : [Phrase.Of("evidence.plateNotInPackage", "the case carries plate read {plate}, but the package has no plate reads", ("plate", record.PlateRead))];
        }

        PlateReading? signed;
        try
        {
            signed = SignedPlate(record.EvidenceFolder);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return [Phrase.Of("evidence.plateUnreadable", "plate.json is not readable as the plate step writes it: {error}", ("error", e.Message))];
        }

        if (signed?.Text != record.PlateRead)
        {
            return [(record.PlateRead, signed?.Text) switch
            {
                (null, { } package) => Phrase.Of("evidence.plateDiffersNoCase", "the case has no plate read, the package's is {package}", ("package", package)),
                ({ } read, null) => Phrase.Of("evidence.plateDiffersNoPackage", "the case's plate read {case} is not the package's: it voted no plate", ("case", read)),
                var (read, package) => Phrase.Of("evidence.plateDiffers", "the case's plate read {case} is not the package's {package}", ("case", read ?? ""), ("package", package ?? "")),
            }];
        }

        if (signed is null || record.PlateReadJson is null)
        {
            return [];
        }

        PlateReading? stored;
        try
        {
            stored = JsonSerializer.Deserialize<PlateReading>(record.PlateReadJson, EvidenceJson.Compact);
        }
        catch (JsonException)
        {
            stored = null;
        }

        return stored is not null && SameReading(stored, signed) ? [] : [Phrase.Of("evidence.readingDiffers", "the case's plate reading (confidence, agreement) is not the package's signed plate.json")];
    }

    private static bool SameReading(PlateReading a, PlateReading b) =>
        a.Text == b.Text && a.Valid == b.Valid && a.Reads == b.Reads && a.ValidReads == b.ValidReads && a.Agreeing == b.Agreeing
        && Math.Abs(a.MinConfidence - b.MinConfidence) < 1e-4
        && a.Characters.Count == b.Characters.Count
        && a.Characters.Zip(b.Characters).All(p => p.First.Symbol == p.Second.Symbol && p.First.Votes == p.Second.Votes && Math.Abs(p.First.Confidence - p.Second.Confidence) < 1e-4);

    /// <summary>The package's manifest as written (signature not checked), or null when there is none or it cannot be read.</summary>
    public static EvidenceManifest? ReadManifest(string folder)
    {
        var manifestPath = Path.Combine(folder, "manifest.json");
        var info = new FileInfo(manifestPath);
        if (!info.Exists || info.LinkTarget is not null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<EvidenceManifest>(File.ReadAllText(manifestPath), EvidenceJson.Files);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The path of package file <paramref name="name"/> in <paramref name="root"/> (a full path), or null when the
    /// name would leave the folder (absolute, <c>..</c>, a separator) or names a link.
    /// </summary>
    public static string? PathInside(string root, string name)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (string.IsNullOrWhiteSpace(name) || name is "." or ".." || Path.IsPathRooted(name)
            || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.Combine(root, name);
        return new FileInfo(path) is { Exists: true, LinkTarget: not null } ? null : path;
    }
}
