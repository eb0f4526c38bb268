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
    /// <summary>The console's language this account chose (zh-CN, en); null follows the site's web.language.</summary>
    public string? Language { get; init; }

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>
    /// Whether this account, changed from <paramref name="before"/>, ends its open sessions: a new password (a reset
    /// locks out whoever knew the old one), another role, or disabled. A lockout does not: it refuses new sign-ins
    /// only, so a stranger's wrong passwords cannot throw a reviewer out of their work.
    /// </summary>
    public bool EndsSessionsOf(Account before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return PasswordHash != before.PasswordHash || Role != before.Role || (Disabled && !before.Disabled);
    }
}

/// <summary>A console session as a request finds it: whose, the account's role and state now, and when it was signed in.</summary>
public sealed record SessionState(string Username, string Role, bool Disabled, DateTimeOffset CreatedAt);

/// <summary>The office's acknowledgement of one notice.</summary>
public sealed record NoticeAck(string OfficialId, string Window, int Ordinal, int Issue, string AckedBy, DateTimeOffset AckedAt);

/// <summary>
/// What the web console keeps beside the cases, in the same database: accounts with their failed sign-ins and
/// lockouts, the open sessions, the office's acknowledgements of notices, and an audit row for every change made through the console,
/// written in the change's own transaction.
/// </summary>
public sealed class ConsoleStore : DatabaseStore
{
    private const string AccountColumns =
        "username AS Username, role AS Role, password_hash AS PasswordHash, failed_sign_ins AS FailedSignIns, locked_until_ms AS LockedUntilMs, disabled AS Disabled, created_at_ms AS CreatedAtMs, changed_at_ms AS ChangedAtMs, language AS Language";

