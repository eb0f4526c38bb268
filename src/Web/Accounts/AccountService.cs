using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.Web.Accounts;

/// <summary>The outcome of a sign-in: the account, or why not (the same words for an unknown name and a wrong password).</summary>
public sealed record SignInResult(Account? Account, string? Refusal);

/// <summary>
/// Sign-in and account management over <see cref="ConsoleStore"/>: slow hashes, lockout after
/// <see cref="WebConfig.LockoutFailures"/> failures in a row, every change audited by the store.
/// </summary>
public sealed class AccountService(ConsoleStore store, WebConfig settings, TimeProvider clock)
{
    public const string WrongCredentials = "wrong user name or password";

    // Checked against when the name is unknown, so an unknown name takes as long as a wrong password.
    private static readonly Lazy<string> Decoy = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    public ConsoleStore Store => store;

    public async Task<SignInResult> SignInAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var account = string.IsNullOrWhiteSpace(username) ? null : await store.FindAsync(username.Trim(), cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            PasswordHasher.Verify(password ?? "", Decoy.Value);
            return new SignInResult(null, WrongCredentials);
        }

        if (account.IsLocked(now))
        {
            return new SignInResult(null, $"account {account.Username} is locked after {settings.LockoutFailures} failed sign-ins until {account.LockedUntil:HH:mm} UTC; an admin can unlock it");
        }

        if (!PasswordHasher.Verify(password ?? "", account.PasswordHash))
        {
            var after = await store.RecordFailureAsync(account.Username, settings.LockoutFailures, TimeSpan.FromMinutes(settings.LockoutMinutes), now, cancellationToken).ConfigureAwait(false);
            return new SignInResult(null, after?.IsLocked(now) == true
                ? $"account {account.Username} is now locked after {settings.LockoutFailures} failed sign-ins, until {after.LockedUntil:HH:mm} UTC"
                : WrongCredentials);
        }

        if (account.Disabled)
        {
            return new SignInResult(null, $"account {account.Username} is disabled; ask an admin");
        }

        await store.RecordSuccessAsync(account.Username, now, cancellationToken).ConfigureAwait(false);
        return new SignInResult(account, null);
    }

    /// <summary>Adds an account; the reason it cannot be, or null when it was added.</summary>
    public async Task<string?> CreateAsync(string username, string role, string password, string actor, CancellationToken cancellationToken = default)
    {
        if (AccountNameProblem(username) is { } problem)
        {
            return problem;
        }

        if (!Roles.IsRole(role))
        {
            return $"role '{role}' is not one of {string.Join(", ", Roles.All)}";
        }

        if (PasswordHasher.Weakness(password) is { } weak)
        {
            return weak;
        }

        var created = await store.CreateAsync(new Account(username, role, PasswordHasher.Hash(password)), actor, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return created ? null : $"there is already an account {username}";
    }

    /// <summary>Changes an account; the reason it cannot be, or null when it was changed.</summary>
    public async Task<string?> ChangeAsync(string username, AccountChange change, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Role is { } role && !Roles.IsRole(role))
        {
            return $"role '{role}' is not one of {string.Join(", ", Roles.All)}";
        }

        if (change.Password is { } password && PasswordHasher.Weakness(password) is { } weak)
        {
            return weak;
        }

        if (username == actor && (change.Disabled == true || (change.Role is { } r && r != Roles.Admin)))
        {
            return "an admin cannot disable their own account or take away their own admin role";
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
        return after is null ? $"there is no account {username}" : null;
    }

    /// <summary>Why a user name will not do, or null.</summary>
    public static string? AccountNameProblem(string? username) =>
        string.IsNullOrWhiteSpace(username) || username.Length > 64 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? "a user name is 1 to 64 letters, digits, '.', '_' or '-'"
            : null;
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
