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
    /// <summary>
    /// Runs the model <paramref name="runs"/> times (after one warm-up run); returns milliseconds per run. With
    /// <paramref name="frame"/>, the input is the size the detector gives a frame of that size (a trimmed input,
    /// <see cref="ModelInput.TrimTo"/>, with <paramref name="trim"/>, is smaller than the model's full size); without,
    /// the manifest's shape.
    /// </summary>
    public static double MillisecondsPerRun(ModelStore store, string modelKey, int intraOpThreads, int runs, (int Width, int Height)? frame = null, bool trim = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var options = ModelStore.CreateSessionOptions(intraOpThreads);
        var resolved = store.Resolve(modelKey);
        var input = resolved.Entry.Input;
        trim = trim && input.TrimTo is not null;
        using var session = store.OpenSession(resolved, options, trim);
        var shape = input.Shape.Select(d => d < 0 ? 1 : d).ToArray();
        if (frame is { } size && trim)
        {
            var placed = new Preprocessor(input, input.TrimTo!.Value).Place(size.Width, size.Height);
            (shape[2], shape[3]) = (placed.InputHeight, placed.InputWidth);
        }

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
