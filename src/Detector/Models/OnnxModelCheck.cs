using Microsoft.ML.OnnxRuntime;

namespace CrosswalkWatch.Detector.Models;

/// <summary>Compares an opened model's input and output names and shapes with its manifest entry.</summary>
internal static class OnnxModelCheck
{
    /// <param name="declared">
    /// The shapes the file declared for tensors whose dimensions this project freed before opening it
    /// (<see cref="OnnxShapes"/>): they are compared instead of the session's.
    /// </param>
    public static void Check(ResolvedModel model, InferenceSession session, string manifestPath, IReadOnlyDictionary<string, long[]>? declared = null)
    {
        var mismatches = new List<string>();
        Compare("input", model.Entry.Input.Name, model.Entry.Input.Shape, session.InputMetadata, declared, mismatches);
        Compare("output", model.Entry.Output.Name, model.Entry.Output.Shape, session.OutputMetadata, declared, mismatches);
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
        IReadOnlyDictionary<string, long[]>? declared,
        List<string> mismatches)
    {
        if (!actual.TryGetValue(name, out NodeMetadata? metadata))
        {
            string has = string.Join(", ", actual.Select(a => $"'{a.Key}' {Shape(Dimensions(a.Key, a.Value, declared))}"));
            mismatches.Add($"the manifest names {what} '{name}', the model's {what}s are {has}");
            return;
        }

        long[] dimensions = Dimensions(name, metadata, declared);
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

    private static long[] Dimensions(string name, NodeMetadata metadata, IReadOnlyDictionary<string, long[]>? declared) =>
        declared is not null && declared.TryGetValue(name, out var shape) ? shape : [.. metadata.Dimensions.Select(d => (long)d)];

    private static string Shape<T>(IEnumerable<T> dimensions) => $"[{string.Join(", ", dimensions)}]";
}
