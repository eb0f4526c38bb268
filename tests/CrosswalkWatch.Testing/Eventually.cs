namespace CrosswalkWatch.Testing;

/// <summary>Waiting on a condition with a deadline (never a fixed sleep): fails saying what was awaited.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var limit = patience ?? Patience;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"timed out after {limit.TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