    private const string SelectAccount = "SELECT " + AccountColumns + " FROM accounts";

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
                    "INSERT INTO accounts (username, role, password_hash, failed_sign_ins, locked_until_ms, disabled, created_at_ms, changed_at_ms, language) " +
                    "VALUES (@Username, @Role, @PasswordHash, 0, NULL, @Disabled, @AtMs, @AtMs, @Language) ON CONFLICT (username) DO NOTHING",
                    new { account.Username, account.Role, account.PasswordHash, Disabled = account.Disabled ? 1 : 0, AtMs = at.ToUnixTimeMilliseconds(), account.Language },
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
    /// Counts a failed sign-in in one statement (<c>failed_sign_ins = failed_sign_ins + 1</c>, so concurrent failures
    /// all count, on PostgreSQL as on SQLite); at <paramref name="limit"/> failures in a row the account is locked for
    /// <paramref name="lockFor"/> (the lockout is audited, once). A locked account is left as it is: its lock is not
    /// extended. Returns the account after, or null when nothing was counted (no such account, or locked now).
    /// </summary>
    public Task<Account?> RecordFailureAsync(string username, int limit, TimeSpan lockFor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection =>
            {
                // A lock that has run out starts the count again at this failure.
                const string Failures = "CASE WHEN locked_until_ms IS NULL THEN failed_sign_ins + 1 ELSE 1 END";
                var untilMs = (at + lockFor).ToUnixTimeMilliseconds();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(
                    $"UPDATE accounts SET failed_sign_ins = {Failures}, locked_until_ms = CASE WHEN {Failures} >= @limit THEN @untilMs ELSE NULL END " +
                    "WHERE username = @username AND (locked_until_ms IS NULL OR locked_until_ms <= @nowMs) RETURNING " + AccountColumns,
                    new { username, limit, untilMs, nowMs = at.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                var after = row?.ToAccount();
                if (after?.LockedUntil is { } until && until.ToUnixTimeMilliseconds() == untilMs)
                {
                    await AuditLog.AppendAsync(connection, transaction, at, "console", Subject(username), "account-locked", AccountView.Of(after with { LockedUntil = null }), AccountView.Of(after, after)).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return after;
            },
            $"record a failed sign-in of {username}",
            cancellationToken);

    /// <summary>
    /// A successful sign-in, decided in one statement so a lockout, a disable or a new password that lands while the
    /// password was being checked wins: the account must still be enabled, unlocked and have <paramref name="passwordHash"/>.
    /// Then its failures are forgotten and the session <paramref name="sessionIdHash"/> is recorded; sessions signed in
    /// before <paramref name="oldestKept"/> are removed on the way. Returns the account, or null (nothing written).
    /// </summary>
    public Task<Account?> StartSessionAsync(string username, string passwordHash, string sessionIdHash, DateTimeOffset at, DateTimeOffset oldestKept, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(
                    "UPDATE accounts SET failed_sign_ins = 0, locked_until_ms = NULL " +
                    "WHERE username = @username AND password_hash = @passwordHash AND disabled = 0 AND (locked_until_ms IS NULL OR locked_until_ms <= @nowMs) RETURNING " + AccountColumns,
                    new { username, passwordHash, nowMs = at.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                if (row is null)
                {
                    return null;
                }

                await connection.ExecuteAsync(
                    "DELETE FROM sessions WHERE created_at_ms < @oldestMs; INSERT INTO sessions (id_hash, username, created_at_ms) VALUES (@sessionIdHash, @username, @nowMs)",
                    new { sessionIdHash, username, nowMs = at.ToUnixTimeMilliseconds(), oldestMs = oldestKept.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return row.ToAccount();
            },
            $"record a sign-in of {username}",
            cancellationToken);

    /// <summary>The session <paramref name="sessionIdHash"/> with its account as it is now, or null when it has ended (or never was).</summary>
    public Task<SessionState?> SessionAsync(string sessionIdHash, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection =>
            {
                var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(
                    "SELECT s.username AS Username, a.role AS Role, a.disabled AS Disabled, s.created_at_ms AS CreatedAtMs FROM sessions s JOIN accounts a ON a.username = s.username WHERE s.id_hash = @sessionIdHash",
                    new { sessionIdHash }).ConfigureAwait(false);
                return row is null ? null : new SessionState(row.Username, row.Role, row.Disabled != 0, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAtMs));
            },
            "read a session",
            cancellationToken);

    /// <summary>Ends one session (signing out); false when it had already ended.</summary>
    public Task<bool> EndSessionAsync(string sessionIdHash, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection => await connection.ExecuteAsync("DELETE FROM sessions WHERE id_hash = @sessionIdHash", new { sessionIdHash }).ConfigureAwait(false) > 0,
            "end a session",
            cancellationToken);

    /// <summary>How many sessions of <paramref name="username"/> are open (not signed out, not ended by a change).</summary>
    public Task<int> OpenSessionsAsync(string username, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection => (int)await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sessions WHERE username = @username", new { username }).ConfigureAwait(false),
            $"count the sessions of {username}",
            cancellationToken);

    public Task<IReadOnlyList<NoticeAck>> NoticeAcksAsync(CancellationToken cancellationToken = default) =>
        Database.RunAsync<IReadOnlyList<NoticeAck>>(
            async connection => (await connection.QueryAsync<(string OfficialId, string Window, long Ordinal, long Issue, string AckedBy, long AckedAtMs)>(
                    "SELECT official_id, window_label, ordinal, issue, acked_by, acked_at_ms FROM notice_acks ORDER BY acked_at_ms").ConfigureAwait(false))
                .Select(r => new NoticeAck(r.OfficialId, r.Window, (int)r.Ordinal, (int)r.Issue, r.AckedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.AckedAtMs))).ToList(),
            "read the notices' acknowledgements",
            cancellationToken);

    /// <summary>
    /// Acknowledges a notice's current issue with its audit row; false when it already was (the first acknowledgement
    /// stays). A notice withdrawn and issued again is acknowledged afresh.
    /// </summary>
    public Task<bool> AcknowledgeAsync(string officialId, string window, int ordinal, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var rows = await connection.ExecuteAsync(
                    "INSERT INTO notice_acks (official_id, window_label, ordinal, issue, acked_by, acked_at_ms) SELECT official_id, window_label, ordinal, issue, @actor, @atMs FROM notices " +
                    "WHERE official_id = @officialId AND window_label = @window AND ordinal = @ordinal ON CONFLICT (official_id, window_label, ordinal, issue) DO NOTHING",
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
                    "UPDATE accounts SET role = @Role, password_hash = @PasswordHash, failed_sign_ins = @FailedSignIns, locked_until_ms = @LockedUntilMs, disabled = @Disabled, changed_at_ms = @ChangedAtMs, language = @Language WHERE username = @Username",
                    AccountRow.From(after),
                    transaction).ConfigureAwait(false);
                if (after.EndsSessionsOf(before))
                {
                    await connection.ExecuteAsync("DELETE FROM sessions WHERE username = @username", new { username }, transaction).ConfigureAwait(false);
                }

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
    private sealed record AccountView(string Username, string Role, bool Disabled, DateTimeOffset? LockedUntil, bool? PasswordChanged, string? Language)
    {
        public static AccountView Of(Account a, Account? before = null) =>
            new(a.Username, a.Role, a.Disabled, a.LockedUntil, before is null ? null : before.PasswordHash != a.PasswordHash, a.Language);
    }

    private sealed class SessionRow
    {
        public string Username { get; set; } = "";

        public string Role { get; set; } = "";

        public long Disabled { get; set; }

        public long CreatedAtMs { get; set; }
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

        public string? Language { get; set; }

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
            Language = a.Language,
        };

        public Account ToAccount() => new(
            Username,
            Role,
            PasswordHash,
            (int)FailedSignIns,
            LockedUntilMs is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null,
            Disabled != 0,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
            DateTimeOffset.FromUnixTimeMilliseconds(ChangedAtMs))
        {
            Language = Language,
        };
    }
}
