using Microsoft.ML.OnnxRuntime;

namespace CrosswalkWatch.Detector.Models;

/// <summary>Compares an opened model's input and output names and shapes with its manifest entry.</summary>
internal static class OnnxModelCheck
{
    public static void Check(ResolvedModel model, InferenceSession session, string manifestPath)
    {
        var mismatches = new List<string>();
        Compare("input", model.Entry.Input.Name, model.Entry.Input.Shape, session.InputMetadata, mismatches);
        Compare("output", model.Entry.Output.Name, model.Entry.Output.Shape, session.OutputMetadata, mismatches);
        if (mismatches.Count > 0)
        {
            throw new ModelException(
                $"Model '{model.Key}' ({model.ModelPath}) does not match the manifest {manifestPath}: " +
                string.Join("; ", mismatches) +
                ". Correct the manifest's entry, or install the file it describes (`./cww models install`).");
        }
    }

    private static void Compare(
        string what,
        string name,
        IReadOnlyList<long> expected,
        IReadOnlyDictionary<string, NodeMetadata> actual,
        List<string> mismatches)
    {
        if (!actual.TryGetValue(name, out NodeMetadata? metadata))
        {
            string has = string.Join(", ", actual.Select(a => $"'{a.Key}' {Shape(a.Value.Dimensions)}"));
            mismatches.Add($"the manifest names {what} '{name}', the model's {what}s are {has}");
            return;
        }

        int[] dimensions = metadata.Dimensions;
        bool same = dimensions.Length == expected.Count;
        for (int i = 0; same && i < dimensions.Length; i++)
        {
            same = dimensions[i] == expected[i];
        }

        if (!same)
        {
            mismatches.Add($"{what} '{name}' has shape {Shape(dimensions)} in the model, the manifest says {Shape(expected)}");
        }
    }

    private static string Shape<T>(IEnumerable<T> dimensions) => $"[{string.Join(", ", dimensions)}]";
}
