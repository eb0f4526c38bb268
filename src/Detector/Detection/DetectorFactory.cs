using CrosswalkWatch.Detector.Models;
using Microsoft.ML.OnnxRuntime;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>Builds the object detector a manifest key names (config <c>detector.type</c>).</summary>
public static class DetectorFactory
{
    /// <summary>
    /// Resolves the model, checks its manifest entry against the decoder it names, opens one ONNX Runtime session
    /// (checking input and output names and shapes) with <see cref="DetectorOptions.IntraOpThreads"/> threads, and
    /// returns the detector that owns it.
    /// </summary>
    /// <exception cref="ModelException">Unknown key, a file missing or corrupt, or a model that does not fit its manifest entry or is no detector.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its bounds.</exception>
    public static IObjectDetector Create(ModelStore store, DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IntraOpThreads, 1, nameof(options.IntraOpThreads));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.IntraOpThreads, 64, nameof(options.IntraOpThreads));
        if (!(options.ScoreThreshold is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ScoreThreshold, "ScoreThreshold is above 0 and at most 1.");
        }

        if (!(options.NmsIoU is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NmsIoU, "NmsIoU is above 0 and at most 1.");
        }

        ResolvedModel resolved = store.Resolve(options.ModelKey); // hashes the files once
        bool trim = options.TrimInput && resolved.Entry.Input.TrimTo is not null;
        DetectorModel model = DetectorModel.Create(resolved, store.Manifest, trim);
        SessionOptions sessionOptions = ModelStore.CreateSessionOptions(options.IntraOpThreads);
        InferenceSession? session = null;
        try
        {
            session = store.OpenSession(resolved, sessionOptions, trim);
            return new OnnxObjectDetector(model, session, sessionOptions, options);
        }
        catch
        {
            session?.Dispose();
            sessionOptions.Dispose();
            throw;
        }
    }
}
