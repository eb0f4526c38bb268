using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.Evidence;

/// <summary>What a verification found: every problem in words (none when the package is intact), and who signed it.</summary>
/// <param name="Problems">Every problem, in words; empty when the package is intact.</param>
/// <param name="Signer">Whose signature holds (null when none does): a site's own key, or the legacy shared key; a phrase the console words in its reader's language.</param>
/// <param name="Legacy">The package is format 1, signed with the legacy shared key: it shows the package is unchanged, not which box made it.</param>
public sealed record EvidenceCheck(IReadOnlyList<string> Problems, Domain.Phrase? Signer, bool Legacy)
{
    /// <summary>Whose signature holds, in English ("" when none does).</summary>
    public string SignedBy => Signer?.English ?? "";

    public const string LegacyNote = "legacy shared-key signature";

    public bool Intact => Problems.Count == 0;
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
            return (new EvidenceCheck([File.Exists(manifestPath) ? $"{manifestPath}: not a readable manifest" : $"{folder}: no manifest.json"], null, false), null);
        }

        var problems = new List<string>();
        var (problem, signedBy) = await SignatureAsync(manifest, keys, cancellationToken).ConfigureAwait(false);
        var signed = problem is null;
        if (!signed)
        {
            problems.Add($"{manifestPath}: {problem}");
        }

        var root = Path.GetFullPath(folder);
        foreach (var file in manifest.Files)
        {
            if (PathInside(root, file.Name) is not { } path)
            {
                problems.Add($"{file.Name}: not a file of this package (outside its folder, or a link); not opened");
            }
            else if (!File.Exists(path))
            {
                problems.Add($"{file.Name}: missing");
            }
            else if (signed && EvidenceManifest.Sha256Of(path) is var actual && actual != file.Sha256)
            {
                problems.Add($"{file.Name}: sha256 {actual} differs from the manifest's {file.Sha256}: the file was changed");
            }
        }

        return (new EvidenceCheck(problems, signed ? signedBy : null, signed && manifest.FormatVersion == EvidenceManifest.LegacyVersion), manifest);
    }

    /// <summary>Whether the manifest's signature holds: (null, who signed) when it does, else (the problem, "").</summary>
    private static async Task<(string? Problem, Domain.Phrase? SignedBy)> SignatureAsync(EvidenceManifest manifest, IEvidenceKeys keys, CancellationToken cancellationToken)
    {
        var siteKeys = await keys.KeysOfAsync(manifest.SiteId, cancellationToken).ConfigureAwait(false);
        if (manifest.FormatVersion == EvidenceManifest.LegacyVersion)
        {
            if (keys.LegacyKey is not { } legacy)
            {
                return ($"a format-1 package ({EvidenceCheck.LegacyNote}) and no legacy shared key to check it with (DATA/keys/site.key, or --legacy-key FILE)", null);
            }

            if (!string.Equals(manifest.Signature, manifest.LegacySignature(legacy), StringComparison.Ordinal))
            {
                return ("the signature does not match: the manifest was changed, or signed with another key", null);
            }

            // Every box held the shared key: it vouches for nothing after the site had a key of its own.
            if (siteKeys.Count > 0 && siteKeys.Min(k => k.AddedAt) is var since && manifest.EventAt >= since)
            {
                return ($"a {EvidenceCheck.LegacyNote} for an event at {manifest.EventAt:O}, after site {manifest.SiteId} had its own key (registered {since:O}): any box held the shared key, so it vouches for no event since", null);
            }

            return (null, Domain.Phrase.Of("evidence.signedLegacy", $"{EvidenceCheck.LegacyNote} (format 1): HMAC with the key every box shared before each had its own; it shows the package is unchanged since it was signed, not which box signed it"));
        }

        if (manifest.FormatVersion != EvidenceManifest.Version)
        {
            return ($"format {manifest.FormatVersion} is not one this version reads (1 or 2)", null);
        }

        if (manifest.SignatureAlgorithm != EvidenceSigner.Algorithm)
        {
            return ($"signature algorithm '{manifest.SignatureAlgorithm}': expected {EvidenceSigner.Algorithm}", null);
        }

        if (siteKeys.FirstOrDefault(k => string.Equals(k.KeyId, manifest.KeyId, StringComparison.Ordinal)) is not { } key)
        {
            return ($"signed with key {manifest.KeyId}, which is not a key of site {manifest.SiteId} (`cww sites list`): another site's box, or a key never registered, signed it", null);
        }

        if (!manifest.SignatureVerifies(key.PublicKeyPem))
        {
            return ("the signature does not match: the manifest was changed, or signed with another key", null);
        }

        if (!key.CoversEventAt(manifest.EventAt))
        {
            return ($"signed with site {key.SiteId}'s key {key.KeyId}, retired at {key.RetiredAt:O}: it vouches only for events before then, and this one is at {manifest.EventAt:O}", null);
        }

        foreach (var mark in manifest.Marks ?? [])
        {
            if (!manifest.Files.Any(f => f.Name == mark.File) || mark.Signature.Length != 128 || !mark.Signature.All(Uri.IsHexDigit)
                || !SitePublicKey.Verifies(key.PublicKeyPem, EvidenceMark.Statement(mark.Text, mark.PixelSha256), Convert.FromHexString(mark.Signature)))
            {
                return ($"the anti-forgery mark of {mark.File} is not signed by site {key.SiteId}'s key {key.KeyId}", null);
            }
        }

        return (null, key.RetiredAt is { } retired
            ? Domain.Phrase.Of("evidence.signedBySiteRetired", "signed by site {site}'s own key {key} (ECDSA P-256), retired at {retired}, after this event", ("site", key.SiteId), ("key", key.KeyId), ("retired", retired.ToString("O", System.Globalization.CultureInfo.InvariantCulture)))
            : Domain.Phrase.Of("evidence.signedBySite", "signed by site {site}'s own key {key} (ECDSA P-256)", ("site", key.SiteId), ("key", key.KeyId)));
    }

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

        var problems = new List<string>();
        if (!string.Equals(manifest.CaseId, record.CaseId, StringComparison.Ordinal))
        {
            problems.Add($"the package is case {manifest.CaseId}'s, not {record.CaseId}'s: a package backs one case only");
        }

        if (!string.Equals(manifest.SiteId, record.SiteId, StringComparison.Ordinal))
        {
            problems.Add($"the package was signed for site {manifest.SiteId}, the case says {record.SiteId}");
        }

        if (!string.Equals(manifest.CameraId, record.CameraId, StringComparison.Ordinal))
        {
            problems.Add($"the package is of camera {manifest.CameraId}, the case says {record.CameraId}");
        }

        if (Math.Abs((manifest.EventAt - record.EventAt).TotalMilliseconds) >= 1)
        {
            problems.Add($"the package's event is at {manifest.EventAt:O}, the case says {record.EventAt:O}");
        }

        if (!string.Equals(manifest.Signature, record.ManifestSignature, StringComparison.Ordinal))
        {
            problems.Add("the package's signature is not the one the case was stored with: the package was replaced after the case arrived");
        }

        problems.AddRange(PlateProblems(record, manifest));
        return check with { Problems = problems };
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
    private static List<string> PlateProblems(CaseRecord record, EvidenceManifest manifest)
    {
        if (!manifest.Files.Any(f => f.Name == "plate.json"))
        {
            return record.PlateRead is null ? [] : [$"the case carries plate read {record.PlateRead}, but the package has no plate reads"];
        }

        PlateReading? signed;
        try
        {
            signed = SignedPlate(record.EvidenceFolder);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return [$"plate.json is not readable as the plate step writes it: {e.Message}"];
        }

        if (signed?.Text != record.PlateRead)
        {
            return [$"the case's plate read {record.PlateRead ?? "(none)"} is not the package's {signed?.Text ?? "(none)"}"];
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

        return stored is not null && SameReading(stored, signed) ? [] : ["the case's plate reading (confidence, agreement) is not the package's signed plate.json"];
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
