using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>A console account. <see cref="PasswordHash"/> is the slow hash's string, never a password.</summary>
public sealed record Account(
    string Username,
    string Role,
    string PasswordHash,
    int FailedSignIns = 0,
    DateTimeOffset? LockedUntil = null,
    bool Disabled = false,
    DateTimeOffset CreatedAt = default,
    DateTimeOffset ChangedAt = default)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>The office's acknowledgement of one notice.</summary>
public sealed record NoticeAck(string OfficialId, string Window, int Ordinal, string AckedBy, DateTimeOffset AckedAt);

/// <summary>
/// What the web console keeps beside the cases, in the same database: accounts with their failed sign-ins and
/// lockouts, the office's acknowledgements of notices, and an audit row for every change made through the console,
/// written in the change's own transaction.
/// </summary>
public sealed class ConsoleStore : DatabaseStore
{
    private const string SelectAccount =
        "SELECT username AS Username, role AS Role, password_hash AS PasswordHash, failed_sign_ins AS FailedSignIns, locked_until_ms AS LockedUntilMs, disabled AS Disabled, created_at_ms AS CreatedAtMs, changed_at_ms AS ChangedAtMs FROM accounts";

    private ConsoleStore(StoreDatabase database)
        : base(database)
    {
    }

    /// <summary>The console's store in the database the configuration names, beside the cases.</summary>
    public static ConsoleStore Open(Domain.Config.StorageConfig storage, string dataDirectory) => new(Stores.Database(storage, dataDirectory));

    public Task<Account?> FindAsync(string username, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection => (await connection.QuerySingleOrDefaultAsync<AccountRow>(SelectAccount + " WHERE username = @username", new { username }).ConfigureAwait(false))?.ToAccount(),
            $"read account {username}",
            cancellationToken);

    public Task<IReadOnlyList<Account>> AccountsAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<Account>>(
            async connection => (await connection.QueryAsync<AccountRow>(SelectAccount + " ORDER BY username").ConfigureAwait(false)).Select(r => r.ToAccount()).ToList(),
            "list the accounts",
            cancellationToken);

