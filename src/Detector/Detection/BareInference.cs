using System.Diagnostics;
using CrosswalkWatch.Detector.Models;
using Microsoft.ML.OnnxRuntime;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// The model alone: ONNX Runtime's session run on an input of the model's shape, nothing before or after it. The
/// yardstick `cww bench pipeline` sets the whole pipeline against.
/// </summary>
public static class BareInference
{
    /// <summary>Runs the model <paramref name="runs"/> times (after one warm-up run); returns milliseconds per run.</summary>
    public static double MillisecondsPerRun(ModelStore store, string modelKey, int intraOpThreads, int runs)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var options = ModelStore.CreateSessionOptions(intraOpThreads);
        var resolved = store.Resolve(modelKey);
        using var session = store.OpenSession(resolved, options);
        var input = resolved.Entry.Input;
        var shape = input.Shape.Select(d => d < 0 ? 1 : d).ToArray();
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        using var tensor = OrtValue.CreateTensorValueFromMemory(values, shape);
        using var runOptions = new RunOptions();
        var inputs = new[] { tensor };
        var names = new[] { input.Name };
        using (session.Run(runOptions, names, inputs, session.OutputNames))
        {
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            using var outputs = session.Run(runOptions, names, inputs, session.OutputNames);
        }

        return clock.Elapsed.TotalMilliseconds / Math.Max(1, runs);
    }
}
