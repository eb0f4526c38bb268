using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using CrosswalkWatch.Domain.Signals;

namespace CrosswalkWatch.Messaging.Payloads;

/// <summary>
/// Schema <c>cww.signal</c>: what a city's signal controller says of one camera's crossing on
/// <c>cww/v1/sites/{site}/signals/{camera}</c>. Its own small JSON, not an envelope (a controller's gateway writes it):
/// <c>{"schema": "cww.signal", "state": "red" | "green" | "off", "at": ISO 8601 with an offset}</c>. Other members are
/// ignored; a payload over <see cref="MaxBytes"/>, not JSON, another schema, a state not among the three or a missing
/// or unreadable time is refused with the reason, never half-read.
/// </summary>
public sealed record SignalMessage(SignalState State, DateTimeOffset At)
{
    public const string Schema = "cww.signal";

    /// <summary>The largest signal payload read: a real one is under 100 bytes.</summary>
    public const int MaxBytes = 1024;

    /// <summary>The payload a controller sends (for its gateway, the tests and the benches).</summary>
    public static byte[] Encode(SignalState state, DateTimeOffset at) =>
        JsonSerializer.SerializeToUtf8Bytes(new { schema = Schema, state = state.English(), at });

    /// <summary>Reads a payload; false with the reason when it is not a signal message.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out SignalMessage? message, [NotNullWhen(false)] out string? error)
    {
        message = null;
        if (payload.Length > MaxBytes)
        {
            error = $"{payload.Length} bytes, over the {MaxBytes} a signal message may have";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String)
            {
                error = "not a signal message (no \"schema\")";
                return false;
            }

            if (schema.GetString() != Schema)
            {
                error = $"schema '{schema.GetString()}', expected '{Schema}'";
                return false;
            }

            if (!root.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.String || !SignalStates.TryParse(state.GetString(), out var parsed))
            {
                error = $"state {(root.TryGetProperty("state", out var raw) ? Shorten(raw.GetRawText()) : "missing")}, expected \"red\", \"green\" or \"off\"";
                return false;
            }

            if (!root.TryGetProperty("at", out var at) || at.ValueKind != JsonValueKind.String || !HasOffset(at.GetString()!) || !at.TryGetDateTimeOffset(out var when))
            {
                error = $"time {(root.TryGetProperty("at", out var raw) ? Shorten(raw.GetRawText()) : "missing")}, expected \"at\": an ISO 8601 time with its offset";
                return false;
            }

            message = new SignalMessage(parsed, when);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"malformed JSON: {e.Message}";
            return false;
        }
    }

    /// <summary>Whether an ISO 8601 time says its offset (Z or ±hh:mm): a time without one would be read in the box's zone.</summary>
    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
