using CrosswalkWatch.Detector.Plates;

namespace CrosswalkWatch.UnitTests.Plates;

public sealed class CtcDecoderTests
{
    // Class 0 is the blank; 1..4 are the symbols below.
    private const string Symbols = "\0AB0D";

    /// <summary>Per timestep: the most probable class and its probability (the rest shared evenly); the text and per-character confidences expected.</summary>
    public static TheoryData<int[], float[], string, float[]> Sequences => new()
    {
        { [], [], "", [] },
        { [0, 0, 0], [0.9f, 0.9f, 0.9f], "", [] },
        { [1], [0.8f], "A", [0.8f] },
        // A run collapses to one character with the highest probability of the run.
        { [1, 1, 1], [0.6f, 0.9f, 0.7f], "A", [0.9f] },
        // The blank separates a repeated character.
        { [1, 0, 1], [0.7f, 0.9f, 0.8f], "AA", [0.7f, 0.8f] },
        { [0, 1, 2, 2, 0, 3, 0, 4], [0.9f, 0.5f, 0.6f, 0.8f, 0.9f, 0.95f, 0.9f, 0.4f], "AB0D", [0.5f, 0.8f, 0.95f, 0.4f] },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Decode_Sequence_CollapsesRunsDropsBlanksKeepsPeakProbability(int[] best, float[] probability, string text, float[] confidences)
    {
        float[] probabilities = Table(best, probability);

        List<PlateCharacter> read = CtcDecoder.Decode(probabilities, Symbols.Length, Symbols, blank: 0, candidates: 3);

        Assert.Equal(text, new string([.. read.Select(c => c.Symbol)]));
        Assert.Equal(confidences, read.Select(c => c.Confidence).ToArray());
    }

    [Fact]
    public void Decode_SecondChoice_IsKeptAsACandidateWithItsBestProbability()
    {
        // Two timesteps of D over 0, the second with 0 closer: D is emitted, 0 is its runner-up at 0.35.
        float[] probabilities =
        [
            0.05f, 0, 0, 0.25f, 0.7f,
            0.05f, 0, 0, 0.35f, 0.6f,
        ];

        PlateCharacter character = Assert.Single(CtcDecoder.Decode(probabilities, 5, Symbols, 0, candidates: 3));

        Assert.Equal('D', character.Symbol);
        Assert.Equal(0.7f, character.Confidence);
        Assert.Equal([new CharCandidate('D', 0.7f), new CharCandidate('0', 0.35f)], character.Candidates);
    }

    [Fact]
    public void Decode_PartialTimestep_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => CtcDecoder.Decode(new float[7], 5, Symbols, 0, 3));
    }

    private static float[] Table(int[] best, float[] probability)
    {
        int classes = Symbols.Length;
        var table = new float[best.Length * classes];
        for (int t = 0; t < best.Length; t++)
        {
            float rest = (1 - probability[t]) / (classes - 1);
            for (int c = 0; c < classes; c++)
            {
                table[(t * classes) + c] = c == best[t] ? probability[t] : rest;
            }
        }

        return table;
    }
}
