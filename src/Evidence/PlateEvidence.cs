using System.Text.Json;
using CrosswalkWatch.Detector.Plates;
using CrosswalkWatch.Domain.Plates;
using OpenCvSharp;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// The plate part of an evidence package: every plate read on the vehicle crops of the three photos, the plate voted
/// from them character by character with per-character confidence (never a mean alone), the colour, and the
/// rectified close-up of the read that agrees with the vote most surely. Written as <c>plate.json</c> (always, with
/// no voted plate when none was read) and <c>plate.jpg</c> (when a plate was read).
/// </summary>
internal sealed class PlateEvidence : IDisposable
{
    private readonly List<(string Photo, PlateRead Read)> _reads = [];

    /// <summary>The voted plate, once written (null when no plate was read).</summary>
    public VotedPlate? Voted { get; private set; }

    /// <summary>Reads the vehicle crop of <paramref name="photo"/>; the reads are kept until disposal.</summary>
    public void Read(PlateReader reader, string photo, Mat vehicleCrop)
    {
        foreach (PlateRead read in reader.Read(vehicleCrop))
        {
            _reads.Add((photo, read));
        }
    }

    /// <summary>Writes plate.json and, when a plate was read, plate.jpg into <paramref name="folder"/>; returns the names written.</summary>
    public IReadOnlyList<string> Write(string folder, Action<Mat, string> save)
    {
        // Each photo's best-scored plate votes: another plate in a crop (a car behind) is not this vehicle's.
        var voters = _reads.GroupBy(r => r.Photo).Select(g => g.First().Read).ToList();
        VotedPlate? voted = PlateReader.Vote(voters);
        Voted = voted;
        var document = new
        {
            voted = voted is null ? null : new
            {
                text = voted.Text,
                valid = voted.Valid,
                colour = voted.Colour,
                minConfidence = voted.MinConfidence,
                reads = voted.Reads,
                voting = voted.Voting,
                agreeing = voted.Agreeing,
                validReads = voted.ValidReads,
                characters = voted.Characters.Select(c => new { symbol = c.Symbol.ToString(), confidence = c.Confidence, votes = c.Votes }),
            },
            reads = _reads.Select(r => new
            {
                photo = r.Photo,
                text = r.Read.Text,
                raw = r.Read.RawText,
                valid = r.Read.Plate.Valid,
                colour = r.Read.Colour,
                layers = r.Read.Layers,
                detectorScore = r.Read.DetectorScore,
                corners = r.Read.Corners is { } c
                    ? new[] { new[] { c.TopLeft.X, c.TopLeft.Y }, [c.TopRight.X, c.TopRight.Y], [c.BottomRight.X, c.BottomRight.Y], [c.BottomLeft.X, c.BottomLeft.Y] }
                    : null,
                characters = r.Read.Plate.Characters.Select(ch => new { symbol = ch.Symbol.ToString(), confidence = ch.Confidence }),
            }),
        };
        File.WriteAllText(Path.Combine(folder, "plate.json"), JsonSerializer.Serialize(document, EvidenceJson.Files));
        PlateRead? closeUp = voters
            .OrderByDescending(r => voted is not null && r.Text == voted.Text)
            .ThenByDescending(r => r.Plate.MinConfidence)
            .FirstOrDefault();
        if (closeUp is null)
        {
            return ["plate.json"];
        }

        save(closeUp.Rectified, Path.Combine(folder, "plate.jpg"));
        return ["plate.json", "plate.jpg"];
    }

    public void Dispose()
    {
        foreach ((_, PlateRead read) in _reads)
        {
            read.Dispose();
        }
    }
}
