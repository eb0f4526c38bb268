using CrosswalkWatch.Domain.Detection;
using OpenCvSharp;

namespace CrosswalkWatch.Scenarios;

/// <summary>
/// What a <see cref="ScenarioCondition"/> does to a clip's pictures: the lit background and the cut-outs' gain, what is
/// laid over each finished frame (headlights with glare, rain streaks, haze, camera shake, sensor noise) and the
/// encoder's bitrate. Its random choices come from the clip's seed but not from the script's generator, so a kind's
/// script is the same under every condition.
/// </summary>
internal sealed class ConditionEffects : IDisposable
{
    /// <summary>The bitrate of the compressed condition: 1080p at 10 fps squeezed as a busy camera's second stream is.</summary>
    internal const int CompressedKbps = 300;

    /// <summary>The most the shaking camera moves the picture from its place, pixels at 1920 wide.</summary>
    internal const double MaxShakePixels = 6;

    private readonly ScenarioCondition _condition;
    private readonly int _width;
    private readonly int _height;
    private readonly Random _random;
    private readonly (double X, double Y)[] _offsets;
    private readonly double _contrast;
    private readonly double _rainAngle;
    private readonly int _seed;
    private Mat[] _noise = [];

    public ConditionEffects(ScenarioCondition condition, int width, int height, int fps, int frames, int seed)
    {
        _condition = condition;
        _width = width;
        _height = height;
        _seed = seed;
        _random = new Random(unchecked((seed * 31) + 7));
        _offsets = condition == ScenarioCondition.Shake ? ShakeOffsets(frames, fps, width / 1920.0) : [];
        _contrast = 0.35 + (0.1 * _random.NextDouble());
        _rainAngle = (8 + (10 * _random.NextDouble())) * Math.PI / 180 * (_random.NextDouble() < 0.5 ? -1 : 1);
    }

    /// <summary>The factor on the cut-outs' colours: dark at night (as the old dim-light kind), a little dull in the rain.</summary>
    public double ActorGain => _condition switch
    {
        ScenarioCondition.Night => 0.45,
        ScenarioCondition.Rain => 0.85,
        _ => 1.0,
    };

    /// <summary>
    /// The encoder's bitrate (kbit/s), or null for x264's default quality. At night a main stream's 4 Mbit/s: a camera
    /// caps its bitrate, and sensor noise at x264's default quality would make files ten times the size.
    /// </summary>
    public int? BitrateKbps => _condition switch
    {
        ScenarioCondition.Compressed => CompressedKbps,
        ScenarioCondition.Night => 4000,
        _ => null,
    };

    /// <summary>The background as this condition lights it; <paramref name="daylight"/> is the clip's own brightness (0.92–1.08).</summary>
    public Mat Light(Mat background, double daylight)
    {
        var lit = new Mat();
        switch (_condition)
        {
            case ScenarioCondition.Night:
                // As dark as the old dim-light kind (×0.45: a camera's night mode raises its gain), with a night
                // sensor's blue.
                background.ConvertTo(lit, MatType.CV_8UC3, daylight);
                Cv2.Multiply(lit, new Scalar(0.52, 0.45, 0.39), lit);
                AddStreetLights(lit);
                _noise = MakeNoise(4, 6);
                break;
            case ScenarioCondition.Rain:
                background.ConvertTo(lit, MatType.CV_8UC3, daylight * 0.72, 18); // overcast: darker, flatter
                break;
            default:
                background.ConvertTo(lit, MatType.CV_8UC3, daylight);
                break;
        }

        return lit;
    }

    /// <summary>A truth box as the picture shows it in this frame: moved with the shaking camera and clipped to the picture.</summary>
    public IReadOnlyList<float> Shift(int frame, Box box)
    {
        if (_offsets.Length == 0)
        {
            return [box.X1, box.Y1, box.X2, box.Y2];
        }

        var (dx, dy) = _offsets[frame];
        var x = (float)(dx / _width);
        var y = (float)(dy / _height);
        return [Clip(box.X1 + x), Clip(box.Y1 + y), Clip(box.X2 + x), Clip(box.Y2 + y)];
    }

