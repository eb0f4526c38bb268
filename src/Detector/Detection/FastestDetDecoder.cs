using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// FastestDet head, <c>[1, 5 + classes, gh, gw]</c>: per cell obj, tx, ty, tw, th and class scores, one plane
/// each; cx = (x + tanh(tx)) / gw, w = sigmoid(tw), normalised to the input.
/// </summary>
internal sealed class FastestDetDecoder : IOutputDecoder
{
    private readonly int _gridWidth;
    private readonly int _gridHeight;
    private readonly int _inputWidth;
    private readonly int _inputHeight;
    private readonly ClassScorer _scorer;

    private FastestDetDecoder(int gridWidth, int gridHeight, int inputWidth, int inputHeight, ClassScorer scorer)
    {
        _gridWidth = gridWidth;
        _gridHeight = gridHeight;
        _inputWidth = inputWidth;
        _inputHeight = inputHeight;
        _scorer = scorer;
    }

    /// <summary>The decoder, or null with the reasons added to <paramref name="errors"/>.</summary>
    public static FastestDetDecoder? Create(
        string at, IReadOnlyList<long> outputShape, int inputWidth, int inputHeight, int labelCount, ClassScorer scorer,
        List<string> errors)
    {
        long channels = 5 + labelCount;
        if (outputShape.Count != 4 || outputShape[0] != 1 || outputShape[1] != channels || outputShape[2] <= 0 || outputShape[3] <= 0)
        {
            errors.Add(
                $"{at}.output.shape: decoder 'fastestdet' reads [1, 5 + labels, grid height, grid width] = [1, {channels}, h, w] " +
                $"for {labelCount} labels; the manifest says [{string.Join(", ", outputShape)}].");
            return null;
        }

        return new FastestDetDecoder((int)outputShape[3], (int)outputShape[2], inputWidth, inputHeight, scorer);
    }

    public void Decode(ReadOnlySpan<float> output, float scoreThreshold, DetectionBuffer candidates)
    {
        float minObjectness = _scorer.MinObjectness(scoreThreshold);
        int plane = _gridWidth * _gridHeight;
        for (int i = 0; i < plane; i++)
        {
            float obj = output[i];
            if (!(obj >= minObjectness))
            {
                continue;
            }

            int gy = i / _gridWidth;
            int gx = i - (gy * _gridWidth);
            float cx = (gx + MathF.Tanh(output[plane + i])) / _gridWidth * _inputWidth;
            float cy = (gy + MathF.Tanh(output[(2 * plane) + i])) / _gridHeight * _inputHeight;
            float w = Sigmoid(output[(3 * plane) + i]) * _inputWidth;
            float h = Sigmoid(output[(4 * plane) + i]) * _inputHeight;
            _scorer.Emit(output, (5 * plane) + i, plane, obj, scoreThreshold, Box.FromCenter(cx, cy, w, h), candidates);
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
