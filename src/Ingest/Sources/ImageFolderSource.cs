using System.Diagnostics;
using CrosswalkWatch.Domain.Config;
using OpenCvSharp;

namespace CrosswalkWatch.Ingest.Sources;

/// <summary>
/// A folder of still images (JPEG, PNG, BMP) in name order, played at the detection rate. An unreadable image is
/// reported and skipped; it never stops the run.
/// </summary>
internal sealed class ImageFolderSource : IFrameSource
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp" };

    private readonly string _folder;
    private readonly IngestSettings _settings;

    public ImageFolderSource(string folder, IngestSettings settings)
    {
        _folder = folder;
        _settings = settings;
    }

    public string Description => _folder;

    /// <summary>Whether the file is one of the images a folder source plays (by its extension).</summary>
    public static bool IsImage(string file) => Extensions.Contains(Path.GetExtension(file));

    public bool IsLive => false;

    public async Task<SourceEnd> RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_folder))
        {
            throw new IngestException($"image folder not found: {_folder}", permanent: true);
        }

        var files = Directory.EnumerateFiles(_folder).Where(IsImage).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new IngestException($"{_folder} holds no .jpg, .png or .bmp images", permanent: true);
        }

        var interval = TimeSpan.FromSeconds(1.0 / _settings.DetectFps);
        var clock = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow;
        var index = 0L;
        var opened = false;
        var readable = 0;
        do
        {
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var image = Cv2.ImRead(file, ImreadModes.Color);
                if (image.Empty())
                {
                    sink.OnWarning($"unreadable image skipped: {file}");
                    continue;
                }

                readable++;
                var (width, height) = FrameGeometry.FitWithin(image.Width, image.Height, _settings.DetectWidth, _settings.DetectHeight);
                if (!opened)
                {
                    sink.OnOpened($"{image.Width}x{image.Height}", width, height);
                    opened = true;
                }

                if (_settings.RealTime)
                {
                    var wait = (interval * index) - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    }
                }

                var frame = sink.Rent(width, height);
                MatCopy.ResizeInto(image, frame);
                frame.CapturedAt = _settings.RealTime ? DateTimeOffset.UtcNow : start + (interval * index);
                await sink.OnFrameAsync(frame, cancellationToken).ConfigureAwait(false);
                index++;
            }

            if (readable == 0)
            {
                throw new IngestException($"none of the {files.Count} images in {_folder} could be read", permanent: true);
            }
        }
        while (_settings.Loop);

        return SourceEnd.EndOfInput;
    }
}
