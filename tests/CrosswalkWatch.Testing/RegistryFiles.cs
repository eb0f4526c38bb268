using System.Text;
using CrosswalkWatch.Matcher.Registry;

namespace CrosswalkWatch.Testing;

/// <summary>Registry files as the tests write them: the header, and rows by their physical line.</summary>
internal static class RegistryFiles
{
    public const string Header = "official_id,name,department,authority,notes,plate,plate_type,relation,valid_from,valid_to";

    public static string Text(params string[] rows) => string.Join("\n", [Header, .. rows]) + "\n";

    public static RegistryCsvResult Read(string text, string file = "officials.csv") => RegistryCsv.Read(Encoding.UTF8.GetBytes(text), file);

    /// <summary>The sample registry of the repository, which `cww demo` imports.</summary>
    public static string SamplePath => Path.Combine(TestAssets.RepositoryRoot, "samples", "registry", "officials.csv");
}
