using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Web.Texts;

namespace CrosswalkWatch.Web.Accounts;

/// <summary>The outcome of a sign-in: the account and its new session's id, or neither (one refusal for every reason).</summary>
public sealed record SignInResult(Account? Account, string? SessionId);

/// <summary>
/// Sign-in, server-side sessions and account management over <see cref="ConsoleStore"/>: slow hashes, lockout after
/// <see cref="WebConfig.LockoutFailures"/> failures in a row, every change audited by the store.
/// </summary>
public sealed class AccountService(ConsoleStore store, WebConfig settings, TimeProvider clock)
{
    // Checked against when the name is unknown, so an unknown name costs the same slow hash as a known one. Made when
    // the type is first used, so the first unknown name is not slower than the rest.
    private static readonly string Decoy = PasswordHasher.Hash(Guid.NewGuid().ToString());

    public ConsoleStore Store => store;

    /// <summary>The most a session lasts from its sign-in (<see cref="WebConfig.SessionAbsoluteHours"/>).</summary>
    public TimeSpan AbsoluteLifetime => TimeSpan.FromHours(settings.SessionAbsoluteHours);

    /// <summary>
    /// Signs in: the account and a new session (recorded server-side), or a refusal. Every refusal does the same work —
    /// one slow hash (of a decoy when the name is unknown; of the account's own hash when it is locked or disabled)
    /// and one failure statement (which changes nothing for an unknown name or a locked account) — so neither the
    /// answer nor its time says which it was. A lockout refuses new sign-ins only; open sessions go on.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var name = (username ?? "").Trim();
        var account = AccountNameProblem(name) is null ? await store.FindAsync(name, cancellationToken).ConfigureAwait(false) : null;
        var matches = PasswordHasher.Verify(password ?? "", account?.PasswordHash ?? Decoy);
        if (account is not null && matches)
        {
            // The store re-checks enabled, unlocked and the same hash in the statement that opens the session.
            var session = SessionIds.New();
            var signedIn = await store.StartSessionAsync(account.Username, account.PasswordHash, SessionIds.Hash(session), now, now - AbsoluteLifetime, cancellationToken).ConfigureAwait(false);
            if (signedIn is not null)
            {
                return new SignInResult(signedIn, session);
            }
        }

        await store.RecordFailureAsync(name, settings.LockoutFailures, TimeSpan.FromMinutes(settings.LockoutMinutes), now, cancellationToken).ConfigureAwait(false);
        return new SignInResult(null, null);
    }

    /// <summary>
    /// Whether the session <paramref name="sessionId"/> of a request's cookie is still open for
    /// <paramref name="username"/> with <paramref name="role"/>: not signed out or ended by a password, role or disable
    /// change, the account enabled with that role, and signed in less than <see cref="AbsoluteLifetime"/> ago.
    /// </summary>
    public async Task<bool> IsOpenAsync(string? sessionId, string? username, string? role, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(sessionId) || username is null)
        {
            return false;
        }

        var session = await store.SessionAsync(SessionIds.Hash(sessionId), cancellationToken).ConfigureAwait(false);
        return session is not null
            && session.Username == username
            && session.Role == role
            && !session.Disabled
            && clock.GetUtcNow() < session.CreatedAt + AbsoluteLifetime;
    }

    /// <summary>Ends the session <paramref name="sessionId"/> (signing out), so its cookie opens nothing after.</summary>
    public async Task SignOutAsync(string? sessionId, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(sessionId))
        {
            await store.EndSessionAsync(SessionIds.Hash(sessionId), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Keeps <paramref name="username"/>'s choice of the console's language (audited as the account's change).</summary>
    public Task SetLanguageAsync(string username, string language, CancellationToken cancellationToken = default) =>
        store.ChangeAsync(username, a => a with { Language = language }, "language", username, clock.GetUtcNow(), cancellationToken);

    /// <summary>Adds an account; the reason it cannot be, or null when it was added.</summary>
    public async Task<AccountProblem?> CreateAsync(string username, string role, string password, string actor, CancellationToken cancellationToken = default)
    {
        if (AccountNameProblem(username) is { } problem)
        {
            return problem;
        }

        if (!Roles.IsRole(role))
        {
            return new AccountProblem("admin.error.role", ("role", role), ("roles", string.Join(", ", Roles.All)));
        }

        if (PasswordHasher.Weakness(password) is { } weak)
        {
            return weak;
        }

        var created = await store.CreateAsync(new Account(username, role, PasswordHasher.Hash(password)), actor, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return created ? null : new AccountProblem("admin.error.exists", ("user", username));
    }

    /// <summary>Changes an account; the reason it cannot be, or null when it was changed.</summary>
    public async Task<AccountProblem?> ChangeAsync(string username, AccountChange change, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Role is { } role && !Roles.IsRole(role))
        {
            return new AccountProblem("admin.error.role", ("role", role), ("roles", string.Join(", ", Roles.All)));
        }

        if (change.Password is { } password && PasswordHasher.Weakness(password) is { } weak)
        {
            return weak;
        }

        if (username == actor && (change.Disabled == true || (change.Role is { } r && r != Roles.Admin)))
        {
            return new AccountProblem("admin.error.self");
        }

        var hash = change.Password is { } p ? PasswordHasher.Hash(p) : null;
        var after = await store.ChangeAsync(
            username,
            a => a with
            {
                Role = change.Role ?? a.Role,
                PasswordHash = hash ?? a.PasswordHash,
                Disabled = change.Disabled ?? a.Disabled,
                FailedSignIns = change.Unlock ? 0 : a.FailedSignIns,
                LockedUntil = change.Unlock ? null : a.LockedUntil,
            },
            change.Action,
            actor,
            clock.GetUtcNow(),
            cancellationToken).ConfigureAwait(false);
        return after is null ? new AccountProblem(AccountProblem.NoAccount, ("user", username)) : null;
    }

    /// <summary>Why a user name will not do, or null.</summary>
    public static AccountProblem? AccountNameProblem(string? username) =>
        string.IsNullOrWhiteSpace(username) || username.Length > 64 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? new AccountProblem("admin.error.username")
            : null;
}

/// <summary>
/// Why an account cannot be added or changed: the key of the console's text that says so (admin.error.…) and the
/// values it names, put into words in the reader's language (<see cref="ConsoleTexts"/>).
/// </summary>
public sealed record AccountProblem(string Key, params (string Name, object? Value)[] Values)
{
    /// <summary>The key of the problem of an account that does not exist (answered with 404; every other problem with 400).</summary>
    public const string NoAccount = "admin.error.noAccount";

    /// <summary>The problem in words, in <paramref name="language"/>.</summary>
    public string Text(ConsoleTexts texts, string language)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return texts.Get(language, Key, Values);
    }
}

/// <summary>What an admin changes on an account; null leaves a field as it is.</summary>
public sealed record AccountChange(string? Role = null, string? Password = null, bool? Disabled = null, bool Unlock = false)
{
    /// <summary>The audit log's name for the change.</summary>
    public string Action =>
        Password is not null ? "account-password-set"
        : Unlock ? "account-unlocked"
        : Disabled == true ? "account-disabled"
        : Disabled == false ? "account-enabled"
        : "account-changed";
}
