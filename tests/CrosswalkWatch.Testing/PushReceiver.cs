using System.Net;
using System.Text;

namespace CrosswalkWatch.Testing;

/// <summary>
/// A platform's endpoint for push tests: a real HTTP listener on a free port of 127.0.0.1 (path /violations) that answers
/// each POST with the next scripted status (201 once the script is used up) and keeps what it received.
/// </summary>
internal sealed class PushReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<(int Status, string? RetryAfter)> _script = new();
    private readonly List<Received> _received = [];
    private readonly Task _serving;

    /// <summary>One request as it arrived.</summary>
    public sealed record Received(string? IdempotencyKey, string? Authorization, string Body, int Answered);

    public PushReceiver()
    {
        var port = CameraSim.CameraSimulator.FreePort();
        Url = $"http://127.0.0.1:{port}/violations";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The answers to the next requests, in order (a Retry-After header with it when given).</summary>
    public PushReceiver Answer(params (int Status, string? RetryAfter)[] answers)
    {
        lock (_script)
        {
            foreach (var answer in answers)
            {
                _script.Enqueue(answer);
            }
        }

        return this;
    }

    public PushReceiver Answer(params int[] statuses) => Answer([.. statuses.Select(s => (s, (string?)null))]);

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            (int Status, string? RetryAfter) answer;
            lock (_script)
            {
                answer = _script.Count > 0 ? _script.Dequeue() : (201, null);
            }

            lock (_received)
            {
                _received.Add(new Received(context.Request.Headers["Idempotency-Key"], context.Request.Headers["Authorization"], body, answer.Status));
            }

            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = answer.RetryAfter;
            }

            var text = Encoding.UTF8.GetBytes(answer.Status >= 400 ? $"{{\"error\":\"scripted {answer.Status}\"}}" : "{\"ok\":true}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(text);
            context.Response.Close();
        }
    }
}
