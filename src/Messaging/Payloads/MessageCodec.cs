using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrosswalkWatch.Messaging.Payloads;

/// <summary>
/// Versioned JSON payloads: every message is an envelope <c>{"schema": "cww.candidate", "version": 1, "id": …,
/// "sentAt": …, "body": {…}}</c>. A reader accepts its own schema and the versions it knows; anything else (another
/// schema, a newer version, malformed JSON, a missing field) is refused with the reason, never half-read.
/// </summary>
public static class MessageCodec
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public static byte[] Encode<T>(string schema, int version, string id, T body) =>
        JsonSerializer.SerializeToUtf8Bytes(new Envelope<T>(schema, version, id, DateTimeOffset.UtcNow, body), Json);

    /// <summary>Reads an envelope of <paramref name="schema"/> at a version up to <paramref name="maxVersion"/>.</summary>
    public static bool TryDecode<T>(ReadOnlySpan<byte> payload, string schema, int maxVersion, [NotNullWhen(true)] out Envelope<T>? envelope, [NotNullWhen(false)] out string? error)
        where T : class
    {
        envelope = null;
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var s) || s.ValueKind != JsonValueKind.String)
            {
                error = "not a CrosswalkWatch message (no \"schema\")";
                return false;
            }

            if (s.GetString() != schema)
            {
                error = $"schema '{s.GetString()}', expected '{schema}'";
                return false;
            }

            if (!root.TryGetProperty("version", out var v) || !v.TryGetInt32(out var version) || version < 1 || version > maxVersion)
            {
                error = $"version {(root.TryGetProperty("version", out var raw) ? raw.GetRawText() : "missing")} of '{schema}' (this reader knows 1 to {maxVersion})";
                return false;
            }

            envelope = root.Deserialize<Envelope<T>>(Json);
            if (envelope?.Body is null || string.IsNullOrEmpty(envelope.Id))
            {
                envelope = null;
                error = "no \"id\" or no \"body\"";
                return false;
            }

            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"malformed JSON: {e.Message}";
            return false;
        }
    }
}

/// <summary>The envelope around every payload.</summary>
public sealed record Envelope<T>(string Schema, int Version, string Id, DateTimeOffset SentAt, T Body);
