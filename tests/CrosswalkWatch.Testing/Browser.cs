using System.Diagnostics;
using System.Text.Json;

namespace CrosswalkWatch.Testing;

/// <summary>
/// Runs one browser scenario (Web/browser/NAME.mjs): Node with npm's playwright-core driving Debian's headless
/// Chromium against a real console. The scenario gets its parameters as JSON in CWW_TEST, saves screenshots into
/// artifacts/screenshots, prints what it checked, and exits non-zero with the reason when a check fails.
/// </summary>
internal static class Browser
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Screenshots => Path.Combine(TestAssets.RepositoryRoot, "artifacts", "screenshots");

    public static async Task<string> RunAsync(string scenario, object parameters, TimeSpan? timeout = null)
    {
        var script = Path.Combine(TestAssets.RepositoryRoot, "tests", "CrosswalkWatch.IntegrationTests", "Web", "browser", scenario + ".mjs");
        Directory.CreateDirectory(Screenshots);
        var info = new ProcessStartInfo("node", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestAssets.RepositoryRoot,
        };
        info.Environment["CWW_TEST"] = JsonSerializer.Serialize(parameters, Json);
        info.Environment["CWW_SCREENSHOTS"] = Screenshots;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"browser scenario {scenario} did not finish: {await output}{await error}");
        }

        var all = await output + await error;
        Assert.True(process.ExitCode == 0, $"browser scenario {scenario} failed (exit {process.ExitCode}):\n{all}");
        return all;
    }
}