    /// <summary>Adds an account with its audit row; false (nothing written) when the name is taken.</summary>
    public Task<bool> CreateAsync(Account account, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var rows = await connection.ExecuteAsync(
                    "INSERT INTO accounts (username, role, password_hash, failed_sign_ins, locked_until_ms, disabled, created_at_ms, changed_at_ms) " +
                    "VALUES (@Username, @Role, @PasswordHash, 0, NULL, @Disabled, @AtMs, @AtMs) ON CONFLICT (username) DO NOTHING",
                    new { account.Username, account.Role, account.PasswordHash, Disabled = account.Disabled ? 1 : 0, AtMs = at.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                if (rows == 0)
                {
                    return false;
                }

                await AuditLog.AppendAsync(connection, transaction, at, actor, Subject(account.Username), "account-created", (AccountView?)null, AccountView.Of(account)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            $"create account {account.Username}",
            cancellationToken);
    }

    /// <summary>
    /// Changes an account (role, password, disabled, unlock) with its audit row, what it was and what it became
    /// (never the hash: only whether the password changed); null when there is no such account.
    /// </summary>
    public Task<Account?> ChangeAsync(string username, Func<Account, Account> change, string action, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return ChangeIfAsync(username, a => change(a) with { ChangedAt = at }, (_, _) => action, actor, at, $"change account {username}", cancellationToken);
    }

    /// <summary>
    /// Counts a failed sign-in; at <paramref name="limit"/> failures in a row the account is locked for
    /// <paramref name="lockFor"/> (the lockout is audited). Returns the account after, null when there is none.
    /// </summary>
    public Task<Account?> RecordFailureAsync(string username, int limit, TimeSpan lockFor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangeIfAsync(
            username,
            a =>
            {
                var failed = a.FailedSignIns + 1;
                return a with { FailedSignIns = failed, LockedUntil = failed >= limit ? at + lockFor : a.LockedUntil };
            },
            (before, after) => after.LockedUntil != before.LockedUntil ? "account-locked" : null,
            "console",
            at,
            $"record a failed sign-in of {username}",
            cancellationToken);

    /// <summary>A successful sign-in: the failures are forgotten.</summary>
    public Task RecordSuccessAsync(string username, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangeIfAsync(username, a => a with { FailedSignIns = 0, LockedUntil = null }, (_, _) => null, "console", at, $"record a sign-in of {username}", cancellationToken);

    public Task<IReadOnlyList<NoticeAck>> NoticeAcksAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<NoticeAck>>(
            async connection => (await connection.QueryAsync<(string OfficialId, string Window, long Ordinal, string AckedBy, long AckedAtMs)>(
                    "SELECT official_id, window_label, ordinal, acked_by, acked_at_ms FROM notice_acks ORDER BY acked_at_ms").ConfigureAwait(false))
                .Select(r => new NoticeAck(r.OfficialId, r.Window, (int)r.Ordinal, r.AckedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.AckedAtMs))).ToList(),
            "read the notices' acknowledgements",
            cancellationToken);

    /// <summary>Acknowledges a notice with its audit row; false when it already was (the first acknowledgement stays).</summary>
    public Task<bool> AcknowledgeAsync(string officialId, string window, int ordinal, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var rows = await connection.ExecuteAsync(
                    "INSERT INTO notice_acks (official_id, window_label, ordinal, acked_by, acked_at_ms) SELECT official_id, window_label, ordinal, @actor, @atMs FROM notices " +
                    "WHERE official_id = @officialId AND window_label = @window AND ordinal = @ordinal ON CONFLICT (official_id, window_label, ordinal) DO NOTHING",
                    new { officialId, window, ordinal, actor, atMs = at.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                if (rows == 0)
                {
                    return false;
                }

                await AuditLog.AppendAsync(connection, transaction, at, actor, $"notice:{officialId}/{window}/{ordinal}", "notice-acknowledged", new { acknowledged = false }, new { acknowledged = true }).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            $"acknowledge the notice of {officialId}, {window}, no. {ordinal}",
            cancellationToken);

    /// <summary>Records a change the console made outside the database (a scene file saved, thresholds changed).</summary>
    public Task<long> RecordChangeAsync<T>(string actor, string subject, string action, T before, T after, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var id = await AuditLog.AppendAsync(connection, transaction, at, actor, subject, action, before, after).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return id;
            },
            $"record {action} of {subject} in the audit log",
            cancellationToken);

    private static string Subject(string username) => "account:" + username;

    /// <summary>
    /// The one read-change-write of an account, in a transaction: <paramref name="change"/> applied to the row as it
    /// is (the user name never changes), and an audit row when <paramref name="audit"/> names an action for it.
    /// </summary>
    private Task<Account?> ChangeIfAsync(
        string username, Func<Account, Account> change, Func<Account, Account, string?> audit, string actor, DateTimeOffset at, string what, CancellationToken cancellationToken) =>
        Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var before = (await connection.QuerySingleOrDefaultAsync<AccountRow>(SelectAccount + " WHERE username = @username", new { username }, transaction).ConfigureAwait(false))?.ToAccount();
                if (before is null)
                {
                    return null;
                }

                var after = change(before) with { Username = before.Username };
                await connection.ExecuteAsync(
                    "UPDATE accounts SET role = @Role, password_hash = @PasswordHash, failed_sign_ins = @FailedSignIns, locked_until_ms = @LockedUntilMs, disabled = @Disabled, changed_at_ms = @ChangedAtMs WHERE username = @Username",
                    AccountRow.From(after),
                    transaction).ConfigureAwait(false);
                if (audit(before, after) is { } action)
                {
                    await AuditLog.AppendAsync(connection, transaction, at, actor, Subject(username), action, AccountView.Of(before), AccountView.Of(after, before)).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return after;
            },
            what,
            cancellationToken);

    /// <summary>An account as the audit log shows it: no hash, only whether the password changed.</summary>
    private sealed record AccountView(string Username, string Role, bool Disabled, DateTimeOffset? LockedUntil, bool? PasswordChanged)
    {
        public static AccountView Of(Account a, Account? before = null) =>
            new(a.Username, a.Role, a.Disabled, a.LockedUntil, before is null ? null : before.PasswordHash != a.PasswordHash);
    }

    private sealed class AccountRow
    {
        public string Username { get; set; } = "";

        public string Role { get; set; } = "";

        public string PasswordHash { get; set; } = "";

        public long FailedSignIns { get; set; }

        public long? LockedUntilMs { get; set; }

        public long Disabled { get; set; }

        public long CreatedAtMs { get; set; }

        public long ChangedAtMs { get; set; }

        public static AccountRow From(Account a) => new()
        {
            Username = a.Username,
            Role = a.Role,
            PasswordHash = a.PasswordHash,
            FailedSignIns = a.FailedSignIns,
            LockedUntilMs = a.LockedUntil?.ToUnixTimeMilliseconds(),
            Disabled = a.Disabled ? 1 : 0,
            CreatedAtMs = a.CreatedAt.ToUnixTimeMilliseconds(),
            ChangedAtMs = a.ChangedAt.ToUnixTimeMilliseconds(),
        };

        public Account ToAccount() => new(
            Username,
            Role,
            PasswordHash,
            (int)FailedSignIns,
            LockedUntilMs is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null,
            Disabled != 0,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
            DateTimeOffset.FromUnixTimeMilliseconds(ChangedAtMs));
    }
}
