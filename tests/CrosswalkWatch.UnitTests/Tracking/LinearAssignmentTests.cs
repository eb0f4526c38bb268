using CrosswalkWatch.Decision.Tracking;

namespace CrosswalkWatch.UnitTests.Tracking;

public class LinearAssignmentTests
{
    [Theory]
    [InlineData(0, 0, new float[0], 1f, new int[0])]                                              // empty
    [InlineData(0, 3, new float[0], 1f, new int[0])]                                              // no rows
    [InlineData(3, 0, new float[0], 1f, new[] { -1, -1, -1 })]                                     // no columns
    [InlineData(1, 1, new[] { 0.3f }, 1f, new[] { 0 })]
    [InlineData(1, 1, new[] { 0.9f }, 0.8f, new[] { -1 })]                                         // over the limit
    [InlineData(3, 3, new[] { 4f, 1, 3, 2, 0, 5, 3, 2, 2 }, 100f, new[] { 1, 0, 2 })]              // total 5; each other permutation costs 6 or more
    [InlineData(2, 2, new[] { 0.1f, 0.2f, 0.2f, 0.9f }, 1f, new[] { 1, 0 })]                       // greedy would take 0.1 first and pay 1.0; optimal pays 0.4
    [InlineData(2, 2, new[] { 0.5f, 0.6f, 0.3f, 1.0f }, 0.8f, new[] { 1, 0 })]                     // 0.9 beats 0.5 + leaving row 1 out (0.8)
    [InlineData(2, 3, new[] { 10f, 1, 10, 10, 2, 3 }, 100f, new[] { 1, 2 })]                       // more columns than rows: total 4
    [InlineData(3, 2, new[] { 1f, 9, 9, 1, 5, 5 }, 100f, new[] { 0, 1, -1 })]                      // more rows than columns: the dearest row is left out
    [InlineData(2, 2, new[] { float.NaN, 0.5f, float.PositiveInfinity, 0.2f }, 1f, new[] { -1, 1 })] // NaN and infinity are never assigned
    [InlineData(2, 2, new[] { 0.9f, 0.95f, 0.95f, 0.9f }, 0.8f, new[] { -1, -1 })]                 // everything over the limit
    public void Solve_HandCheckedMatrix_AssignsAtMinimumCost(int rows, int columns, float[] cost, float limit, int[] expected)
    {
        var assignment = new LinearAssignment();
        var rowToColumn = new int[rows];

        int assigned = assignment.Solve(cost, rows, columns, limit, rowToColumn);

        Assert.Equal(expected, rowToColumn);
        Assert.Equal(expected.Count(c => c >= 0), assigned);
    }

    [Fact]
    public void Solve_RandomSmallMatrices_MatchesBruteForce()
    {
        var random = new Random(11);
        var assignment = new LinearAssignment(); // reused: buffers carried between calls of different sizes
        for (int round = 0; round < 500; round++)
        {
            int rows = random.Next(0, 6);
            int columns = random.Next(0, 6);
            var cost = new float[rows * columns];
            for (int i = 0; i < cost.Length; i++)
            {
                cost[i] = (float)random.NextDouble();
            }

            const float limit = 0.6f;
            var rowToColumn = new int[rows];
            assignment.Solve(cost, rows, columns, limit, rowToColumn);

            Assert.Equal(BruteForce(cost, rows, columns, limit), Total(cost, columns, limit, rowToColumn), 4);
            Assert.Equal(rowToColumn.Where(c => c >= 0).Count(), rowToColumn.Where(c => c >= 0).Distinct().Count());
            for (int r = 0; r < rows; r++)
            {
                Assert.True(rowToColumn[r] < 0 || cost[(r * columns) + rowToColumn[r]] <= limit);
            }
        }
    }

    [Fact]
    public void Solve_InfiniteLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearAssignment().Solve(new float[1], 1, 1, float.PositiveInfinity, new int[1]));
    }

    /// <summary>Cost of an assignment where a row left out costs the limit (what the solver minimises).</summary>
    private static double Total(float[] cost, int columns, float limit, int[] rowToColumn)
    {
        double total = 0;
        for (int r = 0; r < rowToColumn.Length; r++)
        {
            total += rowToColumn[r] < 0 ? limit : cost[(r * columns) + rowToColumn[r]];
        }

        return total;
    }

    private static double BruteForce(float[] cost, int rows, int columns, float limit)
    {
        var used = new bool[columns];
        return Best(0);

        double Best(int row)
        {
            if (row == rows)
            {
                return 0;
            }

            double best = limit + Best(row + 1);
            for (int c = 0; c < columns; c++)
            {
                if (!used[c] && cost[(row * columns) + c] <= limit)
                {
                    used[c] = true;
                    best = Math.Min(best, cost[(row * columns) + c] + Best(row + 1));
                    used[c] = false;
                }
            }

            return best;
        }
    }
}
