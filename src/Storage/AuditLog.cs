using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace CrosswalkWatch.Storage;

/// <summary>
/// The one statement that writes the append-only audit log: a row in the caller's transaction, so a change and its
/// record are kept together or not at all. <c>subject</c> is a case id, or for console changes e.g. <c>account:NAME</c>.
/// </summary>
internal static class AuditLog
{

    public static Task<long> AppendAsync<T>(DbConnection connection, DbTransaction transaction, DateTimeOffset at, string actor, string subject, string action, T before, T after) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO audit_log (at_ms, actor, case_id, action, before_json, after_json) VALUES (@atMs, @actor, @subject, @action, @before, @after) RETURNING id",
            new { atMs = at.ToUnixTimeMilliseconds(), actor, subject, action, before = JsonSerializer.Serialize(before, StoredJson.Options), after = JsonSerializer.Serialize(after, StoredJson.Options) },
            transaction);
}