    /// <summary>Lays the condition over a finished frame; <paramref name="vehicles"/> are the drawn vehicles' bodies and whether they face the camera.</summary>
    public void Apply(Mat canvas, int frame, IReadOnlyList<(Box Body, bool Towards)> vehicles)
    {
        switch (_condition)
        {
            case ScenarioCondition.Night:
                AddLamps(canvas, vehicles);
                AddNoise(canvas, _noise[frame % _noise.Length]);
                break;
            case ScenarioCondition.Rain:
                AddRain(canvas);
                break;
            case ScenarioCondition.LowContrast:
                canvas.ConvertTo(canvas, MatType.CV_8UC3, _contrast, 160 * (1 - _contrast)); // haze: everything towards light grey
                break;
            case ScenarioCondition.Shake:
                var (dx, dy) = _offsets[frame];
                using (var move = new Mat(2, 3, MatType.CV_64FC1))
                {
                    move.Set(0, 0, 1.0);
                    move.Set(0, 1, 0.0);
                    move.Set(0, 2, dx);
                    move.Set(1, 0, 0.0);
                    move.Set(1, 1, 1.0);
                    move.Set(1, 2, dy);
                    using var moved = new Mat();
                    Cv2.WarpAffine(canvas, moved, move, canvas.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
                    moved.CopyTo(canvas);
                }

                break;
        }
    }

    public void Dispose()
    {
        foreach (var n in _noise)
        {
            n.Dispose();
        }
    }

    private static float Clip(float v) => (float)Math.Round(Math.Clamp(v, 0f, 1f), 5);

    /// <summary>
    /// A pole's sway: per axis two sines (1–2.5 Hz and 3–6 Hz, random phase) and a little jitter, within
    /// <see cref="MaxShakePixels"/>.
    /// </summary>
    private (double X, double Y)[] ShakeOffsets(int frames, int fps, double scale)
    {
        double Amplitude(double low, double high) => (low + ((high - low) * _random.NextDouble())) * scale;
        double Frequency(double low, double high) => low + ((high - low) * _random.NextDouble());
        var axes = new (double A1, double F1, double P1, double A2, double F2, double P2)[2];
        for (var i = 0; i < 2; i++)
        {
            axes[i] = (Amplitude(1.5, 3.5), Frequency(1.0, 2.5), _random.NextDouble() * 2 * Math.PI, Amplitude(1.0, 2.5), Frequency(3.0, 6.0), _random.NextDouble() * 2 * Math.PI);
        }

        var limit = MaxShakePixels * scale;
        var offsets = new (double, double)[frames];
        for (var f = 0; f < frames; f++)
        {
            var t = f / (double)fps;
            var v = new double[2];
            for (var i = 0; i < 2; i++)
            {
                var (a1, f1, p1, a2, f2, p2) = axes[i];
                var jitter = (_random.NextDouble() - 0.5) * 1.4 * scale;
                v[i] = Math.Clamp((a1 * Math.Sin((2 * Math.PI * f1 * t) + p1)) + (a2 * Math.Sin((2 * Math.PI * f2 * t) + p2)) + jitter, -limit, limit);
            }

            offsets[f] = (Math.Round(v[0], 2), Math.Round(v[1], 2));
        }

        return offsets;
    }

    /// <summary>Two warm pools of street light on the road, so that a night picture is not black.</summary>
    private void AddStreetLights(Mat lit)
    {
        using var pools = new Mat(_height / 4, _width / 4, MatType.CV_8UC3, Scalar.All(0));
        foreach (var (x, y) in new[] { (0.18, 0.62), (0.72, 0.55) })
        {
            var centre = new Point((int)(x * pools.Width), (int)(y * pools.Height));
            Cv2.Ellipse(pools, centre, new Size(pools.Width * 0.16, pools.Height * 0.14), 0, 0, 360, new Scalar(18, 34, 52), -1, LineTypes.AntiAlias);
        }

        Cv2.GaussianBlur(pools, pools, new Size(0, 0), pools.Width * 0.05);
        using var full = new Mat();
        Cv2.Resize(pools, full, lit.Size(), 0, 0, InterpolationFlags.Linear);
        Cv2.Add(lit, full, lit);
    }

    /// <summary>
    /// Headlights of vehicles coming towards the camera: the road and whoever is on it ahead of the vehicle lit up by
    /// the beam (a gain), and on top the lamps with their halo and a flare streak (light added, as glare in the lens
    /// is). Tail lights of those going away. The cut-outs show cars three-quarters from the side and both directions
    /// show their right end to this camera (the front of a coming vehicle, the back of one going away), so the lamps
    /// sit there, one nearer the end than the other.
    /// </summary>
    private void AddLamps(Mat canvas, IReadOnlyList<(Box Body, bool Towards)> vehicles)
    {
        if (vehicles.Count == 0)
        {
            return;
        }

        const int Down = 4; // the light is drawn at a quarter of the size and blurred there
        using var beams = new Mat(_height / Down, _width / Down, MatType.CV_8UC3, Scalar.All(0));
        using var glow = new Mat(_height / Down, _width / Down, MatType.CV_8UC3, Scalar.All(0));
        var cores = new List<(Point Centre, int Radius, Scalar Colour)>();
        foreach (var (body, towards) in vehicles)
        {
            var w = body.Width * _width;
            var h = body.Height * _height;
            var y = (body.Y1 * _height) + (0.62 * h);
            if (towards)
            {
                var ahead = new Point(((body.X1 * _width) + (1.1 * w)) / Down, ((body.Y2 * _height) + (0.15 * h)) / Down);
                Cv2.Ellipse(beams, ahead, new Size(0.6 * w / Down, 0.4 * h / Down), 30, 0, 360, new Scalar(150, 165, 180), -1, LineTypes.AntiAlias);
            }

            foreach (var end in new[] { 0.93, 0.78 })
            {
                var x = (body.X1 * _width) + (end * w); // coming, a vehicle moves right in this view; going, its back is to the right
                if (towards)
                {
                    Cv2.Circle(glow, new Point(x / Down, y / Down), (int)Math.Max(2, 0.08 * w / Down), new Scalar(140, 150, 160), -1, LineTypes.AntiAlias);
                    Cv2.Line(glow, new Point((x - (0.8 * w)) / Down, y / Down), new Point((x + (0.8 * w)) / Down, y / Down), new Scalar(60, 70, 80), 1, LineTypes.AntiAlias);
                    cores.Add((new Point(x, y), (int)Math.Max(3, 0.035 * w), new Scalar(235, 250, 255)));
                }
                else
                {
                    Cv2.Circle(glow, new Point(x / Down, y / Down), (int)Math.Max(1, 0.07 * w / Down), new Scalar(20, 20, 120), -1, LineTypes.AntiAlias);
                    cores.Add((new Point(x, y), (int)Math.Max(2, 0.03 * w), new Scalar(60, 60, 255)));
                }
            }
        }

        Cv2.GaussianBlur(beams, beams, new Size(0, 0), 12);
        using (var gain = new Mat())
        using (var lit = new Mat())
        {
            Cv2.Resize(beams, gain, canvas.Size(), 0, 0, InterpolationFlags.Linear);
            gain.ConvertTo(gain, MatType.CV_32FC3, 1.6 / 255, 1.0); // up to 2.6 times as bright in the middle of a beam
            canvas.ConvertTo(lit, MatType.CV_32FC3);
            Cv2.Multiply(lit, gain, lit);
            lit.ConvertTo(canvas, MatType.CV_8UC3);
        }

        Cv2.GaussianBlur(glow, glow, new Size(0, 0), 4);
        using var full = new Mat();
        Cv2.Resize(glow, full, canvas.Size(), 0, 0, InterpolationFlags.Linear);
        Cv2.Add(canvas, full, canvas);
        foreach (var (centre, radius, colour) in cores)
        {
            Cv2.Circle(canvas, centre, radius, colour, -1, LineTypes.AntiAlias);
        }
    }

    /// <summary>Rain: a few hundred slanted streaks, new in every frame, brightening what they cross.</summary>
    private void AddRain(Mat canvas)
    {
        const int Down = 2;
        using var streaks = new Mat(_height / Down, _width / Down, MatType.CV_8UC3, Scalar.All(0));
        var count = 420 + _random.Next(120);
        for (var i = 0; i < count; i++)
        {
            var x = _random.NextDouble() * streaks.Width;
            var y = _random.NextDouble() * streaks.Height;
            var length = 9 + (14 * _random.NextDouble());
            var angle = _rainAngle + ((_random.NextDouble() - 0.5) * 0.1);
            var level = 30 + _random.Next(45);
            var end = new Point(x + (Math.Sin(angle) * length), y + (Math.Cos(angle) * length));
            Cv2.Line(streaks, new Point(x, y), end, Scalar.All(level), 1, LineTypes.AntiAlias);
        }

        using var full = new Mat();
        Cv2.Resize(streaks, full, canvas.Size(), 0, 0, InterpolationFlags.Linear);
        Cv2.Add(canvas, full, canvas);
    }

    /// <summary>
    /// Sensor noise as a camera's processing leaves it: drawn at half size and enlarged, so grains of about two
    /// pixels (which also keeps the night clips' files at a sane size).
    /// </summary>
    private Mat[] MakeNoise(int count, double sigma)
    {
        var noise = new Mat[count];
        Cv2.SetTheRNG((ulong)_seed); // the same seed gives the same noise
        using var half = new Mat(_height / 2, _width / 2, MatType.CV_16SC3);
        for (var i = 0; i < count; i++)
        {
            Cv2.Randn(half, Scalar.All(0), Scalar.All(sigma));
            noise[i] = new Mat();
            Cv2.Resize(half, noise[i], new Size(_width, _height), 0, 0, InterpolationFlags.Nearest);
        }

        return noise;
    }

    private static void AddNoise(Mat canvas, Mat noise)
    {
        using var wide = new Mat();
        canvas.ConvertTo(wide, MatType.CV_16SC3);
        Cv2.Add(wide, noise, wide);
        wide.ConvertTo(canvas, MatType.CV_8UC3);
    }
}
