using System.CommandLine;
using CrosswalkWatch.Evidence;

namespace CrosswalkWatch.Cli.Commands;

/// <summary><c>cww evidence verify</c>: for police and auditors, checks that a package is as it was issued.</summary>
internal static class EvidenceCommands
{
    public static Command Create()
    {
        var command = new Command("evidence", "Check evidence packages.");
        var folder = new Argument<DirectoryInfo>("FOLDER") { Description = "An evidence package folder (it holds manifest.json)." };
        var key = new Option<FileInfo?>("--key") { Description = "The site key that signed it (default var/keys/site.key)." };
        var verify = new Command("verify", "Check the manifest's signature and every file's sha256; exit 1 and list every problem if anything was changed.") { folder, key };
        verify.SetAction(result =>
        {
            var path = result.GetRequiredValue(folder).FullName;
            var keyFile = result.GetValue(key)?.FullName ?? ReplayCommand.DefaultKeyPath();
            if (!File.Exists(keyFile))
            {
                Console.Error.WriteLine($"no site key at {keyFile}: give the key that signed the package with --key");
                return 2;
            }

            var problems = EvidenceVerifier.Verify(path, EvidenceKey.LoadOrCreate(keyFile));
            foreach (var problem in problems)
            {
                Console.WriteLine(problem);
            }

            Console.WriteLine(problems.Count == 0 ? $"{path}: intact (signature and every file's sha256 match)" : $"{path}: {problems.Count} problem(s)");
            return problems.Count == 0 ? 0 : 1;
        });
        command.Add(verify);
        return command;
    }
}
