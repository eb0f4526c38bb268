using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// YOLOX head, <c>[1, anchors, 5 + classes]</c>: per anchor of the grids at each stride (row by row, finest
/// first) raw cx, cy, w, h, objectness and class scores (sigmoid applied); cx = (x + gx)·s, w = exp(w)·s.
/// </summary>
internal sealed class YoloxDecoder : IOutputDecoder
{
    private readonly int[] _strides;
    private readonly int _inputWidth;
    private readonly int _inputHeight;
    private readonly int _channels;
    private readonly ClassScorer _scorer;

    private YoloxDecoder(int[] strides, int inputWidth, int inputHeight, int channels, ClassScorer scorer)
    {
        _strides = strides;
        _inputWidth = inputWidth;
        _inputHeight = inputHeight;
        _channels = channels;
        _scorer = scorer;
    }

    /// <summary>The decoder, or null with the reasons added to <paramref name="errors"/>.</summary>
    public static YoloxDecoder? Create(
        string at, IReadOnlyList<long> outputShape, IReadOnlyList<int>? strides, int inputWidth, int inputHeight,
        int labelCount, ClassScorer scorer, List<string> errors)
    {
        if (strides is null || strides.Count == 0)
        {
            errors.Add($"{at}.output.strides: decoder 'yolox' needs the grid strides (e.g. [8, 16, 32]).");
            return null;
        }

        long anchors = 0;
        foreach (int stride in strides)
        {
            if (stride <= 0 || inputWidth % stride != 0 || inputHeight % stride != 0)
            {
                errors.Add($"{at}.output.strides: stride {stride} does not divide the {inputWidth}x{inputHeight} input.");
                return null;
            }

            anchors += (long)(inputWidth / stride) * (inputHeight / stride);
        }

        long channels = 5 + labelCount;
        if (outputShape.Count != 3 || outputShape[0] != 1 || outputShape[1] != anchors || outputShape[2] != channels)
        {
            errors.Add(
                $"{at}.output.shape: decoder 'yolox' reads [1, anchors, 5 + labels] = [1, {anchors}, {channels}] for a " +
                $"{inputWidth}x{inputHeight} input, strides [{string.Join(", ", strides)}] and {labelCount} labels; " +
                $"the manifest says [{string.Join(", ", outputShape)}].");
            return null;
        }

        return new YoloxDecoder([.. strides], inputWidth, inputHeight, (int)channels, scorer);
    }

    /// <summary>The decoder of a trimmed input (<see cref="Models.ModelInput.TrimTo"/>): the same head on the grids of a <paramref name="inputWidth"/> × <paramref name="inputHeight"/> input.</summary>
    public static YoloxDecoder ForSize(IReadOnlyList<int> strides, int inputWidth, int inputHeight, int labelCount, ClassScorer scorer) =>
        new([.. strides], inputWidth, inputHeight, 5 + labelCount, scorer);

    /// <summary>The input's width this decoder's grids are for.</summary>
    public int InputWidth => _inputWidth;

    /// <summary>The input's height this decoder's grids are for.</summary>
    public int InputHeight => _inputHeight;

    /// <summary>The output's shape for the input size this decoder reads.</summary>
    public IReadOnlyList<long> OutputShape => [1, _strides.Sum(s => (long)(_inputWidth / s) * (_inputHeight / s)), _channels];

    public void Decode(ReadOnlySpan<float> output, float scoreThreshold, DetectionBuffer candidates)
    {
        float minObjectness = _scorer.MinObjectness(scoreThreshold);
        int offset = 0;
        foreach (int stride in _strides)
        {
            int gridWidth = _inputWidth / stride;
            int gridHeight = _inputHeight / stride;
            for (int gy = 0; gy < gridHeight; gy++)
            {
                for (int gx = 0; gx < gridWidth; gx++, offset += _channels)
                {
                    float obj = output[offset + 4];
                    if (!(obj >= minObjectness))
                    {
                        continue;
                    }

                    float cx = (output[offset] + gx) * stride;
                    float cy = (output[offset + 1] + gy) * stride;
                    float w = MathF.Exp(output[offset + 2]) * stride;
                    float h = MathF.Exp(output[offset + 3]) * stride;
                    _scorer.Emit(output, offset + 5, 1, obj, scoreThreshold, Box.FromCenter(cx, cy, w, h), candidates);
                }
            }
        }
    }
}
