namespace CrosswalkWatch.Decision.Tracking;

/// <summary>
/// Optimal linear assignment (minimum total cost, each row and column used at most once) for the small matrices
/// of frame-to-frame association: the Hungarian method by shortest augmenting paths with dual potentials, as in
/// Jonker–Volgenant, O(rows² × (rows + columns)).
/// </summary>
/// <remarks>
/// A pair costing more than the cost limit is never assigned, and a row may stay unassigned: as in ByteTrack's
/// <c>lapjv(…, cost_limit)</c>, every row gets a dummy column costing exactly the limit, so leaving a row out is
/// chosen whenever every way of assigning it costs more. The buffers are kept between calls; one instance per
/// tracker, not thread-safe.
/// </remarks>
internal sealed class LinearAssignment
{
    private double[] _rowPotential = [];
    private double[] _columnPotential = [];
    private double[] _minSlack = [];
    private int[] _columnOwner = [];
    private int[] _way = [];
    private bool[] _visited = [];

    /// <summary>
    /// Assigns rows to columns of <paramref name="cost"/> (row-major, <paramref name="rows"/> × <paramref name="columns"/>)
    /// at minimum total cost, leaving out any pair costing more than <paramref name="costLimit"/> (NaN counts as too much).
    /// </summary>
    /// <param name="rowToColumn">Filled for each row with its column, or −1 when the row is left unassigned.</param>
    /// <returns>How many rows were assigned.</returns>
    public int Solve(ReadOnlySpan<float> cost, int rows, int columns, float costLimit, Span<int> rowToColumn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (cost.Length < rows * columns)
        {
            throw new ArgumentException($"Expected {rows} × {columns} costs, got {cost.Length}.", nameof(cost));
        }

        if (rowToColumn.Length < rows)
        {
            throw new ArgumentException($"Expected room for {rows} rows, got {rowToColumn.Length}.", nameof(rowToColumn));
        }

        if (!float.IsFinite(costLimit))
        {
            throw new ArgumentOutOfRangeException(nameof(costLimit), costLimit, "Expected a finite cost limit.");
        }

        rowToColumn[..rows].Fill(-1);
        if (rows == 0 || columns == 0)
        {
            return 0;
        }

        // Columns 1..columns are real, columns+1..columns+rows the dummies ("leave this row out") at the limit;
        // index 0 is the algorithm's virtual column. Rows are 1-based likewise.
        int width = columns + rows;
        EnsureCapacity(rows + 1, width + 1);
        double limit = costLimit;
        double tooMuch = limit + Math.Max(1, Math.Abs(limit)); // above the limit, so a dummy always beats it
        Span<double> u = _rowPotential.AsSpan(0, rows + 1);
        Span<double> v = _columnPotential.AsSpan(0, width + 1);
        Span<double> minSlack = _minSlack.AsSpan(0, width + 1);
        Span<int> owner = _columnOwner.AsSpan(0, width + 1);
        Span<int> way = _way.AsSpan(0, width + 1);
        Span<bool> visited = _visited.AsSpan(0, width + 1);
        u.Clear();
        v.Clear();
        owner.Clear();

        for (int row = 1; row <= rows; row++)
        {
            owner[0] = row;
            int column = 0;
            minSlack.Fill(double.PositiveInfinity);
            visited.Clear();
            do
            {
                visited[column] = true;
                int ownerRow = owner[column];
                double delta = double.PositiveInfinity;
                int next = 0;
                for (int j = 1; j <= width; j++)
                {
                    if (visited[j])
                    {
                        continue;
                    }

                    double c = j <= columns ? cost[((ownerRow - 1) * columns) + j - 1] : limit;
                    if (!(c <= limit))
                    {
                        c = tooMuch;
                    }

                    double slack = c - u[ownerRow] - v[j];
                    if (slack < minSlack[j])
                    {
                        minSlack[j] = slack;
                        way[j] = column;
                    }

                    if (minSlack[j] < delta)
                    {
                        delta = minSlack[j];
                        next = j;
                    }
                }

                for (int j = 0; j <= width; j++)
                {
                    if (visited[j])
                    {
                        u[owner[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minSlack[j] -= delta;
                    }
                }

                column = next;
            }
            while (owner[column] != 0);

            do
            {
                int previous = way[column];
                owner[column] = owner[previous];
                column = previous;
            }
            while (column != 0);
        }

        int assigned = 0;
        for (int j = 1; j <= columns; j++)
        {
            int row = owner[j];
            if (row != 0 && cost[((row - 1) * columns) + j - 1] <= limit)
            {
                rowToColumn[row - 1] = j - 1;
                assigned++;
            }
        }

        return assigned;
    }

    private void EnsureCapacity(int rows, int columns)
    {
        if (_rowPotential.Length < rows)
        {
            _rowPotential = new double[rows];
        }

        if (_columnPotential.Length < columns)
        {
            _columnPotential = new double[columns];
            _minSlack = new double[columns];
            _columnOwner = new int[columns];
            _way = new int[columns];
            _visited = new bool[columns];
        }
    }
}
