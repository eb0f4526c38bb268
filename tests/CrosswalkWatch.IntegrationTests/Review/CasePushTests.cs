using System.Reflection;
using System.Text;
using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Storage.Review;
using Microsoft.Extensions.Logging.Abstractions;
using static CrosswalkWatch.Testing.ReviewCases;

namespace CrosswalkWatch.IntegrationTests.Review;

/// <summary>
/// The push of confirmed cases to the platform's HTTP endpoint, against a real HTTP receiver on 127.0.0.1 and a real
/// store: at least once under one idempotency key per confirmation, backing off on failures, only verified packages,
/// refusals and exhausted attempts kept as dead letters until retried, and a store that fails after the delivery
/// making it push again under the same key rather than lose it.
/// </summary>
public sealed class CasePushTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Push_ReceiverFailsTwice_BacksOffThenDeliversOnceUnderOneKey_TheBodyVerifiesOffline()
    {
        using var store = await StoreAsync();
        using var receiver = new PushReceiver().Answer((503, null), (503, "30"));
        var folder = await AddAsync(store, "c1", CaseStatus.Confirmed);
        await File.WriteAllTextAsync(_temp.File("token"), "s3cret-token\n");
        using var pusher = Pusher(store, receiver, new PushConfig { Url = receiver.Url, TokenFile = _temp.File("token") });

        Assert.Equal(0, await pusher.PushDueAsync());                       // 503: waits 5 s
        Assert.Equal(0, await pusher.PushDueAsync());                       // not due yet: nothing sent
        Assert.Single(receiver.Requests);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await pusher.PushDueAsync());                       // 503 asking for 30 s, longer than the 10 s of the doubling
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await pusher.PushDueAsync());
        Assert.Equal(2, receiver.Requests.Count);
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await pusher.PushDueAsync());                       // 201
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await pusher.PushDueAsync());                       // delivered: never again

        var requests = receiver.Requests;
        Assert.Equal(3, requests.Count);
        var key = CasePush.KeyOf((await store.GetAsync("c1"))!);
        Assert.All(requests, r => Assert.Equal((key, "Bearer s3cret-token"), (r.IdempotencyKey, r.Authorization)));
        var summary = await store.PushSummaryAsync();
        Assert.Equal((1, 0, 0), (summary.Delivered, summary.Waiting, summary.Dead.Count));

        // What arrived is the package as the box signed it: written out, it verifies; the record names code 1357.
        using var body = JsonDocument.Parse(requests[^1].Body);
        Assert.Equal(key, body.RootElement.GetProperty("idempotencyKey").GetString());
        Assert.Equal("1357", body.RootElement.GetProperty("record").GetProperty("code").GetString());
        var arrived = _temp.File("arrived");
        Directory.CreateDirectory(arrived);
        foreach (var file in body.RootElement.GetProperty("files").EnumerateObject())
        {
            await File.WriteAllBytesAsync(Path.Combine(arrived, file.Name), Convert.FromBase64String(file.Value.GetString()!));
        }

        Assert.Equal(Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal), Directory.GetFiles(arrived).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True((await EvidenceVerifier.VerifyAsync(arrived, EvidencePackages.Keys)).Intact);
    }

    [Fact]
    public async Task Push_TamperedPackageRefusalAndExhaustedAttempts_BecomeDeadLettersWithTheirReasons_RetryDeliversThem()
    {
        using var store = await StoreAsync();
        using var receiver = new PushReceiver().Answer(400, 500, 500);
        var tampered = await AddAsync(store, "a-tampered", CaseStatus.Confirmed);
        await File.WriteAllTextAsync(Path.Combine(tampered, "clip.mp4"), "a clip made afterwards");
        await AddAsync(store, "b-refused", CaseStatus.Confirmed, at: Local(2026, 12, 1, 11));
        await AddAsync(store, "c-unreachable", CaseStatus.Confirmed, at: Local(2026, 12, 1, 12));
        await AddAsync(store, "d-candidate", CaseStatus.Candidate, at: Local(2026, 12, 1, 13));
        using var pusher = Pusher(store, receiver, new PushConfig { Url = receiver.Url, MaxAttempts = 2 });

        await pusher.PushDueAsync();                                        // a: not sent; b: 400; c: 500
        _clock.Advance(TimeSpan.FromSeconds(5));
        await pusher.PushDueAsync();                                        // c: 500 again, its last attempt

        Assert.Equal(3, receiver.Requests.Count); // b once, c twice: the tampered package never left, the candidate is not pushed
        Assert.DoesNotContain(receiver.Requests, r => r.IdempotencyKey!.StartsWith("a-", StringComparison.Ordinal) || r.IdempotencyKey!.StartsWith("d-", StringComparison.Ordinal));
        var summary = await store.PushSummaryAsync();
        Assert.Equal((0, 0), (summary.Delivered, summary.Waiting));
        Assert.Equal(["a-tampered", "b-refused", "c-unreachable"], summary.Dead.Select(d => d.CaseId).Order(StringComparer.Ordinal));
        Assert.Contains("does not verify", summary.Dead.Single(d => d.CaseId == "a-tampered").LastError, StringComparison.Ordinal);
        Assert.Contains("the platform refused it: HTTP 400", summary.Dead.Single(d => d.CaseId == "b-refused").LastError, StringComparison.Ordinal);
        Assert.Contains("no attempt of 2 succeeded; the last: HTTP 500", summary.Dead.Single(d => d.CaseId == "c-unreachable").LastError, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromHours(1));
        await pusher.PushDueAsync();
        Assert.Equal(3, receiver.Requests.Count); // dead letters wait for an operator

        // The operator fixed the platform's side: b and c go again; a still does not verify, so it is dead again.
        Assert.Equal(1, await store.RetryPushesAsync("b-refused", _clock.GetUtcNow()));
        Assert.Equal(2, await store.RetryPushesAsync(null, _clock.GetUtcNow()));
        Assert.Equal(2, await pusher.PushDueAsync());
        summary = await store.PushSummaryAsync();
        Assert.Equal((2, "a-tampered"), (summary.Delivered, Assert.Single(summary.Dead).CaseId));
    }

    [Fact]
    public async Task Push_StoreFailsAfterTheDelivery_PushedAgainUnderTheSameKey_AReconfirmationGetsANewKey()
    {
        using var store = await StoreAsync();
        using var receiver = new PushReceiver().Answer(201, 409);
        await AddAsync(store, "c1", CaseStatus.Confirmed);
        var failing = FailingOnce.Wrap(store);
        using var pusher = Pusher(failing, receiver, new PushConfig { Url = receiver.Url });

        // Delivered, but the store went away before it was written: nothing lost, it goes again.
        await Assert.ThrowsAnyAsync<Exception>(() => pusher.PushDueAsync());
        Assert.Equal(1, await pusher.PushDueAsync()); // the receiver had it: 409 counts as delivered
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(receiver.Requests[0].IdempotencyKey, receiver.Requests[1].IdempotencyKey);
        Assert.Equal(0, await pusher.PushDueAsync());

        // Reopened on an objection and confirmed again: a new confirmation, pushed under a new key.
        await store.DecideAsync(new ReviewDecision("c1", ReviewAction.Reopen, "王警官", Local(2026, 12, 2, 9), Note: "objection"), Calendar);
        Assert.Equal(0, await pusher.PushDueAsync());
        await store.DecideAsync(new ReviewDecision("c1", ReviewAction.Confirm, "李警官", Local(2026, 12, 3, 9)), Calendar);
        Assert.Equal(1, await pusher.PushDueAsync());
        Assert.Equal(3, receiver.Requests.Count);
        Assert.NotEqual(receiver.Requests[0].IdempotencyKey, receiver.Requests[2].IdempotencyKey);
        Assert.Equal(CasePush.KeyOf((await store.GetAsync("c1"))!), receiver.Requests[2].IdempotencyKey);
    }

    [Fact]
    public async Task Console_WithAPushUrl_PushesConfirmedCases_OperatorsAndTheCommandLineSeeTheDeadLetterAndRetryIt()
    {
        using var receiver = new PushReceiver().Answer(400);
        await using var server = new ConsoleServer();
        var storage = new StorageConfig();
        using (var store = new SqliteCaseStore(Path.Combine(server.Data, storage.SqlitePath)))
        {
            await store.MigrateAsync();
            await AddAsync(store, "first", CaseStatus.Confirmed, root: server.Folder.Path);
            await AddAsync(store, "second", CaseStatus.Confirmed, at: Local(2026, 12, 1, 11), root: server.Folder.Path);
        }

        await EvidencePackages.RegisterAsync(storage, server.Data);
        await server.AddAccountsAsync(storage, server.Data, language: "zh-CN");
        var config = server.Folder.File("cww.yaml");
        await File.WriteAllTextAsync(config, $"paths:\n  data: {server.Data}\npush:\n  url: {receiver.Url}\n");
        await server.StartAsync(config);

        // The console pushes what is confirmed: the first refused (a dead letter), the second delivered.
        await Eventually.WaitForAsync(() => Task.FromResult(receiver.Requests.Count >= 2), "the console to push both confirmed cases");
        using var operatorClient = await server.SignedInClientAsync("operator");
        using (var push = JsonDocument.Parse(await operatorClient.GetStringAsync(new Uri("/api/push", UriKind.Relative))))
        {
            var p = push.RootElement;
            Assert.Equal((true, 1, 0), (p.GetProperty("on").GetBoolean(), p.GetProperty("delivered").GetInt32(), p.GetProperty("waiting").GetInt32()));
            var dead = Assert.Single(p.GetProperty("dead").EnumerateArray());
            Assert.Equal("first", dead.GetProperty("caseId").GetString());
            Assert.StartsWith("平台拒收：HTTP 400", dead.GetProperty("error").GetString(), StringComparison.Ordinal); // the operator reads Chinese
        }

        using (var police = await server.SignedInClientAsync("police"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await police.GetAsync(new Uri("/api/push", UriKind.Relative))).StatusCode);
        }

        var patience = TimeSpan.FromMinutes(2);
        var status = await CwwProcess.RunAsync(patience, "push", "status", "--config", config);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("delivered 1, waiting 0, dead letters 1", status.Output, StringComparison.Ordinal);
        Assert.Contains("first  dead since", status.Output, StringComparison.Ordinal);

        var retry = await CwwProcess.RunAsync(patience, "push", "retry", "first", "--config", config);
        Assert.True(retry.ExitCode == 0, retry.All);
        Assert.Contains("1 dead letter(s) due again", retry.Output, StringComparison.Ordinal);
        await Eventually.WaitForAsync(() => Task.FromResult(receiver.Requests.Count >= 3), "the console to push the retried case");
        await Eventually.WaitForAsync(async () => (await CwwProcess.RunAsync(patience, "push", "status", "--config", config)).ExitCode == 0, "the retried case to be delivered");
        Assert.Equal(2, receiver.Requests.Select(r => r.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public void Wait_DoublesFromFiveSecondsToTenMinutes()
    {
        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 600, 600], Enumerable.Range(1, 9).Select(a => CasePusher.Wait(a).TotalSeconds));
    }

    public void Dispose() => _temp.Dispose();

    private CasePusher Pusher(IReviewStore store, PushReceiver receiver, PushConfig settings) =>
        new(settings with { Url = receiver.Url }, store, EvidencePackages.Keys, Shanghai, NullLogger.Instance, _clock);

    private async Task<SqliteCaseStore> StoreAsync()
    {
        var store = new SqliteCaseStore(_temp.File($"cases-{Guid.NewGuid():N}.db"));
        await store.MigrateAsync();
        return store;
    }

    /// <summary>A citizen's case (one confirmation confirms it) with a signed package; returns its folder.</summary>
    private async Task<string> AddAsync(SqliteCaseStore store, string id, CaseStatus status, DateTimeOffset? at = null, string? root = null)
    {
        var when = at ?? Local(2026, 12, 1, 10);
        var folder = EvidencePackages.Write(root ?? _temp.Path, id, when,
        [
            ("clip.mp4", "clip", [1, 2, 3]),
            ("photo2-on-line.jpg", "photo", [4, 5, 6]),
            ("candidate.json", "reasons", Encoding.UTF8.GetBytes("""{"cameraId":"cam1","lane":"S1","vehicleKind":"car","place":"解放路人民路口北","direction":"southbound"}""")),
        ]);
        Assert.True(await store.AddAsync(Case(id, when, plate: CitizenPlate, officialId: null, folder: folder)));
        if (status == CaseStatus.Confirmed)
        {
            await store.DecideAsync(new ReviewDecision(id, ReviewAction.Confirm, "王警官", when.AddHours(1)), Calendar);
            Assert.Equal(CaseStatus.Confirmed, (await store.GetAsync(id))!.Status);
        }

        return folder;
    }

    /// <summary>A store whose first <see cref="IReviewStore.RecordPushAsync"/> fails, as a database going away right after a delivery.</summary>
    public class FailingOnce : DispatchProxy
    {
        private IReviewStore _inner = null!;
        private int _failed;

        public static IReviewStore Wrap(IReviewStore inner)
        {
            var proxy = Create<IReviewStore, FailingOnce>();
            ((FailingOnce)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IReviewStore.RecordPushAsync) && Interlocked.Exchange(ref _failed, 1) == 0
                ? Task.FromException(new StorageException("the database went away"))
                : targetMethod.Invoke(_inner, args);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
