using System.Net;
using System.Security.Cryptography;
using CrosswalkWatch.Detector.Models;
using Microsoft.ML.OnnxRuntime;

namespace CrosswalkWatch.IntegrationTests.Models;

public sealed class ModelStoreTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("cww-models-").FullName;

    private string ModelsDir => Path.Combine(_temp, "models");

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Load_RepositoryManifest_HasTheFiveModels()
    {
        ModelManifest manifest = ModelManifest.Load(TestAssets.ManifestPath);

        Assert.Equal(
            ["fastestdet", "plate-detector-320", "plate-detector-640", "plate-ocr", "yolox-nano"],
            manifest.Models.Keys.Order(StringComparer.Ordinal));
        ModelEntry yolox = manifest.Models["yolox-nano"];
        Assert.Equal("images", yolox.Input.Name);
        Assert.Equal([1L, 3, 416, 416], yolox.Input.Shape);
        Assert.Equal(ChannelOrder.Bgr, yolox.Input.ChannelOrder);
        Assert.Equal(ResizeMode.LetterboxTopLeft, yolox.Input.Resize);
        Assert.Equal(114, yolox.Input.PadValue);
        Assert.Equal("detector/coco.names", yolox.Labels.File);
    }

    [Fact]
    public void Load_UnknownMember_ThrowsNamingFileAndMember()
    {
        string path = WriteManifest(json => json.Replace(
            "\"name\": \"images\",", "\"name\": \"images\",\n        \"colour\": \"red\",", StringComparison.Ordinal));

        var error = Assert.Throws<ModelException>(() => ModelManifest.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("colour", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadSha256_ThrowsNamingMember()
    {
        string path = WriteManifest(json => json.Replace(
            "e8af074932d4ed7e232278e3055cefcdea3edf178874a3694ae292649fb464dd", "e8af07", StringComparison.Ordinal));

        var error = Assert.Throws<ModelException>(() => ModelManifest.Load(path));

        Assert.Contains("models.yolox-nano.files[0].sha256", error.Message, StringComparison.Ordinal);
        Assert.Contains("'e8af07'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallAsync_FromAssetsAndNpm_InstallsEveryFileWithMatchingHashes()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);

        IReadOnlyList<InstalledModelFile> installed = await store.InstallAsync(CopyAssets(), TestAssets.NpmRoot);

        ModelFile[] files = AllFiles(store.Manifest);
        Assert.Equal(files.Select(f => f.Name).Order(StringComparer.Ordinal), installed.Select(i => i.Name).Order(StringComparer.Ordinal));
        foreach (ModelFile file in files)
        {
            string path = Path.Combine(ModelsDir, file.Name);
            Assert.Equal(file.Sha256, Sha256(path));
            Assert.Equal(file.Size, new FileInfo(path).Length);
        }

        Assert.All(installed, i => Assert.Equal(i.Name.StartsWith("ocr/", StringComparison.Ordinal) ? ModelFileOrigin.Npm : ModelFileOrigin.Assets, i.Origin));
        Assert.Empty(http.Requests);
        Assert.Empty(PartialFiles());
        store.Verify();
    }

    [Fact]
    public async Task InstallAsync_FromAnotherBoxsModelsFolder_CopiesEveryFile_ACorruptOneIsRefusedNamingTheFolder()
    {
        using var http = new StubHttp();
        await NewStore(http).InstallAsync(CopyAssets(), TestAssets.NpmRoot);
        var other = Path.Combine(_temp, "usb-stick");
        Directory.Move(ModelsDir, other);

        // No assets folder and no node_modules, as on a box installed from the .deb: everything comes --from the folder.
        var installed = await NewStore(http).InstallAsync(null, null, fromFolder: other);
        Assert.All(installed, i => Assert.Equal(ModelFileOrigin.Folder, i.Origin));
        NewStore(http).Verify();
        Assert.Empty(http.Requests);

        Directory.Delete(ModelsDir, recursive: true);
        await File.WriteAllTextAsync(Path.Combine(other, "detector", "yolox_nano.onnx"), "not a model");
        var error = await Assert.ThrowsAsync<ModelException>(() => NewStore(http).InstallAsync(null, null, fromFolder: other));
        Assert.Contains($"(--from {other}): sha256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallAsync_RunTwice_SecondRunLeavesFilesAlone()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);
        string assets = CopyAssets();
        await store.InstallAsync(assets, TestAssets.NpmRoot);
        Dictionary<string, DateTime> written = Directory.GetFiles(ModelsDir, "*", SearchOption.AllDirectories)
            .ToDictionary(p => p, File.GetLastWriteTimeUtc);

        IReadOnlyList<InstalledModelFile> again = await store.InstallAsync(assets, TestAssets.NpmRoot);

        Assert.All(again, i => Assert.Equal(ModelFileOrigin.AlreadyPresent, i.Origin));
        Assert.Equal(written, Directory.GetFiles(ModelsDir, "*", SearchOption.AllDirectories).ToDictionary(p => p, File.GetLastWriteTimeUtc));
        Assert.Empty(http.Requests);
    }

    [Fact]
    public async Task InstallAsync_CorruptAssetFile_RefusesItNamingFileAndBothHashes()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);
        string assets = CopyAssets();
        string corrupt = Path.Combine(assets, "models", "detector", "yolox_nano.onnx");
        FlipByte(corrupt, 1000);
        string corruptSha = Sha256(corrupt);
        ModelFile expected = FileNamed(store.Manifest, "detector/yolox_nano.onnx");

        var error = await Assert.ThrowsAsync<ModelException>(() => store.InstallAsync(assets, TestAssets.NpmRoot));

        Assert.Contains("'detector/yolox_nano.onnx'", error.Message, StringComparison.Ordinal);
        Assert.Contains(corrupt, error.Message, StringComparison.Ordinal);
        Assert.Contains(corruptSha, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected.Sha256, error.Message, StringComparison.Ordinal);
        Assert.Contains("CWW_ASSETS", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(ModelsDir, "detector", "yolox_nano.onnx")));
        Assert.True(File.Exists(Path.Combine(ModelsDir, "detector", "FastestDet.onnx")), "the other files are still installed");
        Assert.Empty(PartialFiles());
    }

    [Fact]
    public async Task InstallAsync_MissingAssetFile_NamesWhereItLookedAndHowToGetIt()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);
        string assets = CopyAssets();
        string missing = Path.Combine(assets, "models", "detector", "FastestDet.onnx");
        File.Delete(missing);
        ModelFile file = FileNamed(store.Manifest, "detector/FastestDet.onnx");

        var error = await Assert.ThrowsAsync<ModelException>(() => store.InstallAsync(assets, TestAssets.NpmRoot));

        Assert.Contains("'detector/FastestDet.onnx'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{missing} (CWW_ASSETS {assets}): not found", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{file.Url}: download failed: HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("set CWW_ASSETS=", error.Message, StringComparison.Ordinal);
        Assert.Equal([file.Url!], http.Requests);
    }

    [Fact]
    public async Task InstallAsync_NpmPackageMissing_SaysToRunNpmCi()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);
        string emptyNodeModules = Directory.CreateDirectory(Path.Combine(_temp, "node_modules")).FullName;

        var error = await Assert.ThrowsAsync<ModelException>(() => store.InstallAsync(CopyAssets(), emptyNodeModules));

        Assert.Contains("'ocr/ch_PP-OCRv4_rec_infer.onnx'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(emptyNodeModules, "@gutenye", "ocr-models", "assets", "ch_PP-OCRv4_rec_infer.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("detector/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallAsync_OnlyDownloadable_DownloadsAndVerifies()
    {
        string yolox = Path.Combine(TestAssets.AssetsRoot, "models", "detector", "yolox_nano.onnx");
        ModelManifest manifest = ModelManifest.Load(TestAssets.ManifestPath);
        ModelFile yoloxFile = FileNamed(manifest, "detector/yolox_nano.onnx");
        using var http = new StubHttp(new Dictionary<Uri, byte[]>
        {
            [yoloxFile.Url!] = File.ReadAllBytes(yolox),
        });
        string assets = CopyAssets();
        File.Delete(Path.Combine(assets, "models", "detector", "yolox_nano.onnx"));
        ModelStore store = NewStore(http, manifest);

        IReadOnlyList<InstalledModelFile> installed = await store.InstallAsync(assets, TestAssets.NpmRoot);

        Assert.Equal(ModelFileOrigin.Download, installed.Single(i => i.Name == "detector/yolox_nano.onnx").Origin);
        Assert.Equal(ModelFileOrigin.Assets, installed.Single(i => i.Name == "detector/FastestDet.onnx").Origin);
        store.Verify();
    }

    [Fact]
    public async Task InstallAsync_CorruptInstalledFile_ReplacesIt()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);
        string assets = CopyAssets();
        await store.InstallAsync(assets, TestAssets.NpmRoot);
        string installedPath = Path.Combine(ModelsDir, "plate", "y5fu_320x_sim.onnx");
        FlipByte(installedPath, 5000);

        IReadOnlyList<InstalledModelFile> again = await store.InstallAsync(assets, TestAssets.NpmRoot);

        Assert.Equal(ModelFileOrigin.Assets, again.Single(i => i.Name == "plate/y5fu_320x_sim.onnx").Origin);
        Assert.Equal(FileNamed(store.Manifest, "plate/y5fu_320x_sim.onnx").Sha256, Sha256(installedPath));
    }

    [Fact]
    public void Resolve_NothingInstalled_NamesFilePathAndInstallCommand()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);

        var error = Assert.Throws<ModelException>(() => store.Resolve("yolox-nano"));

        Assert.Contains("'detector/yolox_nano.onnx'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(ModelsDir, "detector", "yolox_nano.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains("./cww models install", error.Message, StringComparison.Ordinal);
        Assert.Contains("CWW_ASSETS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_CorruptInstalledFile_NamesBothHashes()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);
        await store.InstallAsync(CopyAssets(), TestAssets.NpmRoot);
        string installedPath = Path.Combine(ModelsDir, "detector", "coco.names");
        FlipByte(installedPath, 10);

        var error = Assert.Throws<ModelException>(() => store.Resolve("fastestdet"));

        Assert.Contains("'detector/coco.names'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Sha256(installedPath), error.Message, StringComparison.Ordinal);
        Assert.Contains(FileNamed(store.Manifest, "detector/coco.names").Sha256, error.Message, StringComparison.Ordinal);
        Assert.Throws<ModelException>(store.Verify);
    }

    [Fact]
    public void Resolve_UnknownKey_ListsKnownKeys()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);

        var error = Assert.Throws<ModelException>(() => store.Resolve("yolov8"));

        Assert.Contains("yolox-nano", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSession_YoloxNano_InputMatchesManifest()
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);
        await store.InstallAsync(CopyAssets(), TestAssets.NpmRoot);
        using SessionOptions options = ModelStore.CreateSessionOptions(intraOpThreads: 1);

        using InferenceSession session = store.OpenSession("yolox-nano", options);

        ModelInput input = store.Manifest.Models["yolox-nano"].Input;
        NodeMetadata actual = Assert.Single(session.InputMetadata, m => m.Key == input.Name).Value;
        Assert.Equal(input.Shape, actual.Dimensions.Select(d => (long)d));
        Assert.Equal([1, 3, 416, 416], actual.Dimensions);
    }

    [Theory]
    [InlineData("yolox-nano")]
    [InlineData("fastestdet")]
    [InlineData("plate-detector-320")]
    [InlineData("plate-detector-640")]
    [InlineData("plate-ocr")]
    public async Task OpenSession_EveryManifestModel_OpensAndMatches(string key)
    {
        using var http = new StubHttp();
        ModelStore store = NewStore(http);
        await store.InstallAsync(CopyAssets(), TestAssets.NpmRoot);
        using SessionOptions options = ModelStore.CreateSessionOptions(intraOpThreads: 1);

        using InferenceSession session = store.OpenSession(key, options);

        Assert.Contains(store.Manifest.Models[key].Output.Name, session.OutputMetadata.Keys);
    }

    [Fact]
    public async Task OpenSession_ManifestWithWrongInputShape_ThrowsNamingBothShapes()
    {
        using var http = new StubHttp();
        await NewStore(http).InstallAsync(CopyAssets(), TestAssets.NpmRoot);
        string path = WriteManifest(json => json.Replace("[1, 3, 416, 416]", "[1, 3, 640, 640]", StringComparison.Ordinal));
        var store = new ModelStore(ModelManifest.Load(path), ModelsDir, http.Client);

        var error = Assert.Throws<ModelException>(() => store.OpenSession("yolox-nano"));

        Assert.Contains("'yolox-nano'", error.Message, StringComparison.Ordinal);
        Assert.Contains("input 'images' has shape [1, 3, 416, 416] in the model, the manifest says [1, 3, 640, 640]", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private ModelStore NewStore(StubHttp http, ModelManifest? manifest = null) =>
        new(manifest ?? ModelManifest.Load(TestAssets.ManifestPath), ModelsDir, http.Client);

    /// <summary>A private copy of the assets' model files, so a test can break it.</summary>
    private string CopyAssets()
    {
        string root = Path.Combine(_temp, "assets");
        string from = Path.Combine(TestAssets.AssetsRoot, "models");
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(root, "models", Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
            File.SetAttributes(to, FileAttributes.Normal);
        }

        return root;
    }

    private string WriteManifest(Func<string, string> change) => TestAssets.WriteChangedManifest(_temp, change);

    private string[] PartialFiles() =>
        Directory.Exists(ModelsDir) ? Directory.GetFiles(ModelsDir, "*.partial", SearchOption.AllDirectories) : [];

    private static ModelFile[] AllFiles(ModelManifest manifest) =>
        manifest.Models.Values.SelectMany(m => m.Files).DistinctBy(f => f.Name).ToArray();

    private static ModelFile FileNamed(ModelManifest manifest, string name) =>
        manifest.Models.Values.SelectMany(m => m.Files).First(f => f.Name == name);

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0xFF));
    }

    /// <summary>A .tgz laid out as npm packs it: every path under <c>package/</c>.</summary>
    /// <summary>Serves the given bodies and 404 for everything else, so no test reaches the network.</summary>
    private sealed class StubHttp : HttpMessageHandler
    {
        private readonly Dictionary<Uri, byte[]> _bodies;

        public StubHttp(Dictionary<Uri, byte[]>? bodies = null)
        {
            _bodies = bodies ?? [];
            Client = new HttpClient(this, disposeHandler: false);
        }

        public HttpClient Client { get; }

        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri url = request.RequestUri!;
            lock (Requests)
            {
                Requests.Add(url);
            }

            return Task.FromResult(_bodies.TryGetValue(url, out byte[]? body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }
                : new HttpResponseMessage(HttpStatusCode.NotFound) { ReasonPhrase = "Not Found" });
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Client.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// Where the model tests find the repository (the folder holding CrosswalkWatch.sln, walking up from the test
/// assembly), its manifest and node_modules, and the assets: <c>CWW_ASSETS</c>, default the <c>shared</c> folder beside
/// the repository. A missing one fails the test with a message saying how to get it.
/// </summary>
