using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CrosswalkWatch.CameraSim;

namespace CrosswalkWatch.Testing;

/// <summary>
/// A real Prometheus (the Debian package, installed by scripts/setup.sh) for tests: its own config and storage in a
/// temp folder, listening on a free port of 127.0.0.1, scraping one target every second. Stopped with SIGTERM.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private const string Binary = "/usr/bin/prometheus";

    private readonly TempFolder _folder = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Process? _process;

    private PrometheusServer()
    {
        Port = CameraSimulator.FreePort();
        _http.BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
    }

    public int Port { get; }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (http://HOST:PORT/metrics) every second; waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} not found: install prometheus (scripts/setup.sh does it)");
        }

        var server = new PrometheusServer();
        var config = Path.Combine(server._folder.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: cww
                metrics_path: {target.AbsolutePath}
                static_configs:
                  - targets: ['{target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}']
            """);
        server._process = Process.Start(new ProcessStartInfo(Binary,
        [
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(server._folder.Path, "data")}",
            $"--web.listen-address=127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await Eventually.WaitForAsync(async () =>
            {
                if (server._process.HasExited)
                {
                    Assert.Fail($"prometheus exited with {server._process.ExitCode}");
                }

                try
                {
                    return (await server._http.GetAsync("-/ready")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "prometheus to be ready", TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            await server.DisposeAsync(); // never leave it running behind a failed test
            throw;
        }
    }

    /// <summary>The value of an instant PromQL query with one result; null while it has none.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        var values = await QueryAllAsync(promql);
        return values.Count == 1 ? values[0] : null;
    }

    /// <summary>The values of every series an instant PromQL query returns.</summary>
    /// <exception cref="HttpRequestException">Prometheus refused the query (a syntax error answers 400).</exception>
    public async Task<IReadOnlyList<double>> QueryAllAsync(string promql)
    {
        var text = await _http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var answer = JsonDocument.Parse(text);
        return [.. answer.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Runs every query of the Grafana dashboard <paramref name="file"/> (the repository's, for operators) until each
    /// finds a series; a query meant to find none while all is well (one with <c>== 0</c>) only has to be accepted.
    /// </summary>
    public async Task RunDashboardAsync(string file, int atLeast)
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)).ToList();
        Assert.True(queries.Count >= atLeast, $"{queries.Count} queries in {file}");
        foreach (var query in queries)
        {
            await Eventually.WaitForAsync(async () => (await QueryAllAsync(query)).Count > 0 || query.Contains("== 0", StringComparison.Ordinal), $"the dashboard's query {query} to find a series");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await Sigterm.StopAsync(_process, TimeSpan.FromSeconds(15));
        }

        _process?.Dispose();
        _http.Dispose();
        _folder.Dispose();
    }
}
