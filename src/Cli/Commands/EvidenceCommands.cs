using System.CommandLine;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww evidence verify</c>: for police and auditors, checks that a package (or every package of an export archive) is as its site's box issued it.</summary>
internal static class EvidenceCommands
{
    public static Command Create()
    {
        var command = new Command("evidence", "Check evidence packages.");
        var target = new Argument<FileSystemInfo>("PACKAGE") { Description = "An evidence package folder (it holds manifest.json), or an archive made by `cww export` (FILE.zip: every case in it is checked)." };
        var key = ReviewCommands.KeyOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var verify = new Command(
            "verify",
            "Check the manifest's signature with its site's key registered in the store (`cww sites list`; a retired key only for events before its retirement; " +
            "a format-1 package with the legacy shared key, marked so), then every file's sha256; exit 1 and list every problem if anything does not hold.")
        {
            target, key, config, data,
        };
        verify.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetRequiredValue(target).FullName;
            var settings = RegistryCommands.Settings(result, config, data);
            var legacyFile = result.GetValue(key)?.FullName;
            if (legacyFile is not null && !File.Exists(legacyFile))
            {
                await Console.Error.WriteLineAsync($"--legacy-key {legacyFile}: no such file").ConfigureAwait(false);
                return 2;
            }

            using var store = SiteKeyStore.Open(settings.Storage, settings.Paths.Data);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var keys = new StoredEvidenceKeys(store, EvidenceKey.Load(legacyFile ?? EvidenceKey.LegacyPath(settings.Paths.Data)));
            if (File.Exists(path))
            {
                return await VerifyArchiveAsync(path, keys, cancellationToken).ConfigureAwait(false);
            }

            var check = await EvidenceVerifier.VerifyAsync(path, keys, cancellationToken).ConfigureAwait(false);
            foreach (var problem in check.Problems)
            {
                Console.WriteLine(problem);
            }

            if (!check.Intact)
            {
                Console.WriteLine($"{path}: {check.Problems.Count} problem(s)");
                return 1;
            }

            Console.WriteLine($"{path}: intact (signature and every file's sha256 match); {check.SignedBy}");
            foreach (var mark in EvidenceVerifier.ReadManifest(path)?.Marks ?? [])
            {
                Console.WriteLine($"  {mark.File}: mark {EvidenceMark.CodeOf(mark.Signature)} (signed with the same key)");
            }

            return 0;
        });
        command.Add(verify);
        return command;
    }

    /// <summary>Every case of an export archive checked; exit 1 when one does not hold or the archive holds none.</summary>
    private static async Task<int> VerifyArchiveAsync(string path, StoredEvidenceKeys keys, CancellationToken cancellationToken)
    {
        IReadOnlyList<(string CaseId, EvidenceCheck Check)> checks;
        try
        {
            checks = await CaseExport.VerifyArchiveAsync(path, keys, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            Console.WriteLine($"{path}: not a zip archive ({e.Message})");
            return 1;
        }

        foreach (var (caseId, check) in checks)
        {
            Console.WriteLine(check.Intact ? $"  {caseId}: intact; {check.SignedBy}" : $"  {caseId}: {string.Join("; ", check.Problems)}");
        }

        var broken = checks.Count(c => !c.Check.Intact);
        Console.WriteLine(checks.Count == 0
            ? $"{path}: no case package in it (cases/CASE/manifest.json)"
            : $"{path}: {checks.Count - broken} of {checks.Count} case(s) intact");
        return checks.Count > 0 && broken == 0 ? 0 : 1;
    }
}
