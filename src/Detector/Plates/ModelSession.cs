using CrosswalkWatch.Detector.Models;
using Microsoft.ML.OnnxRuntime;

namespace CrosswalkWatch.Detector.Plates;

/// <summary>
/// One model of the plate cascade opened once: its manifest entry, its ONNX Runtime session with the session and
/// run options built for it, all disposed together.
/// </summary>
internal sealed class ModelSession : IDisposable
{
    private readonly SessionOptions _sessionOptions;

    private ModelSession(ResolvedModel model, InferenceSession session, SessionOptions sessionOptions)
    {
        Model = model;
        Session = session;
        _sessionOptions = sessionOptions;
    }

    public ResolvedModel Model { get; }

    public string Key => Model.Key;

    public ModelEntry Entry => Model.Entry;

    public InferenceSession Session { get; }

    public RunOptions RunOptions { get; } = new();

    /// <summary>
    /// Resolves <paramref name="key"/> (hashing its files once), lets <paramref name="check"/> refuse its manifest
    /// entry before anything is opened, then opens the session with <paramref name="intraOpThreads"/> threads.
    /// </summary>
    /// <exception cref="ModelException">Unknown key, missing or corrupt file, an entry <paramref name="check"/> refuses, or a model unlike its entry.</exception>
    public static ModelSession Open(ModelStore store, string key, int intraOpThreads, Action<ResolvedModel> check)
    {
        ResolvedModel resolved = store.Resolve(key);
        check(resolved);
        SessionOptions options = ModelStore.CreateSessionOptions(intraOpThreads);
        try
        {
            return new ModelSession(resolved, store.OpenSession(resolved, options), options);
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Session.Dispose();
        _sessionOptions.Dispose();
        RunOptions.Dispose();
    }
}
