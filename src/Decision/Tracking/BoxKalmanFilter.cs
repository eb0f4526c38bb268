using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Decision.Tracking;

/// <summary>
/// ByteTrack's (and DeepSORT's) constant-velocity Kalman filter on a box's (centre x, centre y, aspect w/h, height)
/// and their velocities, made time-aware: it predicts over the seconds between frames rather than one step per frame,
/// and velocities are in normalised units per second.
/// </summary>
/// <remarks>
/// <para>The mean is 8 doubles (x, y, a, h, vx, vy, va, vh). In that filter the motion matrix, the process and
/// measurement noise and the initial covariance all act on each coordinate and its velocity alone, so the 8 × 8
/// covariance stays four independent 2 × 2 blocks; this keeps just those (the same numbers, far less work): for
/// coordinate i, <c>covariance[3i]</c> is its variance, <c>[3i + 1]</c> its covariance with its velocity and
/// <c>[3i + 2]</c> the velocity's variance. Spans are owned by the caller.</para>
/// <para>Noise is scaled by the box height as in ByteTrack. ByteTrack's process noise is per frame at MOT17's
/// 30 fps; here it is that noise as a rate, its variance growing in proportion to the time predicted over (a random
/// walk), so at 1/30 s steps this is ByteTrack's filter exactly, with velocities 30 × larger.</para>
/// </remarks>
internal static class BoxKalmanFilter
{
    public const int StateSize = 8;
    public const int CovarianceSize = 12;

    /// <summary>The frame interval ByteTrack's per-frame noise was tuned at.</summary>
    private const double ReferenceStep = 1.0 / 30;
    private const double PositionWeight = 1.0 / 20;
    private const double VelocityWeight = 1.0 / 160;
    private const double AspectProcess = 1e-2;
    private const double AspectVelocityProcess = 1e-5 / ReferenceStep;
    private const double AspectMeasurement = 1e-1;

    /// <summary>Heights below this (a box collapsing) still get some noise, so the innovation stays above zero.</summary>
    private const double MinHeight = 1e-3;

    /// <summary>A new track's state: at the measured box, not moving, with ByteTrack's initial uncertainty.</summary>
    public static void Initiate(Span<double> mean, Span<double> covariance, Box box)
    {
        mean = mean[..StateSize];
        covariance = covariance[..CovarianceSize];
        Measure(box, mean);
        mean[4..].Clear();
        covariance.Clear();

        double height = Math.Max(mean[3], MinHeight);
        double position = 2 * PositionWeight * height;
        double velocity = 10 * VelocityWeight * height / ReferenceStep;
        for (int i = 0; i < 4; i++)
        {
            double p = i == 2 ? AspectProcess : position;
            double v = i == 2 ? AspectVelocityProcess : velocity;
            covariance[3 * i] = p * p;
            covariance[(3 * i) + 2] = v * v;
        }
    }

    /// <summary>Moves the state <paramref name="seconds"/> ahead; nothing happens for 0 or less.</summary>
    public static void Predict(Span<double> mean, Span<double> covariance, double seconds)
    {
        mean = mean[..StateSize];
        covariance = covariance[..CovarianceSize];
        if (!(seconds > 0))
        {
            return;
        }

        double height = Math.Max(mean[3], MinHeight);
        double steps = seconds / ReferenceStep;
        double position = PositionWeight * height;
        double velocity = VelocityWeight * height / ReferenceStep;
        double positionNoise = steps * position * position;
        double velocityNoise = steps * velocity * velocity;
        for (int i = 0; i < 4; i++)
        {
            mean[i] += seconds * mean[i + 4];

            // [p c; c v] ← F [p c; c v] Fᵀ + Q, with F = [1 dt; 0 1].
            double p = covariance[3 * i];
            double c = covariance[(3 * i) + 1];
            double v = covariance[(3 * i) + 2];
            bool aspect = i == 2;
            covariance[3 * i] = p + (2 * seconds * c) + (seconds * seconds * v) + (aspect ? steps * AspectProcess * AspectProcess : positionNoise);
            covariance[(3 * i) + 1] = c + (seconds * v);
            covariance[(3 * i) + 2] = v + (aspect ? steps * AspectVelocityProcess * AspectVelocityProcess : velocityNoise);
        }
    }

    /// <summary>Corrects the state with a measured box.</summary>
    public static void Update(Span<double> mean, Span<double> covariance, Box box)
    {
        mean = mean[..StateSize];
        covariance = covariance[..CovarianceSize];
        Span<double> measured = stackalloc double[4];
        Measure(box, measured);
        double height = Math.Max(mean[3], MinHeight);
        double noise = PositionWeight * height;
        for (int i = 0; i < 4; i++)
        {
            double p = covariance[3 * i];
            double c = covariance[(3 * i) + 1];
            double v = covariance[(3 * i) + 2];
            double r = i == 2 ? AspectMeasurement * AspectMeasurement : noise * noise;
            double s = p + r;
            double gainPosition = p / s;
            double gainVelocity = c / s;
            double innovation = measured[i] - mean[i];
            mean[i] += gainPosition * innovation;
            mean[i + 4] += gainVelocity * innovation;

            // P ← P − K H P, H P = [p c].
            covariance[3 * i] = p - (gainPosition * p);
            covariance[(3 * i) + 1] = c - (gainPosition * c);
            covariance[(3 * i) + 2] = v - (gainVelocity * c);
        }
    }

    /// <summary>The box the state stands for (centre, aspect and height back to corners).</summary>
    public static Box ToBox(ReadOnlySpan<double> mean)
    {
        double h = mean[3];
        return Box.FromCenter((float)mean[0], (float)mean[1], (float)(mean[2] * h), (float)h);
    }

    /// <summary>(x, y, a, h) of a box into the first four places.</summary>
    private static void Measure(Box box, Span<double> measured)
    {
        double height = box.Height;
        measured[0] = box.CenterX;
        measured[1] = box.CenterY;
        measured[2] = height > 0 ? box.Width / height : 0;
        measured[3] = height;
    }
}
