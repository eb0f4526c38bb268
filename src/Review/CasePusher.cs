using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrosswalkWatch.Domain;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Storage.Review;
using Microsoft.Extensions.Logging;

namespace CrosswalkWatch.Review;

/// <summary>
/// Pushes each confirmed case to the traffic-management platform's HTTP endpoint (<see cref="PushConfig"/>): a POST of
/// JSON holding the export's record (<see cref="CaseExport"/>) and every file the package's manifest signs, plus the
/// manifest, in base64 — so the receiver can verify it offline as an export — with an <c>Idempotency-Key</c> header, one
/// per confirmation (<see cref="CasePush.KeyOf"/>). At least once: a case counts as delivered only when the endpoint
/// answered 2xx (or 409, it had it already), and that is written after the answer, so a crash in between pushes it again
/// under the same key. Only packages that verify are pushed. Failures back off (5 s doubling to 10 min, or the answer's
/// Retry-After) until <see cref="PushConfig.MaxAttempts"/>; a refusal (4xx but 408, 409, 429) or the last failed attempt
/// makes a dead letter, kept with its reason until an operator retries it.
/// </summary>
public sealed partial class CasePusher : IDisposable
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(10);

    /// <summary>How often the store is asked for cases due.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    private const int Batch = 20;

    private readonly PushConfig _settings;
    private readonly Uri _url;
    private readonly IReviewStore _store;
    private readonly IEvidenceKeys _keys;
    private readonly TimeZoneInfo _zone;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly HttpClient _http;
    private readonly string? _token;
    private readonly string _endpoint; // for logs: no user info, no query

    public CasePusher(PushConfig settings, IReviewStore store, IEvidenceKeys keys, TimeZoneInfo zone, ILogger logger, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _url = new Uri(settings.Url, UriKind.Absolute);
        _endpoint = $"{_url.Scheme}://{_url.Host}:{_url.Port.ToString(CultureInfo.InvariantCulture)}{_url.AbsolutePath}";
        _store = store;
        _keys = keys;
        _zone = zone;
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _token = settings.TokenFile.Length > 0 ? File.ReadAllText(settings.TokenFile).Trim() : null;
    }

    /// <summary>Pushes until cancelled, a round every <see cref="Poll"/>; a store that goes away is logged and tried again.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogStarted(_endpoint);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PushDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogRoundFailed(e.Message);
            }

            await Task.Delay(Poll, _clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One round: every case due is pushed once and where it stands written; returns how many were delivered.</summary>
    public async Task<int> PushDueAsync(CancellationToken cancellationToken = default)
    {
        var delivered = 0;
        foreach (var (record, attempts) in await _store.DuePushesAsync(_clock.GetUtcNow(), Batch, cancellationToken).ConfigureAwait(false))
        {
            var push = await PushAsync(record, attempts + 1, cancellationToken).ConfigureAwait(false);
            await _store.RecordPushAsync(push, cancellationToken).ConfigureAwait(false);
            delivered += push.DeliveredAt is null ? 0 : 1;
        }

        return delivered;
    }

    public void Dispose() => _http.Dispose();

    private async Task<CasePush> PushAsync(CaseRecord record, int attempt, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var push = new CasePush(CasePush.KeyOf(record), record.CaseId, record.DecidedAt!.Value, attempt, now);
        if (record.EvidenceDeletedAt is not null || !Directory.Exists(record.EvidenceFolder))
        {
            return Dead(push, Phrase.Of("push.evidenceGone", "its evidence is gone ({folder})", ("folder", record.EvidenceFolder)));
        }

        var check = await EvidenceVerifier.VerifyAsync(record.EvidenceFolder, _keys, cancellationToken).ConfigureAwait(false);
        if (!check.Intact)
        {
            return Dead(push, Phrase.Of("push.doesNotVerify", "its package does not verify: {problems}", ("problems", string.Join("; ", check.Problems))));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Content = new StringContent(await BodyAsync(record, push.Key, cancellationToken).ConfigureAwait(false), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", push.Key);
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_settings.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return Retry(push, Phrase.Of("push.cannotSend", "cannot send to {endpoint}: {error}", ("endpoint", _url.Authority), ("error", e.Message)), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Retry(push, Phrase.Of("push.noAnswer", "{endpoint} did not answer within {seconds} s", ("endpoint", _url.Authority), ("seconds", _settings.TimeoutSeconds)), null);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict)
            {
                LogDelivered(record.CaseId, push.Key, status, attempt);
                return push with { LastError = null, DeliveredAt = _clock.GetUtcNow() };
            }

            var answer = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            var why = Phrase.Of("push.answered", "HTTP {status}", ("status", $"{status} {response.ReasonPhrase}{(answer.Length == 0 ? "" : ": " + answer[..Math.Min(answer.Length, 300)])}"));
            return status is 408 or 429 or >= 500
                ? Retry(push, why, response.Headers.RetryAfter)
                : Dead(push, Phrase.Of("push.refused", "the platform refused it: {why}", ("why", why)));
        }
    }

    /// <summary>The next attempt after a wait, or a dead letter when this was the last one.</summary>
    private CasePush Retry(CasePush push, Phrase why, RetryConditionHeaderValue? retryAfter)
    {
        if (push.Attempts >= _settings.MaxAttempts)
        {
            return Dead(push, Phrase.Of("push.gaveUp", "no attempt of {attempts} succeeded; the last: {why}", ("attempts", _settings.MaxAttempts), ("why", why)));
        }

        var now = _clock.GetUtcNow();
        var wait = Wait(push.Attempts);
        var asked = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - now : null);
        if (asked is { } longer && longer > wait)
        {
            wait = longer < LongestWait ? longer : LongestWait;
        }

        LogRetry(push.CaseId, push.Attempts, _settings.MaxAttempts, why.English, wait.TotalSeconds);
        return push with { NextAt = now + wait, LastError = why.English };
    }

    /// <summary>
    /// The push given up, with why in English (the log, <c>cww push</c>); the console recognises the sentence and words
    /// it in its reader's language (StoredEnglish.PushError).
    /// </summary>
    private CasePush Dead(CasePush push, Phrase why)
    {
        LogDead(push.CaseId, push.Key, why.English);
        return push with { LastError = why.English, DeadAt = _clock.GetUtcNow() };
    }

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (from 1): 5 s, doubling, at most 10 min.</summary>
    public static TimeSpan Wait(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(FirstWait.TotalSeconds * Math.Pow(2, Math.Max(0, attempt - 1)), LongestWait.TotalSeconds));

    /// <summary>
    /// What the platform receives: the idempotency key, the export's record, and every signed file with the manifest, in
    /// base64 under their names in the package (the receiver checks them against the manifest as <c>cww evidence verify</c> does).
    /// </summary>
    private async Task<string> BodyAsync(CaseRecord record, string key, CancellationToken cancellationToken)
    {
        var files = new JsonObject();
        foreach (var name in EvidenceVerifier.ReadManifest(record.EvidenceFolder)!.Files.Select(f => f.Name).Append("manifest.json"))
        {
            files[name] = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(record.EvidenceFolder, name), cancellationToken).ConfigureAwait(false));
        }

        var body = new JsonObject
        {
            ["idempotencyKey"] = key,
            ["record"] = CaseExport.Record(record, _zone),
            ["files"] = files,
        };
        return body.ToJsonString(EvidenceJson.Files);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "push: confirmed cases go to {Url}")]
    private partial void LogStarted(string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "push: case {CaseId} delivered (key {Key}, HTTP {Status}, attempt {Attempt})")]
    private partial void LogDelivered(string caseId, string key, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "push: case {CaseId} attempt {Attempt} of {MaxAttempts} failed: {Why}; next in {Seconds:0} s")]
    private partial void LogRetry(string caseId, int attempt, int maxAttempts, string why, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "push: case {CaseId} is a dead letter (key {Key}): {Why}; `cww push retry {CaseId}` tries it again")]
    private partial void LogDead(string caseId, string key, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "push: a round failed, trying again: {Message}")]
    private partial void LogRoundFailed(string message);
}
