using CrosswalkWatch.Decision.Tracking;
using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.UnitTests.Tracking;

public class BoxKalmanFilterTests
{
    private static readonly Box Start = Box.FromCenter(0.3f, 0.5f, 0.05f, 0.2f);

    [Theory]
    [InlineData(new double[0])]                     // no frames: the state stays where it was measured
    [InlineData(new[] { 1.0 })]
    [InlineData(new[] { 0.2, 0.2, 0.2, 0.2, 0.2 })]
    [InlineData(new[] { 0.1, 0.5, 0.4 })]
    public void Predict_SameTimeInOneOrManySteps_SameMean(double[] steps)
    {
        double[] mean = Moving(out double[] covariance);
        double[] before = (double[])mean.Clone();

        foreach (double step in steps)
        {
            BoxKalmanFilter.Predict(mean, covariance, step);
        }

        Assert.Equal(before[0] + (0.1 * steps.Sum()), mean[0], 9);
        Assert.Equal(before[1], mean[1], 9);
        Assert.Equal(before[3], mean[3], 9);
    }

    [Fact]
    public void Predict_LongerTime_GrowsUncertaintyMore()
    {
        double[] mean = Moving(out double[] covariance);
        double[] mean2 = (double[])mean.Clone();
        double[] covariance2 = (double[])covariance.Clone();

        BoxKalmanFilter.Predict(mean, covariance, 0.2);
        BoxKalmanFilter.Predict(mean2, covariance2, 1.0);

        Assert.True(covariance2[0] > covariance[0]); // x variance
        Assert.True(covariance2[2] > covariance[2]); // vx variance
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)] // time going back counts as none
    public void Predict_NoTime_ChangesNothing(double seconds)
    {
        double[] mean = Moving(out double[] covariance);
        double[] before = (double[])covariance.Clone();
        double x = mean[0];

        BoxKalmanFilter.Predict(mean, covariance, seconds);

        Assert.Equal(x, mean[0]);
        Assert.Equal(before, covariance);
    }

    [Fact]
    public void ToBox_AfterInitiate_GivesTheMeasuredBox()
    {
        var mean = new double[BoxKalmanFilter.StateSize];
        var covariance = new double[BoxKalmanFilter.CovarianceSize];

        BoxKalmanFilter.Initiate(mean, covariance, Start);

        Box box = BoxKalmanFilter.ToBox(mean);
        Assert.Equal(Start.X1, box.X1, 5);
        Assert.Equal(Start.Y1, box.Y1, 5);
        Assert.Equal(Start.X2, box.X2, 5);
        Assert.Equal(Start.Y2, box.Y2, 5);
    }

    [Theory]
    [InlineData(0)]   // no frames after the first
    [InlineData(1)]
    [InlineData(40)]
    public void Filter_ThirtyFpsSteps_MatchesByteTracksFilterWithVelocitiesPerSecond(int frames)
    {
        var mean = new double[BoxKalmanFilter.StateSize];
        var covariance = new double[BoxKalmanFilter.CovarianceSize];
        var reference = new ByteTrackKalman(Measure(Track(0)));
        BoxKalmanFilter.Initiate(mean, covariance, Track(0));

        for (int f = 1; f <= frames; f++)
        {
            BoxKalmanFilter.Predict(mean, covariance, 1.0 / 30);
            reference.Predict();
            BoxKalmanFilter.Update(mean, covariance, Track(f));
            reference.Update(Measure(Track(f)));
        }

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(reference.Mean[i], mean[i], 6);
            Assert.Equal(reference.Mean[i + 4] * 30, mean[i + 4], 5);           // per frame → per second
            Assert.Equal(reference.Covariance[i, i], covariance[3 * i], 9);
            Assert.Equal(reference.Covariance[i, i + 4] * 30, covariance[(3 * i) + 1], 9);
            Assert.Equal(reference.Covariance[i + 4, i + 4] * 900, covariance[(3 * i) + 2], 9);
            for (int j = 0; j < 8; j++)
            {
                if (j != i && j != i + 4)
                {
                    Assert.Equal(0, reference.Covariance[i, j], 12); // why four 2 × 2 blocks are enough
                }
            }
        }

        // A box wobbling along a curve, so every coordinate and velocity moves.
        static Box Track(int f) => Box.FromCenter(
            0.3f + (0.004f * f) + (0.003f * MathF.Sin(f)), 0.5f - (0.002f * f), 0.05f + (0.001f * MathF.Cos(f)), 0.2f + (0.001f * f));

        static double[] Measure(Box box) => [box.CenterX, box.CenterY, box.Width / box.Height, box.Height];
    }

    /// <summary>ByteTrack's yolox/tracker/kalman_filter.py line by line with full 8 × 8 matrices, one step per frame.</summary>
    private sealed class ByteTrackKalman
    {
        private const double Wp = 1.0 / 20;
        private const double Wv = 1.0 / 160;

        public ByteTrackKalman(double[] z)
        {
            Mean = [z[0], z[1], z[2], z[3], 0, 0, 0, 0];
            double h = z[3];
            Covariance = Diagonal([2 * Wp * h, 2 * Wp * h, 1e-2, 2 * Wp * h, 10 * Wv * h, 10 * Wv * h, 1e-5, 10 * Wv * h]);
        }

        public double[] Mean { get; private set; }

        public double[,] Covariance { get; private set; }

        public void Predict()
        {
            double h = Mean[3];
            double[,] motion = Identity(8);
            for (int i = 0; i < 4; i++)
            {
                motion[i, i + 4] = 1;
            }

            Mean = Apply(motion, Mean);
            Covariance = Add(Multiply(Multiply(motion, Covariance), Transpose(motion)), Diagonal([Wp * h, Wp * h, 1e-2, Wp * h, Wv * h, Wv * h, 1e-5, Wv * h]));
        }

        public void Update(double[] z)
        {
            double h = Mean[3];
            var project = new double[4, 8];
            for (int i = 0; i < 4; i++)
            {
                project[i, i] = 1;
            }

            double[,] innovationCovariance = Add(Multiply(Multiply(project, Covariance), Transpose(project)), Diagonal([Wp * h, Wp * h, 1e-1, Wp * h]));
            double[,] gain = Multiply(Multiply(Covariance, Transpose(project)), Inverse(innovationCovariance));
            double[] projected = Apply(project, Mean);
            double[] innovation = [z[0] - projected[0], z[1] - projected[1], z[2] - projected[2], z[3] - projected[3]];
            double[] change = Apply(gain, innovation);
            Mean = Mean.Select((m, i) => m + change[i]).ToArray();
            Covariance = Add(Covariance, Scale(Multiply(Multiply(gain, innovationCovariance), Transpose(gain)), -1));
        }

        private static double[,] Diagonal(double[] std)
        {
            var m = new double[std.Length, std.Length];
            for (int i = 0; i < std.Length; i++)
            {
                m[i, i] = std[i] * std[i];
            }

            return m;
        }

        private static double[,] Identity(int n) => Diagonal(Enumerable.Repeat(1.0, n).ToArray());

        private static double[] Apply(double[,] m, double[] v) =>
            Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, v.Length).Sum(j => m[i, j] * v[j])).ToArray();

        private static double[,] Multiply(double[,] a, double[,] b)
        {
            var m = new double[a.GetLength(0), b.GetLength(1)];
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j < b.GetLength(1); j++)
                {
                    for (int k = 0; k < a.GetLength(1); k++)
                    {
                        m[i, j] += a[i, k] * b[k, j];
                    }
                }
            }

            return m;
        }

        private static double[,] Transpose(double[,] a)
        {
            var m = new double[a.GetLength(1), a.GetLength(0)];
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j < a.GetLength(1); j++)
                {
                    m[j, i] = a[i, j];
                }
            }

            return m;
        }

        private static double[,] Add(double[,] a, double[,] b)
        {
            var m = (double[,])a.Clone();
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j < a.GetLength(1); j++)
                {
                    m[i, j] += b[i, j];
                }
            }

            return m;
        }

        private static double[,] Scale(double[,] a, double s)
        {
            var m = (double[,])a.Clone();
            for (int i = 0; i < a.GetLength(0); i++)
            {
                for (int j = 0; j < a.GetLength(1); j++)
                {
                    m[i, j] *= s;
                }
            }

            return m;
        }

        /// <summary>Gauss–Jordan with partial pivoting.</summary>
        private static double[,] Inverse(double[,] a)
        {
            int n = a.GetLength(0);
            var m = (double[,])a.Clone();
            double[,] inverse = Identity(n);
            for (int c = 0; c < n; c++)
            {
                int pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(m[r, c]));
                for (int j = 0; j < n; j++)
                {
                    (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
                    (inverse[c, j], inverse[pivot, j]) = (inverse[pivot, j], inverse[c, j]);
                }

                double d = m[c, c];
                for (int j = 0; j < n; j++)
                {
                    m[c, j] /= d;
                    inverse[c, j] /= d;
                }

                for (int r = 0; r < n; r++)
                {
                    if (r != c)
                    {
                        double f = m[r, c];
                        for (int j = 0; j < n; j++)
                        {
                            m[r, j] -= f * m[c, j];
                            inverse[r, j] -= f * inverse[c, j];
                        }
                    }
                }
            }

            return inverse;
        }
    }

    /// <summary>A state that has followed a box moving right at 0.1 units/s, its velocity then set to exactly that.</summary>
    private static double[] Moving(out double[] covariance)
    {
        var mean = new double[BoxKalmanFilter.StateSize];
        covariance = new double[BoxKalmanFilter.CovarianceSize];
        BoxKalmanFilter.Initiate(mean, covariance, Start);
        for (int i = 1; i <= 20; i++)
        {
            BoxKalmanFilter.Predict(mean, covariance, 0.02);
            BoxKalmanFilter.Update(mean, covariance, Box.FromCenter(0.3f + (0.1f * 0.02f * i), 0.5f, 0.05f, 0.2f));
        }

        // Pin the velocity exactly so the expected positions are exact.
        mean[4] = 0.1;
        mean[5] = 0;
        mean[6] = 0;
        mean[7] = 0;
        return mean;
    }
}
